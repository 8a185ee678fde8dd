package org.videoforge.job.cli;

import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.inference.ModelSpec;

/** A validated run: what to upscale, with what, and what was decided on the user's behalf. */
final class RunPlan {
    final VideoTask video;
    final PipelineConfig config;
    final ModelSpec model;
    final String backendNote;
    /** Which encoder runs and why (GPU backends: what the NVENC probe found); null on the CPU path. */
    final String encoderNote;

    RunPlan(VideoTask video, PipelineConfig config, ModelSpec model, String backendNote, String encoderNote) {
        this.video = video;
        this.config = config;
        this.model = model;
        this.backendNote = backendNote;
        this.encoderNote = encoderNote;
    }
}
