package org.videoforge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.videoforge.bench.GpuBenchmark.Report;
import org.videoforge.bench.GpuBenchmark.Result;
import org.videoforge.bench.GpuBenchmark.Summary;
import org.videoforge.bench.GpuBenchmark.Timings;
import org.videoforge.device.CudaFrameDevice;
import org.videoforge.frame.Precision;
import org.videoforge.gpu.CudaDevice;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.gpu.CudaStream;
import org.videoforge.gpu.DevicePools;
import org.videoforge.inference.InferenceBackend;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.OrtCudaBackend;
import org.videoforge.inference.PendingRun;
import org.videoforge.inference.tensorrt.EngineCache;
import org.videoforge.inference.tensorrt.EngineSettings;
import org.videoforge.inference.tensorrt.TensorRtBackend;
import org.videoforge.inference.tensorrt.TensorRtOptions;
import org.videoforge.inference.tensorrt.TensorRtRuntime;
import org.videoforge.inference.tiling.TilePlan;
import org.videoforge.inference.tiling.TiledInference;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.SharedPools;
import org.videoforge.model.OnnxGraphBuilder;
import org.videoforge.model.RrdbNet;
import org.videoforge.model.SrVggNetCompact;

/**
 * TensorRT on CUDA device 0, the model stage alone, in one run with ONNX Runtime CUDA for reference:
 * <ol>
 *   <li>{@code model}: SRVGGNetCompact x4 and x2 (seed 42), FP16, 1280x720 and 1920x1080, batch 1, on
 *       TensorRT with the pixel shuffle in our kernel (the pipeline's default, "shuffle kernel") and with
 *       TensorRT's default settings (the whole graph in the engine); the speed ideas on Compact x4 1080p (builder optimisation
 *       level 5, channels-last FP16 I/O, two execution contexts on two streams, batches of 2); ONNX
 *       Runtime CUDA on Compact x4 1080p and x2 720p; Compact x4 1080p and x2 720p with every convolution
 *       int8 (explicit Q/DQ in an FP16 graph, {@link SrVggNetCompact#buildQuantized}: speed only; fidelity
 *       is {@link TensorRtQuantizedFidelity}'s; FP8 E4M3 is there too, as TensorRT 10.6 gives garbage for
 *       it); Compact x4 1080p with the other {@link SrVggNetCompact.Tail}s (the same values from other
 *       layers); with {@code --fp32}, FP32 (TF32) too;</li>
 *   <li>{@code rrdb}: RRDBNet x4 (23 blocks) on 1920x1080 in 512-pixel tiles (overlap 16), FP16: fps
 *       and device memory;</li>
 *   <li>{@code build}: the Compact x4 1080p FP16 engine built on an empty cache, again with the timing
 *       cache that build left, opened from the engine cache, and start-up to the first frame (open,
 *       engine from the cache, first run) against ONNX Runtime CUDA's.</li>
 * </ol>
 * Each model case runs {@code warm-up} runs, then passes of {@code runs} runs queued two deep (as the
 * pipeline's inference stage keeps them: a run is awaited when the one after next is queued); the
 * table's ms/frame and fps are the median pass's, "gpu med" the median of the runs' CUDA-event
 * times, and the notes give the one-at-a-time latency. Engines are cached in {@code --work}/engines
 * (kept between runs on a warm machine: a case says whether it built or loaded its engine).
 * Writes {@code tensorrt-benchmark.csv} and {@code .log} into {@code --out}. Exit status: 0 all
 * passed, 1 something failed, 2 usage error or no CUDA device / TensorRT.
 *
 * <pre>
 * tools/gpu-bundle-run java-test org.videoforge.bench.TensorRtBenchmark --out DIR [--work DIR] [--quick]
 *     [--only model,rrdb,build] [--fp32] [--cases NAME[,NAME...]]
 * </pre>
 * {@code --cases} keeps only the model cases of those names (as the table writes them, e.g.
 * {@code "trt compact-x4 fp16 1920x1080 b1"}): one engine to profile, or a call's few questions.
 */
public final class TensorRtBenchmark {
    static final List<String> SECTIONS = List.of("model", "rrdb", "build");
    static final String USAGE = "usage: TensorRtBenchmark [--out DIR] [--work DIR] [--quick] [--fp32] [--only "
            + String.join("|", SECTIONS) + "[,...]] [--cases NAME[,NAME...]] | --describe";
    private static final int DEVICE = 0;
    private static final long SEED = 42;
    /** Input range of every convolution of the int8 and FP8 cases: their speed does not depend on it. */
    private static final float QUANTIZED_RANGE = 4f;
    private static final int QUEUE_DEPTH = 2;

    private final Report report;
    private final CudaDevice device;
    private final Path work;
    private final Plan plan;
    private final Set<String> cases;

    /** How much each case does. */
    record Plan(String name, int warmup, int runs, int passes, int rrdbFrames) {
        static final Plan FULL = new Plan("full", 10, 20, 5, 5);
        static final Plan QUICK = new Plan("quick", 2, 5, 2, 1);
    }

    private TensorRtBenchmark(Report report, CudaDevice device, Path work, Plan plan, Set<String> cases) {
        this.report = report;
        this.device = device;
        this.work = work;
        this.plan = plan;
        this.cases = cases;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Path out = Paths.get(".");
        Path work = Paths.get("/tmp/videoforge-trt-bench");
        Plan plan = Plan.FULL;
        boolean fp32 = false;
        Set<String> only = new LinkedHashSet<>(SECTIONS);
        Set<String> cases = Set.of();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--out" -> out = Paths.get(value(args, ++i));
                    case "--work" -> work = Paths.get(value(args, ++i));
                    case "--quick" -> plan = Plan.QUICK;
                    case "--fp32" -> fp32 = true;
                    case "--describe" -> {
                        // one line: where TensorRT comes from, or why it cannot be used
                        System.out.println(TensorRtRuntime.available() ? TensorRtRuntime.describe()
                                : "TensorRT unavailable: " + TensorRtRuntime.unavailableReason());
                        return TensorRtRuntime.available() ? 0 : 2;
                    }
                    case "--only" -> {
                        only = new LinkedHashSet<>(List.of(value(args, ++i).split(",")));
                        if (!SECTIONS.containsAll(only)) {
                            throw new IllegalArgumentException("unknown section in " + only);
                        }
                    }
                    case "--cases" -> cases = Set.of(value(args, ++i).split(","));
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("TensorRtBenchmark: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        if (!CudaRuntime.available() || !TensorRtRuntime.available()) {
            System.err.println("TensorRtBenchmark: no CUDA device (" + CudaRuntime.unavailableReason()
                    + ") or no TensorRT (" + TensorRtRuntime.unavailableReason() + "); nothing measured");
            return 2;
        }
        try (Report report = Report.open(out, "tensorrt-benchmark.csv", "tensorrt-benchmark.log")) {
            report.preamble("VideoForge TensorRT benchmark", args);
            report.line("tensorrt    " + TensorRtRuntime.describe());
            report.line("plan        " + plan + "; sections " + only + "; engines in " + work.resolve("engines"));
            try (CudaDevice device = CudaDevice.acquire(DEVICE)) {
                report.header(device);
                TensorRtBenchmark b = new TensorRtBenchmark(report, device, work, plan, cases);
                if (only.contains("model")) {
                    boolean withFp32 = fp32;
                    report.section("model", () -> b.models(withFp32));
                }
                if (only.contains("rrdb")) {
                    report.section("rrdb", b::rrdbTiles);
                }
                if (only.contains("build")) {
                    report.section("build", b::builds);
                }
            } catch (RuntimeException e) {
                report.failed("setup", "", e);
            }
            report.footer();
            return report.failures() == 0 ? 0 : 1;
        } catch (IOException e) {
            System.err.println("TensorRtBenchmark: cannot write to --out " + out + ": " + e);
            return 2;
        }
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    // ---------------------------------------------------------------------------------------------
    // Section model

    /**
     * One model case: a backend (TensorRT with settings and streams, or ONNX Runtime CUDA) on one size;
     * {@code quantized}: the model with every convolution int8 or FP8 (explicit Q/DQ, one range for all:
     * speed only), or null.
     */
    private record Case(String backend, int scale, Precision p, int w, int h, int batch, EngineSettings settings,
                        int streams, OnnxGraphBuilder.Quantized quantized, SrVggNetCompact.Tail tail) {
        Case(String backend, int scale, Precision p, int w, int h, int batch, EngineSettings settings, int streams) {
            this(backend, scale, p, w, h, batch, settings, streams, null, SrVggNetCompact.Tail.RESIZE);
        }

        Case(String backend, int scale, Precision p, int w, int h, int batch, EngineSettings settings, int streams,
             OnnxGraphBuilder.Quantized quantized) {
            this(backend, scale, p, w, h, batch, settings, streams, quantized, SrVggNetCompact.Tail.RESIZE);
        }

        /** Compact x4 1080p FP16 on TensorRT with default settings, ending in {@code tail}. */
        static Case x4WithTail(SrVggNetCompact.Tail tail) {
            return new Case("trt", 4, Precision.FP16, 1920, 1080, 1, EngineSettings.DEFAULTS, 1, null, tail);
        }

        String name() {
            StringBuilder variant = new StringBuilder();
            if (settings.optimizationLevel() != EngineSettings.DEFAULTS.optimizationLevel()) {
                variant.append(" opt").append(settings.optimizationLevel());
            }
            if (settings.ioFormat() != EngineSettings.IoFormat.LINEAR) {
                variant.append(" hwc8");
            }
            if (streams > 1) {
                variant.append(" 2 streams");
            }
            if (quantized == OnnxGraphBuilder.Quantized.INT8) {
                variant.append(" int8 convs");
            } else if (quantized == OnnxGraphBuilder.Quantized.FP8_E4M3) {
                variant.append(" fp8 convs");
            }
            if (tail != SrVggNetCompact.Tail.RESIZE) {
                variant.append(" tail ").append(tail.name().toLowerCase(Locale.ROOT));
            }
            if (settings.shuffleInKernel()) {
                variant.append(" shuffle kernel");
            }
            return backend + " compact-x" + scale + " " + p.name().toLowerCase(Locale.ROOT) + " " + w + "x" + h
                    + " b" + batch + variant;
        }
    }

    private void models(boolean fp32) {
        EngineSettings d = EngineSettings.DEFAULTS;
        EngineSettings k = d.withShuffleInKernel(true);
        List<Case> cases = new ArrayList<>(List.of(
                new Case("trt", 4, Precision.FP16, 1920, 1080, 1, k, 1),
                new Case("trt", 4, Precision.FP16, 1280, 720, 1, k, 1),
                new Case("trt", 2, Precision.FP16, 1280, 720, 1, k, 1),
                new Case("trt", 2, Precision.FP16, 1920, 1080, 1, k, 1),
                new Case("trt", 4, Precision.FP16, 1920, 1080, 1, k, 2),
                new Case("trt", 2, Precision.FP16, 1280, 720, 1, k, 2), // the pipeline's Compact x2 720p
                new Case("trt", 4, Precision.FP16, 1920, 1080, 1, d, 1),
                new Case("trt", 4, Precision.FP16, 1280, 720, 1, d, 1),
                new Case("trt", 2, Precision.FP16, 1280, 720, 1, d, 1),
                new Case("trt", 2, Precision.FP16, 1920, 1080, 1, d, 1),
                new Case("trt", 4, Precision.FP16, 1920, 1080, 1, d, 2),
                new Case("trt", 4, Precision.FP16, 1920, 1080, 2, d, 1),
                new Case("trt", 4, Precision.FP16, 1920, 1080, 1, d.withIoFormat(EngineSettings.IoFormat.CHANNELS_LAST), 1),
                new Case("ort-cuda", 4, Precision.FP16, 1920, 1080, 1, d, 1),
                new Case("ort-cuda", 2, Precision.FP16, 1280, 720, 1, d, 1),
                new Case("trt", 4, Precision.FP16, 1920, 1080, 1, d, 1, OnnxGraphBuilder.Quantized.INT8),
                new Case("trt", 2, Precision.FP16, 1280, 720, 1, d, 1, OnnxGraphBuilder.Quantized.INT8),
                Case.x4WithTail(SrVggNetCompact.Tail.TILE),
                Case.x4WithTail(SrVggNetCompact.Tail.DECONV_UP),
                Case.x4WithTail(SrVggNetCompact.Tail.DECONV_BOTH),
                // last: the longest build
                new Case("trt", 4, Precision.FP16, 1920, 1080, 1, d.withOptimizationLevel(5), 1)));
        if (fp32) {
            cases.add(new Case("trt", 4, Precision.FP32, 1920, 1080, 1, d, 1));
            cases.add(new Case("ort-cuda", 4, Precision.FP32, 1920, 1080, 1, d, 1));
        }
        List<String> names = cases.stream().map(Case::name).toList();
        if (!names.containsAll(this.cases)) {
            throw new IllegalArgumentException("--cases names none of " + names + ": " + this.cases);
        }
        for (Case c : cases) {
            if (this.cases.isEmpty() || this.cases.contains(c.name())) {
                report.attempt("model", c.name(), () -> measure(c));
            }
        }
    }

    private Path compact(int scale, Precision p) throws IOException {
        return compact(scale, p, null, SrVggNetCompact.Tail.RESIZE);
    }

    private Path compact(int scale, Precision p, OnnxGraphBuilder.Quantized quantized, SrVggNetCompact.Tail tail)
            throws IOException {
        Path m = work.resolve("models").resolve("compact-x" + scale + "-" + p.name().toLowerCase(Locale.ROOT)
                + (quantized == null ? "" : "-" + quantized.name().toLowerCase(Locale.ROOT))
                + (tail == SrVggNetCompact.Tail.RESIZE ? "" : "-" + tail.name().toLowerCase(Locale.ROOT)) + ".onnx");
        if (!Files.isRegularFile(m)) {
            Files.createDirectories(m.getParent());
            Files.write(m, quantized != null ? SrVggNetCompact.buildQuantized(scale, p, SEED, QUANTIZED_RANGE, quantized)
                    : SrVggNetCompact.build(scale, p, SEED, tail));
        }
        return m;
    }

    private TensorRtOptions options(int maxBatch, EngineSettings settings, int streams, Path cache) {
        return TensorRtOptions.defaults().withMaxBatch(maxBatch).withCache(EngineCache.at(cache))
                .withSettings(settings).withStreams(streams).withNotices(report::info);
    }

    private Result measure(Case c) throws IOException {
        ModelRef model = ModelRef.of(compact(c.scale(), c.p(), c.quantized(), c.tail()).toString());
        long usedBefore = GpuBenchmark.usedBytes(device);
        long t0 = System.nanoTime();
        InferenceBackend backend = c.backend().equals("trt")
                ? TensorRtBackend.open(model, c.p(), DEVICE, options(c.batch(), c.settings(), c.streams(),
                work.resolve("engines")))
                : OrtCudaBackend.open(model, c.p(), DEVICE);
        List<FrameBuffer> buffers = new ArrayList<>();
        try (backend; SharedPools.Handle dev = DevicePools.device(DEVICE, 0);
             SharedPools.Handle pinned = DevicePools.pinned(DEVICE)) {
            List<String> notes = new ArrayList<>();
            long inBytes = c.p().tensorBytes(c.batch(), c.h(), c.w());
            long outBytes = c.p().tensorBytes(c.batch(), c.h() * c.scale(), c.w() * c.scale());
            CudaStream stream;
            if (backend instanceof TensorRtBackend trt) {
                trt.prepare(c.h(), c.w());
                notes.add(trt.engineFromCache() ? "engine from the cache"
                        : String.format(Locale.ROOT, "engine built in %.1f s", trt.engineBuildNanos() / 1e9));
                notes.add(String.format(Locale.ROOT, "activations %.0f MiB per stream", GpuBenchmark.mib(
                        trt.activationBytes())));
                inBytes = trt.inputBytes(c.batch(), c.h(), c.w());
                outBytes = trt.outputBytes(c.batch(), c.h(), c.w());
                stream = trt.stream();
            } else {
                stream = ((OrtCudaBackend) backend).stream();
            }
            notes.add(0, String.format(Locale.ROOT, "open %.0f ms", (System.nanoTime() - t0) / 1e6));
            FrameBuffer[] in = new FrameBuffer[QUEUE_DEPTH];
            FrameBuffer[] out = new FrameBuffer[QUEUE_DEPTH];
            for (int k = 0; k < QUEUE_DEPTH; k++) {
                in[k] = dev.pool().acquire(inBytes);
                out[k] = dev.pool().acquire(outBytes);
                buffers.add(in[k]);
                buffers.add(out[k]);
                GpuBenchmark.upload(pinned.pool(), GpuBenchmark.ModelBench.randomTensor(c.p(), inBytes), in[k], inBytes,
                        stream);
            }
            for (int i = 0; i < plan.warmup(); i++) {
                backend.run(in[0], out[0], c.batch(), c.h(), c.w());
            }
            long used = GpuBenchmark.usedBytes(device);
            double[] latency = new double[plan.runs()];
            for (int i = 0; i < plan.runs(); i++) {
                long s = System.nanoTime();
                backend.run(in[0], out[0], c.batch(), c.h(), c.w());
                latency[i] = (System.nanoTime() - s) / 1e6;
            }
            double[] passMs = new double[plan.passes()];
            List<Double> gpu = new ArrayList<>();
            for (int pass = 0; pass < plan.passes(); pass++) {
                passMs[pass] = queuedPass(backend, in, out, c, gpu);
            }
            GpuBenchmark.ModelBench.checkOutput(pinned.pool(), out[0], c.p(), stream);
            Result r = new Result("model", c.name()).size(c.w(), c.h());
            r.precision = c.p().name().toLowerCase(Locale.ROOT);
            r.scale = c.scale();
            r.batch = c.batch();
            r.sessions = c.streams();
            r.framesPerIteration = c.batch();
            r.warmup = plan.warmup();
            r.timings = new Timings(Summary.of(passMs), Summary.of(gpu.stream().mapToDouble(Double::doubleValue)
                    .toArray()));
            r.vramUsedMib = GpuBenchmark.mib(used);
            r.vramDeltaMib = GpuBenchmark.mib(used - usedBefore);
            notes.forEach(n -> r.note("%s", n));
            Summary lat = Summary.of(latency);
            return r.note("one at a time %.2f ms (%.1f fps)", lat.median(), 1000 * c.batch() / lat.median())
                    .note("queued %d deep, %d passes of %d runs", QUEUE_DEPTH, plan.passes(), plan.runs());
        } finally {
            buffers.forEach(FrameBuffer::close);
        }
    }

    /**
     * {@code plan.runs()} runs queued {@value #QUEUE_DEPTH} deep, alternating buffers; returns the wall
     * milliseconds per run and adds each run's GPU milliseconds to {@code gpu}.
     */
    private double queuedPass(InferenceBackend backend, FrameBuffer[] in, FrameBuffer[] out, Case c, List<Double> gpu) {
        PendingRun[] queued = new PendingRun[plan.runs()];
        long t0 = System.nanoTime();
        for (int i = 0; i < plan.runs(); i++) {
            if (i >= QUEUE_DEPTH) {
                gpu.add(queued[i - QUEUE_DEPTH].await() / 1e6);
            }
            queued[i] = backend.submit(in[i % QUEUE_DEPTH], out[i % QUEUE_DEPTH], c.batch(), c.h(), c.w());
        }
        for (int i = Math.max(0, plan.runs() - QUEUE_DEPTH); i < plan.runs(); i++) {
            gpu.add(queued[i].await() / 1e6);
        }
        return (System.nanoTime() - t0) / 1e6 / plan.runs();
    }

    // ---------------------------------------------------------------------------------------------
    // Section rrdb

    private void rrdbTiles() {
        report.attempt("rrdb", "trt rrdb-x4 fp16 1920x1080 tiles 512", () -> rrdb(512));
    }

    private Result rrdb(int tile) throws IOException {
        int w = 1920;
        int h = 1080;
        Precision p = Precision.FP16;
        Path model = work.resolve("models").resolve("rrdb-x4-fp16.onnx");
        if (!Files.isRegularFile(model)) {
            Files.createDirectories(model.getParent());
            Files.write(model, RrdbNet.build(p, SEED));
        }
        TilePlan tiles = TilePlan.of(w, h, tile, 16, RrdbNet.SCALE);
        long usedBefore = GpuBenchmark.usedBytes(device);
        try (CudaFrameDevice frames = CudaFrameDevice.open(DEVICE, 0);
             SharedPools.Handle pinned = DevicePools.pinned(DEVICE);
             TensorRtBackend trt = TensorRtBackend.open(ModelRef.of(model.toString()), p, DEVICE,
                     options(1, EngineSettings.DEFAULTS, 1, work.resolve("engines")));
             FrameBuffer in = frames.acquire(p.tensorBytes(1, h, w));
             FrameBuffer out = frames.acquire(p.tensorBytes(1, h * 4, w * 4))) {
            long t0 = System.nanoTime();
            trt.prepare(tiles.tiles().get(0).height(), tiles.tiles().get(0).width());
            double openMs = (System.nanoTime() - t0) / 1e6;
            GpuBenchmark.upload(pinned.pool(), GpuBenchmark.ModelBench.randomTensor(p, p.tensorBytes(1, h, w)), in,
                    p.tensorBytes(1, h, w), trt.stream());
            TiledInference.run(trt, frames, tiles, in, out, h, w); // warm-up
            long peak = GpuBenchmark.usedBytes(device);
            double[] ms = new double[plan.rrdbFrames()];
            for (int i = 0; i < ms.length; i++) {
                long s = System.nanoTime();
                TiledInference.run(trt, frames, tiles, in, out, h, w);
                ms[i] = (System.nanoTime() - s) / 1e6;
                peak = Math.max(peak, GpuBenchmark.usedBytes(device));
            }
            GpuBenchmark.ModelBench.checkOutput(pinned.pool(), out, p, trt.stream());
            Result r = new Result("rrdb", "trt rrdb-x4 fp16 1920x1080 tiles " + tile).size(w, h);
            r.precision = "fp16";
            r.scale = 4;
            r.batch = 1;
            r.sessions = 1;
            r.warmup = 1;
            r.timings = new Timings(Summary.of(ms), null);
            r.vramUsedMib = GpuBenchmark.mib(peak);
            r.vramDeltaMib = GpuBenchmark.mib(peak - usedBefore);
            return r.note("%s; engine %s (prepare %.0f ms)", tiles, trt.engineFromCache() ? "from the cache"
                            : String.format(Locale.ROOT, "built in %.1f s", trt.engineBuildNanos() / 1e9), openMs)
                    .note("activations %.0f MiB; pool held %.0f MiB; VRAM = peak used during the frames",
                            GpuBenchmark.mib(trt.activationBytes()), GpuBenchmark.mib(frames.memoryBudget().heldBytes()));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Section build

    private void builds() throws IOException {
        Path fresh = work.resolve("build-" + System.currentTimeMillis());
        ModelRef model = ModelRef.of(compact(4, Precision.FP16).toString());
        int w = 1920;
        int h = 1080;
        try {
            double cold = buildSeconds(model, fresh, w, h);
            report.info(String.format(Locale.ROOT, "engine build, empty caches: %.1f s", cold));
            deleteEngines(fresh);
            double warm = buildSeconds(model, fresh, w, h);
            report.info(String.format(Locale.ROOT, "engine build, warm timing cache: %.1f s", warm));
            report.row(row("build compact-x4 fp16 1080p engine: cold", cold * 1000, w, h));
            report.row(row("build compact-x4 fp16 1080p engine: warm timing cache", warm * 1000, w, h));
            report.row(startup("trt", model, fresh, w, h));
            report.row(startup("ort-cuda", model, fresh, w, h));
        } finally {
            deleteTree(fresh);
        }
    }

    private double buildSeconds(ModelRef model, Path cache, int w, int h) {
        try (TensorRtBackend trt = TensorRtBackend.open(model, Precision.FP16, DEVICE,
                options(1, EngineSettings.DEFAULTS, 1, cache))) {
            trt.prepare(h, w);
            if (trt.engineFromCache()) {
                throw new IllegalStateException("expected a build, the engine came from the cache");
            }
            return trt.engineBuildNanos() / 1e9;
        }
    }

    /**
     * Start-up to the first frame: open the backend (the TensorRT engine from the cache), upload one
     * frame, run it; the wall time of all that, with the open alone in the notes.
     */
    private Result startup(String backendName, ModelRef model, Path cache, int w, int h) {
        Precision p = Precision.FP16;
        long inBytes = p.tensorBytes(1, h, w);
        long t0 = System.nanoTime();
        InferenceBackend backend = backendName.equals("trt")
                ? TensorRtBackend.open(model, p, DEVICE, options(1, EngineSettings.DEFAULTS, 1, cache))
                : OrtCudaBackend.open(model, p, DEVICE);
        try (backend; SharedPools.Handle dev = DevicePools.device(DEVICE, 0);
             SharedPools.Handle pinned = DevicePools.pinned(DEVICE);
             FrameBuffer in = dev.pool().acquire(inBytes);
             FrameBuffer out = dev.pool().acquire(p.tensorBytes(1, 4 * h, 4 * w))) {
            double openMs = (System.nanoTime() - t0) / 1e6;
            CudaStream stream = backend instanceof TensorRtBackend trt ? trt.stream() : ((OrtCudaBackend) backend).stream();
            GpuBenchmark.upload(pinned.pool(), GpuBenchmark.ModelBench.randomTensor(p, inBytes), in, inBytes, stream);
            backend.run(in, out, 1, h, w);
            double firstMs = (System.nanoTime() - t0) / 1e6;
            String from = backend instanceof TensorRtBackend trt
                    ? (trt.engineFromCache() ? "engine from the cache" : "engine BUILT (cache missed)") : "cuDNN search";
            return row("startup " + backendName + " compact-x4 fp16 1080p: open to first frame", firstMs, w, h)
                    .note("open %.0f ms; %s", openMs, from);
        }
    }

    private Result row(String name, double ms, int w, int h) {
        Result r = new Result("build", name).size(w, h);
        r.precision = "fp16";
        r.scale = 4;
        r.batch = 1;
        r.timings = new Timings(Summary.of(new double[] {ms}), null);
        return r.note("median = milliseconds of the one event; fps column meaningless here");
    }

    private static void deleteEngines(Path cache) throws IOException {
        try (Stream<Path> files = Files.list(cache)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".engine")).toList()) {
                Files.delete(f);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
