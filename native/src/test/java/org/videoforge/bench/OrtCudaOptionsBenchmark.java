package org.videoforge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.videoforge.frame.Precision;
import org.videoforge.gpu.CudaDevice;
import org.videoforge.gpu.CudaEvent;
import org.videoforge.gpu.CudaStream;
import org.videoforge.gpu.DevicePools;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.OrtCudaBackend;
import org.videoforge.inference.PendingRun;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.SharedPools;
import org.videoforge.model.SrVggNetCompact;

/**
 * ONNX Runtime CUDA provider options against SRVGGNetCompact (seed 42), by default the case the
 * 65 fps target names (x4, 1920x1080, FP16): the same model under each variant, timed with CUDA
 * events, plus what a variant costs before the first frame is out (opening the session, which runs
 * a small probe frame, and the first full-size run, where cuDNN picks its algorithms). Each
 * variant's options replace {@link OrtCudaBackend}'s defaults; "defaults" is what the engine runs.
 * (ONNX Runtime's own profiler is no help here: without CUPTI it records kernel launch times on
 * the host, about 1.4 of 20 ms a run.)
 *
 * <pre>tools/gpu-bundle-run java-test org.videoforge.bench.OrtCudaOptionsBenchmark [RUNS [--search] [CASE...]]</pre>
 * CASE is {@code x4:1920x1080:fp16}; {@code --search} compares only the cuDNN algorithm search modes.
 */
public final class OrtCudaOptionsBenchmark {
    private static final int WARMUP = 5;

    record Case(int scale, int width, int height, Precision precision) {
        static Case parse(String s) {
            String[] f = s.split(":");
            String[] wh = f[1].split("x");
            return new Case(Integer.parseInt(f[0].substring(1)), Integer.parseInt(wh[0]), Integer.parseInt(wh[1]),
                    Precision.valueOf(f[2].toUpperCase()));
        }

        long inBytes() {
            return precision.tensorBytes(1, height, width);
        }

        long outBytes() {
            return precision.tensorBytes(1, height * scale, width * scale);
        }

        @Override
        public String toString() {
            return "compact-x" + scale + " " + precision.name().toLowerCase() + " " + width + "x" + height;
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        boolean searchOnly = false;
        List<Case> cases = new ArrayList<>();
        for (int a = 1; a < args.length; a++) {
            if (args[a].equals("--search")) {
                searchOnly = true;
            } else {
                cases.add(Case.parse(args[a]));
            }
        }
        if (cases.isEmpty()) {
            cases.add(new Case(4, 1920, 1080, Precision.FP16));
        }
        Map<String, Map<String, String>> variants = new LinkedHashMap<>();
        variants.put("defaults", Map.of());
        variants.put("cudnn_conv_algo_search=HEURISTIC", Map.of("cudnn_conv_algo_search", "HEURISTIC"));
        if (!searchOnly) {
            variants.put("fuse_conv_bias=0", Map.of("fuse_conv_bias", "0"));
            variants.put("prefer_nhwc=0", Map.of("prefer_nhwc", "0"));
            variants.put("cudnn_conv_use_max_workspace=0", Map.of("cudnn_conv_use_max_workspace", "0"));
            variants.put("use_ep_level_unified_stream=1", Map.of("use_ep_level_unified_stream", "1"));
        }
        try (CudaDevice device = CudaDevice.acquire(0);
             SharedPools.Handle dev = DevicePools.device(0, 0);
             SharedPools.Handle pinned = DevicePools.pinned(0);
             CudaStream copies = CudaStream.create(device);
             CudaEvent start = CudaEvent.create(device);
             CudaEvent end = CudaEvent.create(device)) {
            for (Case c : cases) {
                Path model = Files.createTempFile("videoforge-compact-", ".onnx");
                Files.write(model, SrVggNetCompact.build(c.scale(), c.precision(), 42));
                try (FrameBuffer in = dev.pool().acquire(c.inBytes());
                     FrameBuffer result = dev.pool().acquire(c.outBytes())) {
                    GpuBenchmark.upload(pinned.pool(), GpuBenchmark.ModelBench.randomTensor(c.precision(), c.inBytes()),
                            in, c.inBytes(), copies);
                    for (Map.Entry<String, Map<String, String>> v : variants.entrySet()) {
                        System.out.println(c + " | " + v.getKey() + " | "
                                + variant(c, model, v.getValue(), in, result, runs, start, end));
                    }
                    if (c == cases.get(0) && !searchOnly) {
                        try (OrtCudaBackend backend = OrtCudaBackend.open(ModelRef.of(model.toString()), c.precision(), 0);
                             FrameBuffer second = dev.pool().acquire(c.outBytes())) {
                            queued(c, backend, in, new FrameBuffer[] {result, second}, runs);
                        }
                    }
                } finally {
                    Files.deleteIfExists(model);
                }
            }
        }
    }

    private static String variant(Case c, Path model, Map<String, String> options, FrameBuffer in, FrameBuffer result,
                                  int runs, CudaEvent start, CudaEvent end) {
        long t0 = System.nanoTime();
        try (OrtCudaBackend backend = OrtCudaBackend.open(ModelRef.of(model.toString()), c.precision(), 0, options)) {
            double openMs = (System.nanoTime() - t0) / 1e6;
            long f0 = System.nanoTime();
            backend.run(in, result, 1, c.height(), c.width());
            double firstMs = (System.nanoTime() - f0) / 1e6;
            GpuBenchmark.Timings t = GpuBenchmark.Timings.measure(backend.stream(), start, end, WARMUP, runs,
                    () -> backend.run(in, result, 1, c.height(), c.width()));
            return String.format("open %.0f ms, first run %.0f ms | gpu median %.2f ms (%.1f fps), p90 %.2f ms,"
                    + " wall median %.2f ms", openMs, firstMs, t.gpu().median(), 1000 / t.gpu().median(), t.gpu().p90(),
                    t.wall().median());
        } catch (RuntimeException e) {
            return "FAILED: " + e.getMessage();
        }
    }

    /**
     * Runs queued as the inference stage queues them (submit, two in flight, await the older):
     * how long submit keeps the calling thread, against the run's GPU time. Submit well under the
     * GPU time means the thread is free to prepare the next frame meanwhile.
     */
    private static void queued(Case c, OrtCudaBackend backend, FrameBuffer in, FrameBuffer[] outputs, int runs) {
        for (int i = 0; i < WARMUP; i++) {
            backend.run(in, outputs[0], 1, c.height(), c.width());
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
            inFlight[i] = backend.submit(in, outputs[i % 2], 1, c.height(), c.width());
            submitMs[i] = (System.nanoTime() - s0) / 1e6;
        }
        for (int i = Math.max(0, runs - 2); i < runs; i++) {
            gpuMs[i] = inFlight[i].await() / 1e6;
        }
        double wallMs = (System.nanoTime() - t0) / 1e6;
        GpuBenchmark.Summary submit = GpuBenchmark.Summary.of(submitMs);
        GpuBenchmark.Summary gpu = GpuBenchmark.Summary.of(gpuMs);
        System.out.printf("%s | queued, 2 in flight | submit median %.2f ms (p90 %.2f) on the calling thread,"
                + " gpu median %.2f ms, %.1f fps over %d runs%n", c, submit.median(), submit.p90(), gpu.median(),
                runs * 1000 / wallMs, runs);
    }
}
