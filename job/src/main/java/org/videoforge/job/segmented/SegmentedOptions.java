package org.videoforge.job.segmented;

import java.nio.file.Path;
import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.flink.segment.SegmentPlanner;
import org.videoforge.job.options.FramePathOptions;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Flags the segmented jobs ({@code stream}, {@code batch}) share, the frame path's among them. */
final class SegmentedOptions {
    @Option(names = "--staging", required = true, paramLabel = "DIR",
            description = "Where segments are staged and committed: storage every TaskManager shares, "
                    + "on the same filesystem as the outputs.")
    Path staging;

    @Mixin
    FramePathOptions framePath;

    @Option(names = "--segment-seconds", paramLabel = "S", defaultValue = "" + SegmentPlanner.DEFAULT_SEGMENT_SECONDS,
            description = "Target segment length; segments start on keyframes (default: ${DEFAULT-VALUE}).")
    double segmentSeconds;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "0",
            description = "Frame-path slots (one per GPU); 0 = the cluster's default, locally one per --devices entry "
                    + "or 1 (default: ${DEFAULT-VALUE}).")
    int parallelism;

    /** Frame-path slots of the embedded cluster: --parallelism, else one per --devices entry, else 1. */
    int localSlots() {
        return parallelism > 0 ? parallelism : Math.max(1, framePath.devicesNamed());
    }

    /**
     * The frame path's configuration. Locally the backend is resolved as everywhere (no input is
     * known yet: TensorRT's first engine is built for a probe size); on a cluster as the
     * TaskManagers will check it. The choice is printed when it was made for the user.
     */
    PipelineConfig pipelineConfig(boolean local) {
        FramePathOptions.Resolved resolved = local ? framePath.resolveWithoutInput(System.out::println)
                : framePath.resolveForCluster();
        if (resolved.backend().note() != null) {
            System.out.println(resolved.backend().note());
        }
        return resolved.config();
    }
}
