package org.videoforge.job;

import java.util.Arrays;
import org.videoforge.job.cli.ModelsCommand;
import org.videoforge.job.cli.UpscaleCommand;
import org.videoforge.job.segmented.BatchCommand;
import org.videoforge.job.segmented.StreamCommand;
import picocli.CommandLine;

/**
 * The job's one entry point: {@code videoforge [flags]} upscales one video; {@code videoforge batch}
 * and {@code videoforge stream} run the segmented jobs; {@code videoforge models} lists the bundled
 * models. Run locally ({@code bin/videoforge -i in.mp4 -o out.mp4}) it starts an embedded Flink
 * MiniCluster; submitted with {@code flink run -c org.videoforge.job.VideoForge}
 * it builds the same pipeline in the cluster's context environment.
 */
public final class VideoForge {
    private VideoForge() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the CLI and returns its exit code (0 success, 1 engine error, 2 usage error). The first
     * argument may name a segmented job: {@code stream} (Kafka) or {@code batch} (a backlog), or
     * {@code models}.
     */
    public static int run(String... args) {
        if (args.length > 0 && args[0].equals("models")) {
            return UpscaleCommand.withCodedUsageErrors(new CommandLine(new ModelsCommand()))
                    .execute(Arrays.copyOfRange(args, 1, args.length));
        }
        if (args.length > 0 && (args[0].equals("stream") || args[0].equals("batch"))) {
            Object job = args[0].equals("stream") ? new StreamCommand() : new BatchCommand();
            return UpscaleCommand.withCodedUsageErrors(new CommandLine(job))
                    .execute(Arrays.copyOfRange(args, 1, args.length));
        }
        return UpscaleCommand.commandLine().execute(args);
    }
}
