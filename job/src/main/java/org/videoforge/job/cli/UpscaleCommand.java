package org.videoforge.job.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.videoforge.codec.EncoderSettings;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.inference.ModelRef;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line: the original engine's flags, plus {@code --backend} and output choices. */
@Command(name = "videoforge", mixinStandardHelpOptions = true, sortOptions = false,
        version = "VideoForge 0.1.0 (Apache Flink 2.2.1)",
        description = "Upscales every frame of a video with an ONNX super-resolution model; audio and subtitles"
                + " are copied. Runs on an embedded Flink MiniCluster, or as a `flink run` job.")
public final class UpscaleCommand implements Callable<Integer> {

    @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE",
            description = "Input video: MP4/MKV/MOV/AVI/WebM, or raw Annex B H.264/HEVC (.h264/.265/.hevc).")
    Path input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
            description = "Output video; the container follows the extension. Written under a temporary name"
                    + " and renamed when complete.")
    Path output;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", defaultValue = ModelRef.DEFAULT_BUNDLED,
            description = "ONNX model file, or a bundled model name (`videoforge models` lists them with their"
                    + " scale, speed and quality). Default: ${DEFAULT-VALUE}.")
    String model;

    @Option(names = {"-p", "--precision"}, paramLabel = "fp32|fp16", defaultValue = "fp32",
            description = "Tensor precision; must match the model (bundled models have both). Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = {"-d", "--device"}, paramLabel = "N", defaultValue = "0",
            description = "CUDA device index in local mode. Default: ${DEFAULT-VALUE}.")
    int device;

    @Option(names = "--codec", paramLabel = "h264|hevc", description = "Codec of a raw bitstream input.")
    String rawCodec;

    @Option(names = "--width", paramLabel = "PX", description = "Width of a raw bitstream input.")
    Integer rawWidth;

    @Option(names = "--height", paramLabel = "PX", description = "Height of a raw bitstream input.")
    Integer rawHeight;

    @Option(names = "--vram-limit", paramLabel = "MB", defaultValue = "0",
            description = "Ceiling on device memory the engine may hold, in MB (0: none).")
    long vramLimitMb;

    @Option(names = "--backend", paramLabel = "auto|cpu|cuda|tensorrt", defaultValue = "auto",
            description = "Inference backend. auto picks the best available. Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = "--output-codec", paramLabel = "h264|hevc",
            description = "Codec of the output video. Default: the input's codec.")
    String outputCodec;

    @Option(names = "--encoder-threads", paramLabel = "N", defaultValue = "0",
            description = "Threads of the software encoder (0: automatic).")
    int encoderThreads;

    @Option(names = "--encoder-preset", paramLabel = "PRESET", defaultValue = EncoderSettings.DEFAULT_PRESET,
            description = "x264/x265 preset (ultrafast ... veryslow): faster presets encode more frames per second"
                    + " at a larger file for the same quality. Default: ${DEFAULT-VALUE}.")
    String encoderPreset;

    @Option(names = "--max-batch", paramLabel = "N", defaultValue = "1",
            description = "Frames inferred together in one run (micro-batching). Default: ${DEFAULT-VALUE}.")
    int maxBatch;

    @Option(names = "--batch-deadline-us", paramLabel = "US", defaultValue = "8000",
            description = "Longest a frame waits for its batch to fill before a partial batch runs, in"
                    + " microseconds (millisecond resolution). Default: ${DEFAULT-VALUE}.")
    long batchDeadlineMicros;

    @Option(names = "--tile", paramLabel = "PX", defaultValue = "0",
            description = "Infer frames in overlapping tiles of PX x PX input pixels, blended without seams"
                    + " (0: only when the --vram-limit budget is too small for a whole frame).")
    int tileSize;

    @Option(names = "--tile-overlap", paramLabel = "PX", defaultValue = "16",
            description = "Overlap of neighbouring tiles in input pixels. Default: ${DEFAULT-VALUE}.")
    int tileOverlap;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Show a progress bar when stderr is a terminal.")
    boolean progress;

    @Override
    public Integer call() {
        ErrorReporter errors = new ErrorReporter(System.err);
        RunPlan plan;
        try {
            plan = RunPlanner.plan(this);
        } catch (EngineError | IllegalArgumentException e) {
            return errors.report(e instanceof EngineError ? e
                    : new EngineError(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e));
        }
        return new UpscaleRun(plan, System.out, errors, progress).execute();
    }

    /** The configured picocli command line; usage errors print as coded errors too. */
    public static CommandLine commandLine() {
        return withCodedUsageErrors(new CommandLine(new UpscaleCommand()));
    }

    /** Usage errors of {@code cl} print as E1000 with the usage, and exit 2. */
    public static CommandLine withCodedUsageErrors(CommandLine cl) {
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("error E" + ErrorCode.INVALID_ARGUMENT.number() + " "
                    + ErrorCode.INVALID_ARGUMENT.name() + ": " + ex.getMessage());
            ex.getCommandLine().usage(ex.getCommandLine().getErr());
            return ExitCodes.USAGE;
        });
        return cl;
    }
}
