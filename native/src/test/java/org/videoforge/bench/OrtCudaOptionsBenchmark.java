package org.videoforge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.videoforge.frame.Precision;
import org.videoforge.gpu.CudaDevice;
import org.videoforge.gpu.CudaEvent;
import org.videoforge.gpu.DevicePools;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.OrtCudaBackend;
import org.videoforge.inference.PendingRun;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.SharedPools;
import org.videoforge.model.SrVggNetCompact;

/**
 * ONNX Runtime CUDA provider options against the case the 65 fps target names (SRVGGNetCompact x4,
 * 1920x1080, FP16): the same model under each variant, timed with CUDA events. Each variant's
 * options replace {@link OrtCudaBackend}'s defaults; "defaults" is what the engine runs.
 * (ONNX Runtime's own profiler is no help here: without CUPTI it records kernel launch times on
 * the host, about 1.4 of 20 ms a run.)
 *
 * <pre>bin/gpu-bundle-run java-test org.videoforge.bench.OrtCudaOptionsBenchmark [RUNS]</pre>
 */
public final class OrtCudaOptionsBenchmark {
    private static final int W = 1920;
    private static final int H = 1080;
    private static final int SCALE = 4;
    private static final int WARMUP = 5;
    private static final Precision P = Precision.FP16;

    /**
     * Runs queued as the inference stage queues them (submit, two in flight, await the older):
     * how long submit keeps the calling thread, against the run's GPU time. Submit well under the
     * GPU time means the thread is free to prepare the next frame meanwhile.
     */
    private static void queued(OrtCudaBackend backend, FrameBuffer in, FrameBuffer[] outputs, int runs) {
        for (int i = 0; i < WARMUP; i++) {
            backend.run(in, outputs[0], 1, H, W);
        }
        double[] submitMs = new double[runs];
        double[] gpuMs = new double[runs];
        PendingRun[] inFlight = new PendingRun[runs];
        long t0 = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            if (i >= 2) {
                gpuMs[i - 2] = inFlight[i - 2].await() / 1e6;
            }
            long s0 = System.nanoTime();
            inFlight[i] = backend.submit(in, outputs[i % 2], 1, H, W);
            submitMs[i] = (System.nanoTime() - s0) / 1e6;
        }
        for (int i = Math.max(0, runs - 2); i < runs; i++) {
            gpuMs[i] = inFlight[i].await() / 1e6;
        }
        double wallMs = (System.nanoTime() - t0) / 1e6;
        GpuBenchmark.Summary submit = GpuBenchmark.Summary.of(submitMs);
        GpuBenchmark.Summary gpu = GpuBenchmark.Summary.of(gpuMs);
        System.out.printf("compact-x4 fp16 %dx%d | queued, 2 in flight | submit median %.2f ms (p90 %.2f) on the"
                + " calling thread, gpu median %.2f ms, %.1f fps over %d runs%n", W, H, submit.median(), submit.p90(),
                gpu.median(), runs * 1000 / wallMs, runs);
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Map<String, Map<String, String>> variants = new LinkedHashMap<>();
        variants.put("defaults", Map.of());
        variants.put("fuse_conv_bias=0", Map.of("fuse_conv_bias", "0"));
        variants.put("prefer_nhwc=0", Map.of("prefer_nhwc", "0"));
        variants.put("cudnn_conv_algo_search=HEURISTIC", Map.of("cudnn_conv_algo_search", "HEURISTIC"));
        variants.put("cudnn_conv_use_max_workspace=0", Map.of("cudnn_conv_use_max_workspace", "0"));
        variants.put("use_ep_level_unified_stream=1", Map.of("use_ep_level_unified_stream", "1"));
        Path model = Files.createTempFile("videoforge-compact-x4-fp16-", ".onnx");
        Files.write(model, SrVggNetCompact.build(SCALE, P, 42));
        long inBytes = P.tensorBytes(1, H, W);
        long outBytes = P.tensorBytes(1, H * SCALE, W * SCALE);
        try (CudaDevice device = CudaDevice.acquire(0);
             SharedPools.Handle dev = DevicePools.device(0, 0);
             SharedPools.Handle pinned = DevicePools.pinned(0);
             FrameBuffer in = dev.pool().acquire(inBytes);
             FrameBuffer result = dev.pool().acquire(outBytes);
             CudaEvent start = CudaEvent.create(device);
             CudaEvent end = CudaEvent.create(device)) {
            for (Map.Entry<String, Map<String, String>> v : variants.entrySet()) {
                String line;
                try (OrtCudaBackend backend = OrtCudaBackend.open(ModelRef.of(model.toString()), P, 0, v.getValue())) {
                    GpuBenchmark.upload(pinned.pool(), GpuBenchmark.ModelBench.randomTensor(P, inBytes), in, inBytes,
                            backend.stream());
                    GpuBenchmark.Timings t = GpuBenchmark.Timings.measure(backend.stream(), start, end, WARMUP, runs,
                            () -> backend.run(in, result, 1, H, W));
                    line = String.format("gpu median %.2f ms (%.1f fps), p90 %.2f ms, wall median %.2f ms",
                            t.gpu().median(), 1000 / t.gpu().median(), t.gpu().p90(), t.wall().median());
                } catch (RuntimeException e) {
                    line = "FAILED: " + e.getMessage();
                }
                System.out.println("compact-x4 fp16 " + W + "x" + H + " | " + v.getKey() + " | " + line);
            }
            try (OrtCudaBackend backend = OrtCudaBackend.open(ModelRef.of(model.toString()), P, 0);
                 FrameBuffer second = dev.pool().acquire(outBytes)) {
                queued(backend, in, new FrameBuffer[] {result, second}, runs);
            }
        } finally {
            Files.deleteIfExists(model);
        }
    }
}
