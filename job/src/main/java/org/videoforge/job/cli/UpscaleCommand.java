package org.videoforge.job.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.job.options.FramePathOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

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

    @Mixin
    FramePathOptions framePath;

    @Option(names = "--codec", paramLabel = "h264|hevc", description = "Codec of a raw bitstream input.")
    String rawCodec;

    @Option(names = "--width", paramLabel = "PX", description = "Width of a raw bitstream input.")
    Integer rawWidth;

    @Option(names = "--height", paramLabel = "PX", description = "Height of a raw bitstream input.")
    Integer rawHeight;

    @Option(names = "--output-codec", paramLabel = "h264|hevc",
            description = "Codec of the output video. Default: the input's codec.")
    String outputCodec;

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
