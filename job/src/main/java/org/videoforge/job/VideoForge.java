package org.videoforge.job;

import org.videoforge.job.cli.UpscaleCommand;
import picocli.CommandLine;

/**
 * The job's one entry point. Run locally ({@code bin/videoforge -i in.mp4 -o out.mp4}) it starts an
 * embedded Flink MiniCluster; submitted with {@code flink run -c org.videoforge.job.VideoForge}
 * it builds the same pipeline in the cluster's context environment.
 */
public final class VideoForge {
    private VideoForge() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (0 success, 1 engine error, 2 usage error). */
    public static int run(String... args) {
        return UpscaleCommand.commandLine().execute(args);
    }
}
