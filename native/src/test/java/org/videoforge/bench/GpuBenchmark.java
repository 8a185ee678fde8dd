package org.videoforge.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.onnxruntime.global.onnxruntime;
import org.videoforge.codec.DecodedFrame;
import org.videoforge.codec.FrameDecoder;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.codec.VideoDecoder;
import org.videoforge.codec.nvdec.NvDecoder;
import org.videoforge.color.YuvCoefficients;
import org.videoforge.frame.ColorMatrix;
import org.videoforge.frame.ColorRange;
import org.videoforge.frame.ColorSpec;
import org.videoforge.frame.Float16;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Precision;
import org.videoforge.frame.Rational;
import org.videoforge.gpu.ColorKernels;
import org.videoforge.gpu.CudaDevice;
import org.videoforge.gpu.CudaEvent;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.gpu.CudaStream;
import org.videoforge.gpu.DeviceAllocations;
import org.videoforge.gpu.DevicePools;
import org.videoforge.gpu.FrameTransfers;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.OrtCudaBackend;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.PoolStats;
import org.videoforge.memory.SharedPools;
import org.videoforge.model.SrVggNetCompact;
import org.videoforge.testing.SyntheticClips;

/**
 * Component benchmarks on CUDA device 0, each stage alone (end to end is the CLI's job):
 * <ol>
 *   <li>{@code model}: SRVGGNetCompact x4 and x2 (seed 42), FP16 and FP32, 1280x720 and 1920x1080,
 *       batch 1, plus batches 2 and 4 for FP16 1080p, plus FP16 with 2-4 sessions on their own streams
 *       and threads, through {@link OrtCudaBackend} on pooled device
 *       tensors; a fresh session per case, so each case's VRAM is its own;</li>
 *   <li>{@code nvdec}: {@link NvDecoder} on a synthetic 1920x1080 H.264 clip, 1 and 7 sessions (one
 *       thread and stream each, same file), and the CPU {@link VideoDecoder} for comparison;</li>
 *   <li>{@code kernels}: {@link ColorKernels} NV12 to RGB FP16 at 1080p, RGB FP16 to NV12 at 2x and 4x.</li>
 * </ol>
 * Prints a self-contained record (date, exact arguments, GPU, driver and runtime versions, then a
 * table) and writes {@code gpu-benchmark.csv} (one row per case, failures included) and
 * {@code gpu-benchmark.log} (the same record plus stack traces) into {@code --out DIR}. A failing
 * case or section is reported and the rest still runs. Exit status: 0 all passed, 1 something
 * failed, 2 usage error or no CUDA device.
 *
 * <pre>
 * java -cp native/target/test-classes:native/target/classes:$(cat cp.txt) \
 *     org.videoforge.bench.GpuBenchmark --out DIR [--quick] [--only model|nvdec|kernels[,...]]
 * </pre>
 */
public final class GpuBenchmark {
    static final String CSV = "gpu-benchmark.csv";
    static final String LOG = "gpu-benchmark.log";
    static final List<String> SECTIONS = List.of("model", "nvdec", "kernels");
    static final String USAGE = "usage: GpuBenchmark [--out DIR] [--quick] [--only " + String.join("|", SECTIONS)
            + "[,...]]\n  --out DIR   where " + CSV + " and " + LOG + " go (default: the working directory)\n"
            + "  --quick     few iterations, a short clip: a smoke run\n"
            + "  --only S    run only these sections (comma-separated)";
    static final int DEVICE = 0;

    private GpuBenchmark() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the benchmark; returns the exit status. */
    static int run(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("GpuBenchmark: " + e.getMessage());
            System.err.println(USAGE);
            return 2;
        }
        if (o.help) {
            System.out.println(USAGE);
            return 0;
        }
        if (!CudaRuntime.available()) {
            System.err.println("GpuBenchmark: no CUDA device: " + CudaRuntime.unavailableReason());
            System.err.println("GpuBenchmark: arguments " + quoted(args) + "; nothing measured, no files written");
            return 2;
        }
        Report report;
        try {
            report = Report.open(o.out);
        } catch (IOException e) {
            System.err.println("GpuBenchmark: cannot write to --out " + o.out + ": " + e);
            return 2;
        }
        try (report) {
            report.preamble(args, o);
            try (CudaDevice device = CudaDevice.acquire(DEVICE)) {
                report.header(device);
                if (o.wants("model")) {
                    report.section("model", () -> new ModelBench(device, o.plan, report).run());
                }
                if (o.wants("nvdec")) {
                    report.section("nvdec", () -> new NvdecBench(device, o.plan, report).run());
                }
                if (o.wants("kernels")) {
                    report.section("kernels", () -> new KernelBench(device, o.plan, report).run());
                }
            } catch (RuntimeException e) {
                report.failed("setup", "", e); // e.g. the device cannot be opened
            }
            report.footer();
            return report.failures() == 0 ? 0 : 1;
        }
    }

    /** The command line. */
    static final class Options {
        Path out = Paths.get(".");
        Plan plan = Plan.FULL;
        Set<String> only = new LinkedHashSet<>(SECTIONS);
        boolean help;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--out":
                        o.out = Paths.get(value(args, ++i, "--out"));
                        break;
                    case "--quick":
                        o.plan = Plan.QUICK;
                        break;
                    case "--only":
                        o.only = new LinkedHashSet<>();
                        for (String s : value(args, ++i, "--only").split(",")) {
                            if (!SECTIONS.contains(s.trim())) {
                                throw new IllegalArgumentException("unknown section " + s + " (" + SECTIONS + ")");
                            }
                            o.only.add(s.trim());
                        }
                        break;
                    case "-h":
                    case "--help":
                        o.help = true;
                        break;
                    default:
                        throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            return o;
        }

        boolean wants(String section) {
            return only.contains(section);
        }

        private static String value(String[] args, int i, String flag) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            return args[i];
        }
    }

    /** How much each section does. */
    record Plan(String name, int modelWarmup, int modelRuns, int clipFrames, int decodePasses, int kernelWarmup,
                int kernelRuns) {
        static final Plan FULL = new Plan("full", 10, 50, 240, 3, 10, 100);
        static final Plan QUICK = new Plan("quick", 2, 5, 48, 1, 3, 10);

        @Override
        public String toString() {
            return name + ": model warm-up " + modelWarmup + " + " + modelRuns + " runs; decode " + clipFrames
                    + "-frame clip, 1 warm-up + " + decodePasses + " passes; kernels warm-up " + kernelWarmup + " + "
                    + kernelRuns + " calls";
        }
    }

    /** Order statistics of one series of milliseconds. */
    record Summary(int n, double median, double p90, double mean, double min) {
        static Summary of(double[] ms) {
            double[] s = ms.clone();
            Arrays.sort(s);
            int n = s.length;
            double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
            double p90 = s[Math.max(0, (int) Math.ceil(0.9 * n) - 1)]; // nearest rank
            return new Summary(n, median, p90, Arrays.stream(s).average().orElse(Double.NaN), s[0]);
        }
    }

    /** Wall-clock and CUDA-event times of the same calls. */
    record Timings(Summary wall, Summary gpu) {
        /**
         * Times {@code runs} calls of {@code call} (after {@code warmup} untimed ones): wall clock from
         * before the call to its completion, and GPU time between events recorded on {@code stream}
         * around it. The call's work must go on {@code stream}.
         */
        static Timings measure(CudaStream stream, CudaEvent start, CudaEvent end, int warmup, int runs,
                               Runnable call) {
            for (int i = 0; i < warmup; i++) {
                call.run();
            }
            stream.synchronize();
            double[] wall = new double[runs];
            double[] gpu = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                start.record(stream);
                call.run();
                end.record(stream);
                end.synchronize();
                wall[i] = (System.nanoTime() - t0) / 1e6;
                gpu[i] = end.millisSince(start);
            }
            return new Timings(Summary.of(wall), Summary.of(gpu));
        }
    }

    /** One row of the table and the CSV. */
    static final class Result {
        static final String[] COLUMNS = {"status", "section", "case", "precision", "scale", "batch", "width",
            "height", "sessions", "frames_per_iter", "warmup", "iterations", "wall_median_ms", "wall_p90_ms",
            "wall_mean_ms", "wall_min_ms", "gpu_median_ms", "gpu_p90_ms", "ms_per_frame", "fps", "vram_used_mib",
            "vram_delta_mib", "pool_held_mib", "device_mallocs_timed", "notes"};

        final String section;
        final String name;
        String precision = "";
        int scale;
        int batch;
        int width;
        int height;
        int sessions;
        double framesPerIteration = 1;
        int warmup;
        Timings timings;
        double vramUsedMib = Double.NaN;
        double vramDeltaMib = Double.NaN;
        double poolHeldMib = Double.NaN;
        long mallocsTimed = -1;
        final List<String> notes = new ArrayList<>();

        Result(String section, String name) {
            this.section = section;
            this.name = name;
        }

        Result size(int w, int h) {
            this.width = w;
            this.height = h;
            return this;
        }

        Result note(String format, Object... args) {
            notes.add(String.format(Locale.ROOT, format, args));
            return this;
        }

        double msPerFrame() {
            return timings.wall().median() / framesPerIteration;
        }

        double fps() {
            return 1000 * framesPerIteration / timings.wall().median();
        }

        String[] csv() {
            Summary w = timings.wall();
            Summary g = timings.gpu();
            return new String[] {"ok", section, name, precision, num(scale), num(batch), num(width), num(height),
                num(sessions), fmt(framesPerIteration, 0), num(warmup), num(w.n()), fmt(w.median(), 4),
                fmt(w.p90(), 4), fmt(w.mean(), 4), fmt(w.min(), 4), g == null ? "" : fmt(g.median(), 4),
                g == null ? "" : fmt(g.p90(), 4), fmt(msPerFrame(), 4), fmt(fps(), 2), fmt(vramUsedMib, 0),
                fmt(vramDeltaMib, 0), fmt(poolHeldMib, 1), mallocsTimed < 0 ? "" : Long.toString(mallocsTimed),
                String.join("; ", notes)};
        }

        static String[] failedCsv(String section, String name, Throwable t) {
            String[] row = new String[COLUMNS.length];
            Arrays.fill(row, "");
            row[0] = "failed";
            row[1] = section;
            row[2] = name;
            row[row.length - 1] = oneLine(t);
            return row;
        }

        private static String num(int v) {
            return v == 0 ? "" : Integer.toString(v);
        }

        static String fmt(double v, int decimals) {
            return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
        }
    }

    /** Where results go: stdout and the log (a tee), and the CSV, flushed row by row. */
    static final class Report implements AutoCloseable {
        private static final String ROW = "%-7s %-40s %4s %9s %9s %9s %9s %9s %15s  %s%n";

        private final Path csvPath;
        private final PrintStream log;
        private final PrintStream out;
        private final BufferedWriter csv;
        private int rows;
        private int failures;

        private Report(Path csvPath, PrintStream log, BufferedWriter csv) {
            this.csvPath = csvPath;
            this.log = log;
            this.out = new PrintStream(new Tee(System.out, log), true, StandardCharsets.UTF_8);
            this.csv = csv;
        }

        static Report open(Path dir) throws IOException {
            return open(dir, CSV, LOG);
        }

        /** A report into {@code dir}/{@code csvName} and {@code dir}/{@code logName} (another benchmark's files). */
        static Report open(Path dir, String csvName, String logName) throws IOException {
            Files.createDirectories(dir);
            Path csvPath = dir.resolve(csvName).toAbsolutePath();
            PrintStream log = new PrintStream(Files.newOutputStream(dir.resolve(logName)), true, StandardCharsets.UTF_8);
            BufferedWriter csv = Files.newBufferedWriter(csvPath, StandardCharsets.UTF_8);
            Report r = new Report(csvPath, log, csv);
            r.csvLine(Result.COLUMNS);
            return r;
        }

        /** What is known before touching the device: date, arguments, software, plan. */
        void preamble(String[] args, Options o) {
            preamble("VideoForge GPU benchmark", args);
            out.println("plan        " + o.plan + "; sections " + o.only);
            out.println("csv         " + csvPath);
        }

        /** The title, date, arguments and software versions. */
        void preamble(String title, String[] args) {
            out.println(title);
            out.println("date        " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            out.println("arguments   " + quoted(args) + " (" + args.length + ")");
            out.println("java        " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                    + ", javacpp " + javacppVersion() + " " + Loader.getPlatform() + ", "
                    + Runtime.getRuntime().availableProcessors() + " CPUs");
            out.println("cuda        driver API " + cudaVersion(true) + ", runtime " + cudaVersion(false));
            out.println("driver      " + nvidiaDriver());
            out.println("onnxruntime " + onnxRuntime());
        }

        /** A line of the record, as it is. */
        void line(String text) {
            out.println(text);
        }

        /** The device, then the table's heading. */
        void header(CudaDevice device) {
            out.println("gpu         " + device + ", " + CudaRuntime.deviceCount() + " device(s) visible");
            out.println("columns     n = timed iterations; median, p90 = wall ms per iteration; gpu med = CUDA-event ms;"
                    + " ms/frame, fps from the wall median; VRAM = total - free after warm-up (+ over the case's start)");
            out.println();
            out.printf(ROW, "section", "case", "n", "median", "p90", "gpu med", "ms/frame", "fps", "VRAM MiB (+)",
                    "notes");
        }

        interface Body {
            void run() throws Exception;
        }

        /** Runs a section; a failure is reported and counted, and the next section still runs. */
        void section(String name, Body body) {
            long t0 = System.nanoTime();
            try {
                body.run();
            } catch (Throwable t) {
                failed(name, "(section)", t);
            }
            log.printf("-- section %s took %.1f s; device allocations %d live, %d ever%n", name,
                    (System.nanoTime() - t0) / 1e9, DeviceAllocations.live(), DeviceAllocations.allocations());
        }

        /** Runs one case and records its result, or its failure. */
        void attempt(String section, String name, CaseBody body) {
            try {
                row(body.run());
            } catch (Throwable t) {
                failed(section, name, t);
            }
        }

        interface CaseBody {
            Result run() throws Exception;
        }

        void row(Result r) {
            String vram = Double.isNaN(r.vramUsedMib) ? ""
                    : Result.fmt(r.vramUsedMib, 0) + (Double.isNaN(r.vramDeltaMib) ? "" : " (+" + Result.fmt(r.vramDeltaMib, 0) + ")");
            Summary g = r.timings.gpu();
            out.printf(ROW, r.section, r.name, r.timings.wall().n(), Result.fmt(r.timings.wall().median(), 3),
                    Result.fmt(r.timings.wall().p90(), 3), g == null ? "" : Result.fmt(g.median(), 3),
                    Result.fmt(r.msPerFrame(), 3), Result.fmt(r.fps(), 1), vram, String.join("; ", r.notes));
            csvLine(r.csv());
            rows++;
        }

        void failed(String section, String name, Throwable t) {
            failures++;
            out.println("FAILED " + section + (name.isEmpty() ? "" : " / " + name) + ": " + oneLine(t));
            StringWriter trace = new StringWriter();
            t.printStackTrace(new PrintWriter(trace));
            log.print(trace);
            csvLine(Result.failedCsv(section, name, t));
        }

        /** A line of the record that is not a result row. */
        void info(String line) {
            out.println("        " + line);
        }

        void footer() {
            out.println();
            out.println(rows + " results, " + failures + " failures" + (failures == 0 ? "" : " (see " + LOG + ")")
                    + "; device allocations " + DeviceAllocations.allocations() + " ever, " + DeviceAllocations.live()
                    + " live");
            out.println(failures == 0 ? "BENCHMARK OK" : "BENCHMARK FAILED");
        }

        int failures() {
            return failures;
        }

        private void csvLine(String[] fields) {
            try {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < fields.length; i++) {
                    b.append(i == 0 ? "" : ",").append(csvField(fields[i]));
                }
                csv.write(b.append('\n').toString());
                csv.flush(); // a run cut short keeps what it measured
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("writing " + csvPath, e);
            }
        }

        private static String csvField(String s) {
            if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
                return "\"" + s.replace("\"", "\"\"").replace("\n", " ") + "\"";
            }
            return s;
        }

        @Override
        public void close() {
            try {
                csv.close();
            } catch (IOException e) {
                System.err.println("GpuBenchmark: closing " + csvPath + ": " + e);
            }
            out.flush();
            log.close();
        }
    }

    /** Section 1: the super-resolution model alone. */
    static final class ModelBench {
        private static final int[][] SIZES = {{1280, 720}, {1920, 1080}};
        private static final int[] BATCHES = {2, 4};
        private static final long SEED = 42;

        private final CudaDevice device;
        private final Plan plan;
        private final Report report;

        ModelBench(CudaDevice device, Plan plan, Report report) {
            this.device = device;
            this.plan = plan;
            this.report = report;
        }

        void run() {
            if (!OrtCudaBackend.cudaProviderCompiledIn()) {
                throw new IllegalStateException("this ONNX Runtime (" + onnxRuntime() + ") has no CUDA execution "
                        + "provider: put onnxruntime's linux-x86_64-gpu natives on the classpath");
            }
            for (int scale : new int[] {4, 2}) {
                for (Precision p : new Precision[] {Precision.FP16, Precision.FP32}) {
                    for (int[] size : SIZES) {
                        attempt(scale, p, size[0], size[1], 1);
                    }
                    if (p == Precision.FP16) {
                        for (int batch : BATCHES) {
                            attempt(scale, p, 1920, 1080, batch);
                        }
                    }
                }
            }
            // Past one session's rate (the 65 fps target is Compact x4 1080p FP16): several sessions,
            // each on its own stream and thread.
            for (int scale : new int[] {4, 2}) {
                for (int[] size : SIZES) {
                    for (int sessions : new int[] {2, 3, 4}) {
                        attemptSessions(scale, Precision.FP16, size[0], size[1], sessions);
                    }
                }
            }
        }

        private void attemptSessions(int scale, Precision p, int w, int h, int sessions) {
            String name = "compact-x" + scale + " " + p.name().toLowerCase(Locale.ROOT) + " " + w + "x" + h + " s"
                    + sessions;
            report.attempt("model", name, () -> measureSessions(name, scale, p, w, h, sessions));
        }

        /**
         * {@code sessions} backends (each its own ONNX Runtime session and CUDA stream) on as many threads,
         * {@code plan.modelRuns()} batch-1 runs each, all started together: aggregate frames over the wall
         * time until the last finishes.
         */
        private Result measureSessions(String name, int scale, Precision p, int w, int h, int sessions)
                throws Exception {
            Path model = Files.createTempFile("videoforge-bench-compact-x" + scale + "-", ".onnx");
            List<OrtCudaBackend> backends = new ArrayList<>();
            List<FrameBuffer> buffers = new ArrayList<>();
            ExecutorService threads = Executors.newFixedThreadPool(sessions);
            try (SharedPools.Handle dev = DevicePools.device(DEVICE, 0);
                 SharedPools.Handle pinned = DevicePools.pinned(DEVICE)) {
                Files.write(model, SrVggNetCompact.build(scale, p, SEED));
                long usedBefore = usedBytes(device);
                long inBytes = p.tensorBytes(1, h, w);
                long outBytes = p.tensorBytes(1, h * scale, w * scale);
                for (int i = 0; i < sessions; i++) {
                    OrtCudaBackend b = OrtCudaBackend.open(ModelRef.of(model.toString()), p, DEVICE);
                    backends.add(b);
                    FrameBuffer in = dev.pool().acquire(inBytes);
                    buffers.add(in);
                    buffers.add(dev.pool().acquire(outBytes));
                    upload(pinned.pool(), randomTensor(p, inBytes), in, inBytes, b.stream());
                    for (int k = 0; k < plan.modelWarmup(); k++) {
                        b.run(in, buffers.get(2 * i + 1), 1, h, w);
                    }
                }
                long used = usedBytes(device);
                long mallocs = DeviceAllocations.allocations();
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < sessions; i++) {
                    OrtCudaBackend b = backends.get(i);
                    FrameBuffer in = buffers.get(2 * i);
                    FrameBuffer out = buffers.get(2 * i + 1);
                    done.add(threads.submit(() -> {
                        go.await();
                        for (int k = 0; k < plan.modelRuns(); k++) {
                            b.run(in, out, 1, h, w);
                        }
                        return null;
                    }));
                }
                long t0 = System.nanoTime();
                go.countDown();
                for (Future<?> f : done) {
                    f.get();
                }
                double perRound = (System.nanoTime() - t0) / 1e6 / plan.modelRuns();
                checkOutput(pinned.pool(), buffers.get(1), p, backends.get(0).stream());
                Result r = new Result("model", name).size(w, h);
                r.precision = p.name().toLowerCase(Locale.ROOT);
                r.scale = scale;
                r.batch = 1;
                r.sessions = sessions;
                r.framesPerIteration = sessions;
                r.warmup = plan.modelWarmup();
                r.timings = new Timings(Summary.of(new double[] {perRound}), null);
                r.vramUsedMib = mib(used);
                r.vramDeltaMib = mib(used - usedBefore);
                r.mallocsTimed = DeviceAllocations.allocations() - mallocs;
                return r.note("%d sessions x %d runs, wall %.1f ms per round of %d frames", sessions,
                        plan.modelRuns(), perRound, sessions);
            } finally {
                threads.shutdownNow();
                buffers.forEach(FrameBuffer::close);
                backends.forEach(OrtCudaBackend::close);
                Files.deleteIfExists(model);
            }
        }

        private void attempt(int scale, Precision p, int w, int h, int batch) {
            String name = "compact-x" + scale + " " + p.name().toLowerCase(Locale.ROOT) + " " + w + "x" + h + " b" + batch;
            report.attempt("model", name, () -> measure(name, scale, p, w, h, batch));
        }

        private Result measure(String name, int scale, Precision p, int w, int h, int batch) throws IOException {
            Path model = Files.createTempFile("videoforge-bench-compact-x" + scale + "-", ".onnx");
            try {
                Files.write(model, SrVggNetCompact.build(scale, p, SEED));
                long usedBefore = usedBytes(device);
                long inBytes = p.tensorBytes(batch, h, w);
                long outBytes = p.tensorBytes(batch, h * scale, w * scale);
                long t0 = System.nanoTime();
                try (SharedPools.Handle dev = DevicePools.device(DEVICE, 0);
                     SharedPools.Handle pinned = DevicePools.pinned(DEVICE);
                     OrtCudaBackend backend = OrtCudaBackend.open(ModelRef.of(model.toString()), p, DEVICE);
                     FrameBuffer in = dev.pool().acquire(inBytes);
                     FrameBuffer out = dev.pool().acquire(outBytes);
                     CudaEvent start = CudaEvent.create(device);
                     CudaEvent end = CudaEvent.create(device)) {
                    double openMs = (System.nanoTime() - t0) / 1e6;
                    upload(pinned.pool(), randomTensor(p, inBytes), in, inBytes, backend.stream());
                    long t1 = System.nanoTime();
                    backend.run(in, out, batch, h, w); // cuDNN's exhaustive algorithm search happens here
                    double firstMs = (System.nanoTime() - t1) / 1e6;
                    for (int i = 1; i < plan.modelWarmup(); i++) {
                        backend.run(in, out, batch, h, w);
                    }
                    long used = usedBytes(device);
                    PoolStats pool = dev.pool().stats();
                    long mallocs = DeviceAllocations.allocations();
                    Timings t = Timings.measure(backend.stream(), start, end, 0, plan.modelRuns(),
                            () -> backend.run(in, out, batch, h, w));
                    Result r = new Result("model", name).size(w, h);
                    r.precision = p.name().toLowerCase(Locale.ROOT);
                    r.scale = scale;
                    r.batch = batch;
                    r.framesPerIteration = batch;
                    r.warmup = plan.modelWarmup();
                    r.timings = t;
                    r.vramUsedMib = mib(used);
                    r.vramDeltaMib = mib(used - usedBefore);
                    r.poolHeldMib = mib(pool.bytesHeld());
                    r.mallocsTimed = DeviceAllocations.allocations() - mallocs;
                    checkOutput(pinned.pool(), out, p, backend.stream());
                    if (p == Precision.FP32) {
                        r.note("TF32 convolutions (ONNX Runtime's default)");
                    }
                    return r.note("open %.0f ms, first run %.0f ms", openMs, firstMs)
                            .note("pool %s, %d device blocks live", pool, DeviceAllocations.live());
                }
            } finally {
                Files.deleteIfExists(model);
            }
        }

        /** A few output values must be finite: the model really ran. */
        static void checkOutput(BucketedBufferPool pinned, FrameBuffer out, Precision p, CudaStream s) {
            int values = 4096;
            long bytes = (long) values * p.bytes();
            try (FrameBuffer host = pinned.acquire(bytes)) {
                FrameTransfers.download(out, host, bytes, s);
                s.synchronize();
                ByteBuffer b = host.hostBytes();
                for (int i = 0; i < values; i++) {
                    float v = p == Precision.FP16 ? Float16.toFloat(b.getShort(2 * i)) : b.getFloat(4 * i);
                    if (!Float.isFinite(v)) {
                        throw new IllegalStateException("output value " + i + " is " + v);
                    }
                }
            }
        }

        /** Fills a host tensor with uniform [0,1) values, to upload. */
        static TensorFill randomTensor(Precision p, long bytes) {
            return b -> {
                Random rnd = new Random(SEED);
                long n = bytes / p.bytes();
                for (int i = 0; i < n; i++) {
                    if (p == Precision.FP16) {
                        b.putShort(2 * i, Float16.fromFloat(rnd.nextFloat()));
                    } else {
                        b.putFloat(4 * i, rnd.nextFloat());
                    }
                }
            };
        }
    }

    /** Section 2: NVDEC decode alone, and the CPU decoder for comparison. */
    static final class NvdecBench {
        private static final int W = 1920;
        private static final int H = 1080;
        private static final int MANY = 7;
        private static final long PASS_TIMEOUT_MINUTES = 5;

        private final CudaDevice device;
        private final Plan plan;
        private final Report report;

        NvdecBench(CudaDevice device, Plan plan, Report report) {
            this.device = device;
            this.plan = plan;
            this.report = report;
        }

        void run() throws IOException {
            Path dir = Files.createTempDirectory("videoforge-bench-");
            try {
                long t0 = System.nanoTime();
                Path clip = SyntheticClips.h264(dir.resolve("synthetic-1080p.mp4"), W, H, plan.clipFrames(),
                        new Rational(30, 1));
                MediaInfo info = MediaProbe.probe(clip, null);
                report.info(String.format(Locale.ROOT, "clip: %s, %d frames, %.1f MB (%.1f Mbit/s), made in %.1f s",
                        info.video(), plan.clipFrames(), Files.size(clip) / 1e6,
                        Files.size(clip) * 8 / 1e6 / (plan.clipFrames() / 30.0), (System.nanoTime() - t0) / 1e9));
                report.attempt("nvdec", "nvdec h264 1080p x1 session", () -> nvdec(info, 1));
                report.attempt("nvdec", "nvdec h264 1080p x" + MANY + " sessions", () -> nvdec(info, MANY));
                report.attempt("nvdec", "cpu VideoDecoder h264 1080p x1", () -> cpu(info));
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
            }
        }

        private Result nvdec(MediaInfo info, int sessions) throws Exception {
            long usedBefore = usedBytes(device);
            ExecutorService threads = Executors.newFixedThreadPool(sessions, r -> {
                Thread t = new Thread(r, "nvdec-bench");
                t.setDaemon(true); // a hung decoder must not keep the JVM alive
                return t;
            });
            try (SharedPools.Handle dev = DevicePools.device(DEVICE, 0)) {
                Pass warm = nvdecPass(info, sessions, threads, dev.pool());
                double[] ms = new double[plan.decodePasses()];
                long peakUsed = warm.peakUsed;
                long mallocs = DeviceAllocations.allocations();
                for (int i = 0; i < ms.length; i++) {
                    Pass p = nvdecPass(info, sessions, threads, dev.pool());
                    ms[i] = p.ms;
                    peakUsed = Math.max(peakUsed, p.peakUsed);
                }
                Result r = decodeResult("nvdec h264 1080p x" + sessions + (sessions == 1 ? " session" : " sessions"),
                        sessions, ms);
                r.vramUsedMib = mib(peakUsed);
                r.vramDeltaMib = mib(peakUsed - usedBefore);
                r.poolHeldMib = mib(dev.pool().stats().bytesHeld());
                r.mallocsTimed = DeviceAllocations.allocations() - mallocs;
                return r.note("VRAM = peak sampled while decoding").note("pool %s", dev.pool().stats());
            } finally {
                threads.shutdownNow();
                threads.awaitTermination(1, TimeUnit.MINUTES);
            }
        }

        /** One pass: every session decodes the whole file at once, started together after all have opened. */
        private Pass nvdecPass(MediaInfo info, int sessions, ExecutorService threads, BucketedBufferPool pool)
                throws Exception {
            CountDownLatch opened = new CountDownLatch(sessions);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> ends = new ArrayList<>();
            long t0;
            long peakUsed = 0;
            try {
                for (int i = 0; i < sessions; i++) {
                    ends.add(threads.submit(() -> decodeWhenTold(info, pool, opened, go)));
                }
                if (!opened.await(PASS_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("NVDEC sessions did not open within " + PASS_TIMEOUT_MINUTES + " min");
                }
                t0 = System.nanoTime();
                go.countDown();
                long deadline = t0 + TimeUnit.MINUTES.toNanos(PASS_TIMEOUT_MINUTES);
                while (!ends.stream().allMatch(Future::isDone)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("NVDEC pass still running after " + PASS_TIMEOUT_MINUTES + " min");
                    }
                    peakUsed = Math.max(peakUsed, usedBytes(device));
                    Thread.sleep(10);
                }
            } finally {
                go.countDown();
            }
            long last = 0;
            for (Future<Long> f : ends) {
                last = Math.max(last, unwrap(f));
            }
            return new Pass((last - t0) / 1e6, peakUsed);
        }

        /** Opens a decoder on its own stream, waits for the start, decodes everything; returns the end time. */
        private long decodeWhenTold(MediaInfo info, BucketedBufferPool pool, CountDownLatch opened, CountDownLatch go)
                throws InterruptedException {
            boolean counted = false;
            try (CudaStream stream = CudaStream.create(device);
                 NvDecoder decoder = NvDecoder.open(info, pool, device.primaryContext(), stream.handle())) {
                opened.countDown();
                counted = true;
                go.await();
                drain(decoder, plan.clipFrames());
                return System.nanoTime();
            } finally {
                if (!counted) {
                    opened.countDown();
                }
            }
        }

        private Result cpu(MediaInfo info) throws Exception {
            try (BucketedBufferPool pool = BucketedBufferPool.host("bench-cpu-decode")) {
                decodeCpu(info, pool); // warm-up
                double[] ms = new double[plan.decodePasses()];
                for (int i = 0; i < ms.length; i++) {
                    ms[i] = decodeCpu(info, pool);
                }
                return decodeResult("cpu VideoDecoder h264 1080p x1", 1, ms).note("FFmpeg, 1 decoder thread");
            }
        }

        private double decodeCpu(MediaInfo info, BucketedBufferPool pool) {
            long t0 = System.nanoTime();
            try (VideoDecoder decoder = VideoDecoder.open(info, pool)) {
                drain(decoder, plan.clipFrames());
            }
            return (System.nanoTime() - t0) / 1e6;
        }

        private Result decodeResult(String name, int sessions, double[] passMs) {
            Result r = new Result("nvdec", name).size(W, H);
            r.sessions = sessions;
            r.framesPerIteration = (double) sessions * plan.clipFrames();
            r.warmup = 1;
            r.timings = new Timings(Summary.of(passMs), null);
            return r.note("iteration = all sessions decoding the %d-frame clip", plan.clipFrames());
        }

        /** Decodes to the end, returning each frame's lease at once; the count must be the clip's. */
        private static void drain(FrameDecoder decoder, int expected) {
            long n = 0;
            for (DecodedFrame f = decoder.next(); f != null; f = decoder.next()) {
                f.close();
                n++;
            }
            if (n != expected) {
                throw new IllegalStateException("decoded " + n + " frames, the clip has " + expected);
            }
        }

        private static long unwrap(Future<Long> f) throws Exception {
            try {
                return f.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
            }
        }

        private record Pass(double ms, long peakUsed) {
        }
    }

    /** Section 3: the colour kernels alone. */
    static final class KernelBench {
        private static final ColorSpec BT709 = ColorSpec.of(ColorMatrix.BT709, ColorRange.LIMITED);
        private static final Precision P = Precision.FP16;

        private final CudaDevice device;
        private final Plan plan;
        private final Report report;

        KernelBench(CudaDevice device, Plan plan, Report report) {
            this.device = device;
            this.plan = plan;
            this.report = report;
        }

        void run() {
            YuvCoefficients k = YuvCoefficients.of(BT709, 8);
            try (ColorKernels kernels = ColorKernels.load(device);
                 CudaStream stream = CudaStream.create(device);
                 CudaEvent start = CudaEvent.create(device);
                 CudaEvent end = CudaEvent.create(device);
                 SharedPools.Handle dev = DevicePools.device(DEVICE, 0);
                 SharedPools.Handle pinned = DevicePools.pinned(DEVICE)) {
                Kit kit = new Kit(kernels, k, stream, start, end, dev.pool(), pinned.pool());
                report.attempt("kernels", "nv12->rgb fp16 1920x1080", () -> yuvToRgb(kit, 1920, 1080));
                report.attempt("kernels", "rgb fp16->nv12 3840x2160 (x2 out)", () -> rgbToYuv(kit, 3840, 2160, "x2 out"));
                report.attempt("kernels", "rgb fp16->nv12 7680x4320 (x4 out)", () -> rgbToYuv(kit, 7680, 4320, "x4 out"));
            }
        }

        private Result yuvToRgb(Kit kit, int w, int h) {
            try (FrameBuffer frame = kit.syntheticFrame(w, h);
                 FrameBuffer tensor = kit.dev.acquire(P.tensorBytes(1, h, w))) {
                return time(kit, "nv12->rgb fp16 " + w + "x" + h, w, h, () -> kit.kernels.yuvToRgbPlanar(frame,
                        PixelFormat.NV12, w, h, kit.k, P, tensor, 0, kit.stream));
            }
        }

        private Result rgbToYuv(Kit kit, int w, int h, String label) {
            try (FrameBuffer frame = kit.syntheticFrame(w, h);
                 FrameBuffer tensor = kit.dev.acquire(P.tensorBytes(1, h, w))) {
                kit.kernels.yuvToRgbPlanar(frame, PixelFormat.NV12, w, h, kit.k, P, tensor, 0, kit.stream); // realistic input
                return time(kit, "rgb fp16->nv12 " + w + "x" + h + " (" + label + ")", w, h, () -> kit.kernels
                        .rgbPlanarToYuv(tensor, 0, P, w, h, kit.k, PixelFormat.NV12, frame, kit.stream));
            }
        }

        private Result time(Kit kit, String name, int w, int h, Runnable call) {
            long mallocs = DeviceAllocations.allocations();
            Timings t = Timings.measure(kit.stream, kit.start, kit.end, plan.kernelWarmup(), plan.kernelRuns(), call);
            Result r = new Result("kernels", name).size(w, h);
            r.precision = "fp16";
            r.warmup = plan.kernelWarmup();
            r.timings = t;
            r.mallocsTimed = DeviceAllocations.allocations() - mallocs;
            r.poolHeldMib = mib(kit.dev.stats().bytesHeld());
            return r.note("1 call = 1 frame; wall includes launch and event sync");
        }

        /** What every kernel case needs. */
        private record Kit(ColorKernels kernels, YuvCoefficients k, CudaStream stream, CudaEvent start, CudaEvent end,
                           BucketedBufferPool dev, BucketedBufferPool pinned) {
            /** Pattern frame 0 at w x h in NV12, on the device. */
            FrameBuffer syntheticFrame(int w, int h) {
                long bytes = PixelFormat.NV12.frameBytes(w, h);
                FrameBuffer frame = dev.acquire(bytes);
                try (FrameBuffer host = pinned.acquire(bytes)) {
                    SyntheticClips.fillFrame(host.hostBytes(), PixelFormat.NV12, w, h, 0);
                    FrameTransfers.upload(host, frame, bytes, stream);
                    stream.synchronize();
                    return frame;
                } catch (RuntimeException e) {
                    frame.close();
                    throw e;
                }
            }
        }
    }

    /** Writes host tensor contents. */
    interface TensorFill {
        void fill(ByteBuffer b);
    }

    /** Fills a pinned staging buffer and copies it into {@code device}. */
    static void upload(BucketedBufferPool pinned, TensorFill fill, FrameBuffer device, long bytes, CudaStream s) {
        try (FrameBuffer host = pinned.acquire(bytes)) {
            fill.fill(host.hostBytes());
            FrameTransfers.upload(host, device, bytes, s);
            s.synchronize();
        }
    }

    static long usedBytes(CudaDevice device) {
        return device.totalMemory() - device.freeMemory();
    }

    static double mib(long bytes) {
        return bytes / 1048576.0;
    }

    /** "12.8 (12080)" from cudaDriverGetVersion / cudaRuntimeGetVersion. */
    static String cudaVersion(boolean driver) {
        try {
            int[] v = new int[1];
            int err = driver ? cudart.cudaDriverGetVersion(v) : cudart.cudaRuntimeGetVersion(v);
            if (err != cudart.cudaSuccess) {
                return "unknown (error " + err + ")";
            }
            return v[0] / 1000 + "." + v[0] % 1000 / 10 + " (" + v[0] + ")";
        } catch (Throwable t) { // no CUDA libraries at all
            return "unknown (" + t + ")";
        }
    }

    /** The kernel module's version line, e.g. "NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.86.15 ...". */
    static String nvidiaDriver() {
        Path p = Paths.get("/proc/driver/nvidia/version");
        try {
            return Files.isReadable(p) ? Files.readAllLines(p).get(0).replaceAll("\\s+", " ").trim() : "unknown (no " + p + ")";
        } catch (IOException | IndexOutOfBoundsException e) {
            return "unknown (" + e + ")";
        }
    }

    static String javacppVersion() {
        try {
            return Loader.getVersion();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static String onnxRuntime() {
        try {
            return onnxruntime.GetVersionString().getString() + ", CUDA EP compiled in: "
                    + (OrtCudaBackend.cudaProviderCompiledIn() ? "yes" : "NO");
        } catch (Throwable t) {
            return "cannot load (" + t + ")";
        }
    }

    static String quoted(String[] args) {
        StringBuilder b = new StringBuilder();
        for (String a : args) {
            b.append(b.length() == 0 ? "" : " ");
            b.append(a.isEmpty() || a.matches(".*[\\s'\"$\\\\].*") ? "'" + a.replace("'", "'\\''") + "'" : a);
        }
        return b.length() == 0 ? "(none)" : b.toString();
    }

    static String oneLine(Throwable t) {
        StringBuilder b = new StringBuilder(t.toString());
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            b.append(" <- ").append(c);
        }
        return b.toString().replace('\n', ' ');
    }

    /** Copies everything written to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
