package org.videoforge.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.videoforge.codec.DecodedFrame;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.codec.VideoDecoder;
import org.videoforge.frame.Precision;
import org.videoforge.frame.VideoStreamInfo;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.gpu.DeviceAllocations;
import org.videoforge.inference.InferenceBackend;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.OrtCpuBackend;
import org.videoforge.inference.OrtCudaBackend;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.testing.Samples;

/**
 * The GPU path against its oracle, the CPU path: the same decoded frames through
 * (colour -> model -> colour) on each device must agree, frame by frame, after the GPU's
 * one download; and the GPU path allocates no device memory once warm.
 */
class GpuCpuParityTest {
    private static final Path SAMPLE = Samples.sample640x360();
    private static final int FRAMES = 8;

    @BeforeAll
    static void gpu() {
        assumeTrue(CudaRuntime.available(), "no CUDA device: " + CudaRuntime.unavailableReason());
    }

    @ParameterizedTest(name = "{0} >= {1} dB")
    @CsvSource({"FP32, 45", "FP16, 40"})
    void gpuOutputMatchesTheCpuBackend(Precision precision, double minPsnr) {
        MediaInfo info = MediaProbe.probe(SAMPLE, null);
        VideoStreamInfo video = info.video();
        ModelRef model = ModelRef.of("esrgan-slim-x2");
        double worst = Double.POSITIVE_INFINITY;
        long allocationsAfterWarmUp = -1;
        try (BucketedBufferPool decodePool = BucketedBufferPool.host("parity");
             VideoDecoder decoder = VideoDecoder.open(info, decodePool);
             HostFrameDevice cpu = new HostFrameDevice();
             CudaFrameDevice gpu = CudaFrameDevice.open(0, 0);
             InferenceBackend cpuModel = OrtCpuBackend.open(model, precision, 0);
             InferenceBackend gpuModel = OrtCudaBackend.open(model, precision, 0)) {
            int w = video.width();
            int h = video.height();
            for (int i = 0; i < FRAMES; i++) {
                try (DecodedFrame frame = decoder.next();
                     FrameBuffer a = upscale(cpu, cpuModel, frame.buffer(), video, precision);
                     FrameBuffer b = upscale(gpu, gpuModel, frame.buffer(), video, precision)) {
                    long bytes = video.pixelFormat().frameBytes(2 * w, 2 * h);
                    worst = Math.min(worst, psnr(a.hostBytes(), b.hostBytes(), (int) bytes));
                }
                if (i == 1) {
                    allocationsAfterWarmUp = DeviceAllocations.allocations();
                }
            }
            assertEquals(allocationsAfterWarmUp, DeviceAllocations.allocations(),
                    "no device allocation after warm-up");
        }
        System.out.printf("GPU vs CPU %s: worst frame PSNR %.2f dB over %d frames%n", precision, worst, FRAMES);
        assertTrue(worst >= minPsnr, precision + " PSNR " + worst + " dB < " + minPsnr);
    }

    private static FrameBuffer upscale(FrameDevice device, InferenceBackend model, FrameBuffer yuv,
                                       VideoStreamInfo video, Precision p) {
        int s = model.model().scale();
        try (FrameBuffer in = device.toTensor(yuv, video, p);
             FrameBuffer out = device.acquire(p.tensorBytes(1, video.height() * s, video.width() * s))) {
            model.run(in, out, 1, video.height(), video.width());
            return device.toHostYuv(out, video.width() * s, video.height() * s, video, p);
        }
    }

    /** PSNR over 8-bit samples (NV12). */
    private static double psnr(ByteBuffer a, ByteBuffer b, int n) {
        double se = 0;
        for (int i = 0; i < n; i++) {
            int d = (a.get(i) & 0xff) - (b.get(i) & 0xff);
            se += d * d;
        }
        double mse = se / n;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
