package org.videoforge.device;

import java.util.concurrent.atomic.AtomicLong;
import org.videoforge.codec.FrameDecoder;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.VideoDecoder;
import org.videoforge.codec.nvdec.NvDecoder;
import org.videoforge.codec.nvdec.NvdecCapabilities;
import org.videoforge.color.YuvCoefficients;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Precision;
import org.videoforge.frame.VideoStreamInfo;
import org.videoforge.gpu.ColorKernels;
import org.videoforge.gpu.CudaDevice;
import org.videoforge.gpu.CudaStream;
import org.videoforge.gpu.DevicePools;
import org.videoforge.gpu.FrameTransfers;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryBudget;
import org.videoforge.memory.MemoryKind;
import org.videoforge.memory.SharedPools;

/**
 * The GPU-resident path on one CUDA device: NVDEC decode into the device pool (FFmpeg plus one
 * upload where NVDEC cannot take the stream), NVRTC colour kernels on this stage's own stream (of
 * high priority: the stage waits for them while the model computes on another stream), tensors
 * in device memory, and exactly one download per frame (to pinned memory) for the
 * software encoder. Every method binds the device to the calling thread first, because Flink
 * runs the stages on different threads.
 */
public final class CudaFrameDevice implements FrameDevice {
    private final CudaDevice device;
    private final CudaStream stream;
    private final SharedPools.Handle pool;
    private final SharedPools.Handle pinned;
    private final SharedPools.Handle host;
    private final ColorKernels kernels;
    private final CudaTensorOps tensorOps;
    private final AtomicLong hostCopies = new AtomicLong();

    private CudaFrameDevice(CudaDevice device, CudaStream stream, SharedPools.Handle pool, SharedPools.Handle pinned,
                            SharedPools.Handle host, ColorKernels kernels, CudaTensorOps tensorOps) {
        this.device = device;
        this.stream = stream;
        this.pool = pool;
        this.pinned = pinned;
        this.host = host;
        this.kernels = kernels;
        this.tensorOps = tensorOps;
    }

    /** Opens the path on GPU {@code index} with a ceiling of {@code vramLimitBytes} (0: none). */
    public static CudaFrameDevice open(int index, long vramLimitBytes) {
        CudaDevice device = CudaDevice.acquire(index);
        CudaStream stream = null;
        SharedPools.Handle pool = null;
        SharedPools.Handle pinned = null;
        SharedPools.Handle host = null;
        ColorKernels kernels = null;
        try {
            device.bindToCurrentThread();
            stream = CudaStream.createHighPriority(device);
            pool = DevicePools.device(index, vramLimitBytes);
            pinned = DevicePools.pinned(index);
            host = SharedPools.host();
            kernels = ColorKernels.load(device);
            return new CudaFrameDevice(device, stream, pool, pinned, host, kernels, new CudaTensorOps(device, stream));
        } catch (RuntimeException e) {
            closeAll(kernels, host, pinned, pool, stream, device);
            throw e;
        }
    }

    @Override
    public MemoryKind memory() {
        return MemoryKind.DEVICE;
    }

    @Override
    public FrameDecoder openDecoder(MediaInfo video) {
        device.bindToCurrentThread();
        if (NvdecCapabilities.usable(video, device.primaryContext())) {
            return NvDecoder.open(video, pool.pool(), device.primaryContext(), stream.handle());
        }
        return VideoDecoder.open(video, host.pool());
    }

    @Override
    public FrameBuffer acquire(long bytes) {
        return pool.pool().acquire(bytes);
    }

    @Override
    public FrameBuffer toTensor(FrameBuffer yuv, VideoStreamInfo video, Precision p) {
        device.bindToCurrentThread();
        int w = video.width();
        int h = video.height();
        PixelFormat format = video.pixelFormat();
        FrameBuffer staged = null;
        FrameBuffer tensor = acquire(p.tensorBytes(1, h, w));
        try {
            FrameBuffer onDevice = yuv;
            if (yuv.kind() == MemoryKind.HOST) {
                // FFmpeg decoded it (NVDEC could not take the stream): one upload.
                staged = acquire(format.frameBytes(w, h));
                FrameTransfers.upload(yuv, staged, format.frameBytes(w, h), stream);
                hostCopies.incrementAndGet();
                onDevice = staged;
            }
            kernels.yuvToRgbPlanar(onDevice, format, w, h, YuvCoefficients.of(video.color(), format.bitDepth()), p,
                    tensor, 0, stream);
            stream.synchronize();
            return tensor;
        } catch (RuntimeException e) {
            tensor.close();
            throw e;
        } finally {
            if (staged != null) {
                staged.close();
            }
        }
    }

    @Override
    public FrameBuffer toHostYuv(FrameBuffer tensor, int width, int height, VideoStreamInfo video, Precision p) {
        device.bindToCurrentThread();
        PixelFormat format = video.pixelFormat();
        long bytes = format.frameBytes(width, height);
        FrameBuffer hostYuv = pinned.pool().acquire(bytes);
        try (FrameBuffer yuv = acquire(bytes)) {
            kernels.rgbPlanarToYuv(tensor, 0, p, width, height, YuvCoefficients.of(video.color(), format.bitDepth()),
                    format, yuv, stream);
            FrameTransfers.download(yuv, hostYuv, bytes, stream);
            hostCopies.incrementAndGet();
            stream.synchronize();
            return hostYuv;
        } catch (RuntimeException e) {
            hostYuv.close();
            throw e;
        }
    }

    @Override
    public TensorOps tensorOps() {
        return tensorOps;
    }

    @Override
    public MemoryBudget memoryBudget() {
        return pool.pool().budget();
    }

    @Override
    public long hostCopies() {
        return hostCopies.get();
    }

    @Override
    public void close() {
        closeAll(tensorOps, kernels, host, pinned, pool, stream, device);
    }

    private static void closeAll(AutoCloseable... resources) {
        RuntimeException first = null;
        for (AutoCloseable r : resources) {
            if (r == null) {
                continue;
            }
            try {
                r.close();
            } catch (Exception e) {
                if (first == null) {
                    first = new IllegalStateException("closing " + r, e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
