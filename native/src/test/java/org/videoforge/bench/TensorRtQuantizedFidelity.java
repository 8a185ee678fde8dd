package org.videoforge.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.videoforge.frame.Float16;
import org.videoforge.frame.Precision;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.gpu.DevicePools;
import org.videoforge.gpu.FrameTransfers;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.PendingRun;
import org.videoforge.inference.TestTensors;
import org.videoforge.inference.tensorrt.EngineCache;
import org.videoforge.inference.tensorrt.TensorRtBackend;
import org.videoforge.inference.tensorrt.TensorRtOptions;
import org.videoforge.inference.tensorrt.TensorRtRuntime;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.SharedPools;

/**
 * Issue 14's low-precision gate, judged on TensorRT: every int8 and FP8 variant of each model in a set
 * written by {@code org.videoforge.model.QuantizedModelSet} against the same model's FP16 engine, on the set's
 * real frames: PSNR of the clamped outputs (worst frame and mean; the gate is 40 dB), and the speed of
 * each engine on those frames (runs queued two deep, as the pipeline's inference stage keeps them).
 * All engines of a model are open at once, so each frame's outputs are compared as they come.
 *
 * <pre>
 * tools/gpu-bundle-run java-test org.videoforge.bench.TensorRtQuantizedFidelity SET_DIR OUT.tsv [ENGINE_CACHE_DIR]
 * </pre>
 */
public final class TensorRtQuantizedFidelity {
    private static final int DEVICE = 0;
    private static final String REFERENCE = "fp16";
    private static final int WARMUP = 5;
    private static final int RUNS = 40;

    private TensorRtQuantizedFidelity() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: TensorRtQuantizedFidelity SET_DIR OUT.tsv [ENGINE_CACHE_DIR]");
            System.exit(2);
        }
        if (!CudaRuntime.available() || !TensorRtRuntime.available()) {
            System.err.println("TensorRtQuantizedFidelity: no CUDA device or no TensorRT; nothing measured");
            System.exit(2);
        }
        Path set = Path.of(args[0]);
        EngineCache cache = EngineCache.at(Path.of(args.length > 2 ? args[2] : "/tmp/videoforge-trt-bench/engines"));
        String[] size = Files.readString(set.resolve("frames.txt")).trim().split(" ");
        int w = Integer.parseInt(size[0]);
        int h = Integer.parseInt(size[1]);
        List<Path> frames;
        try (Stream<Path> s = Files.list(set.resolve("frames"))) {
            frames = s.filter(f -> f.toString().endsWith(".rgb")).sorted().toList();
        }
        System.out.println(TensorRtRuntime.describe() + "; " + frames.size() + " frames " + w + "x" + h);
        StringBuilder tsv = new StringBuilder(
                "model\tvariant\tframes\tpsnr_min_db\tpsnr_mean_db\tms_per_frame\tfps\tvs_fp16\tengine\n");
        List<Path> models;
        try (Stream<Path> s = Files.list(set.resolve("models"))) {
            models = s.sorted().toList();
        }
        int failures = 0;
        for (Path model : models) {
            failures += judge(model, frames, w, h, cache, tsv);
        }
        Files.writeString(Path.of(args[1]), tsv);
        System.exit(failures == 0 ? 0 : 1);
    }

    /** One model's variants against its FP16 engine; returns the number of variants that failed. */
    private static int judge(Path dir, List<Path> frames, int w, int h, EngineCache cache, StringBuilder tsv)
            throws IOException {
        String model = dir.getFileName().toString();
        Map<String, TensorRtBackend> engines = new LinkedHashMap<>();
        Map<String, String> notes = new LinkedHashMap<>();
        int failures = 0;
        List<Path> variants;
        try (Stream<Path> s = Files.list(dir)) {
            // the reference first: every other variant's frames are compared with its output
            variants = s.filter(f -> f.toString().endsWith(".onnx"))
                    .sorted(Comparator.comparing((Path f) -> !f.getFileName().toString().equals(REFERENCE + ".onnx"))
                            .thenComparing(Comparator.naturalOrder())).toList();
        }
        try {
            for (Path onnx : variants) {
                String v = onnx.getFileName().toString().replace(".onnx", "");
                try {
                    TensorRtBackend trt = TensorRtBackend.open(ModelRef.of(onnx.toString()), Precision.FP16, DEVICE,
                            TensorRtOptions.defaults().withCache(cache).withNotices(System.out::println));
                    engines.put(v, trt);
                    trt.prepare(h, w);
                    notes.put(v, trt.engineFromCache() ? "from the cache"
                            : String.format(Locale.ROOT, "built in %.1f s", trt.engineBuildNanos() / 1e9));
                } catch (RuntimeException e) {
                    TensorRtBackend failed = engines.remove(v);
                    if (failed != null) {
                        failed.close();
                    }
                    failures++;
                    String row = model + "\t" + v + "\tFAILED\t" + GpuBenchmark.oneLine(e);
                    System.out.println(row);
                    tsv.append(row).append('\n');
                }
            }
            if (!engines.containsKey(REFERENCE)) {
                return failures;
            }
            int scale = engines.get(REFERENCE).model().scale();
            long inBytes = Precision.FP16.tensorBytes(1, h, w);
            long outBytes = Precision.FP16.tensorBytes(1, h * scale, w * scale);
            int outElements = (int) (outBytes / 2);
            Map<String, double[]> db = new LinkedHashMap<>();
            engines.keySet().forEach(v -> db.put(v, new double[frames.size()]));
            try (SharedPools.Handle dev = DevicePools.device(DEVICE, 0);
                 SharedPools.Handle pinned = DevicePools.pinned(DEVICE);
                 FrameBuffer hostIn = pinned.pool().acquire(inBytes);
                 FrameBuffer hostOut = pinned.pool().acquire(outBytes);
                 FrameBuffer in = dev.pool().acquire(inBytes);
                 FrameBuffer out = dev.pool().acquire(outBytes);
                 FrameBuffer out2 = dev.pool().acquire(outBytes)) {
                for (int k = 0; k < frames.size(); k++) {
                    fill(hostIn.hostBytes(), Files.readAllBytes(frames.get(k)), w, h);
                    float[] reference = null;
                    for (Map.Entry<String, TensorRtBackend> e : engines.entrySet()) {
                        TensorRtBackend trt = e.getValue();
                        FrameTransfers.upload(hostIn, in, inBytes, trt.stream());
                        trt.run(in, out, 1, h, w);
                        FrameTransfers.download(out, hostOut, outBytes, trt.stream());
                        trt.stream().synchronize();
                        float[] y = clamped(hostOut.hostBytes(), outElements);
                        if (reference == null) { // the first engine is the reference's
                            reference = y;
                        }
                        db.get(e.getKey())[k] = Math.min(TestTensors.psnr(reference, y), 200);
                    }
                }
                double refMs = Double.NaN;
                for (Map.Entry<String, TensorRtBackend> e : engines.entrySet()) {
                    double ms = queuedMs(e.getValue(), in, new FrameBuffer[] {out, out2}, h, w);
                    if (e.getKey().equals(REFERENCE)) {
                        refMs = ms;
                    }
                    double[] d = db.get(e.getKey());
                    String row = String.format(Locale.ROOT, "%s\t%s\t%d\t%.2f\t%.2f\t%.3f\t%.1f\t%.2fx\t%s", model,
                            e.getKey(), d.length, Arrays.stream(d).min().orElse(Double.POSITIVE_INFINITY),
                            Arrays.stream(d).average().orElse(Double.NaN), ms, 1000 / ms, refMs / ms, notes.get(e.getKey()));
                    System.out.println(row);
                    tsv.append(row).append('\n');
                }
            }
        } finally {
            engines.values().forEach(TensorRtBackend::close);
        }
        return failures;
    }

    /** Milliseconds a frame over {@value #RUNS} runs queued two deep, after {@value #WARMUP} runs. */
    private static double queuedMs(TensorRtBackend trt, FrameBuffer in, FrameBuffer[] out, int h, int w) {
        for (int i = 0; i < WARMUP; i++) {
            trt.run(in, out[0], 1, h, w);
        }
        List<PendingRun> queued = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < RUNS; i++) {
            if (i >= 2) {
                queued.get(i - 2).await();
            }
            queued.add(trt.submit(in, out[i % 2], 1, h, w));
        }
        queued.get(RUNS - 2).await();
        queued.get(RUNS - 1).await();
        return (System.nanoTime() - t0) / 1e6 / RUNS;
    }

    /** Packed RGB24 into an NCHW FP16 tensor in [0, 1]. */
    private static void fill(ByteBuffer tensor, byte[] rgb, int w, int h) {
        int plane = w * h;
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                tensor.putShort(2 * (c * plane + i), Float16.fromFloat((rgb[3 * i + c] & 0xff) / 255f));
            }
        }
    }

    private static float[] clamped(ByteBuffer fp16, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            float v = Float16.toFloat(fp16.getShort(2 * i));
            if (!Float.isFinite(v)) {
                throw new IllegalStateException("non-finite output at " + i);
            }
            out[i] = Math.min(1f, Math.max(0f, v));
        }
        return out;
    }
}
