package org.videoforge.flink.plan;

import org.videoforge.flink.core.VideoTask;
import org.videoforge.inference.ModelSpec;

/**
 * A piece of work that passed every check: the task the frame path runs (the whole video; the
 * segmented jobs cut it into segments) and what its model is.
 */
public record PlannedWork(VideoTask task, ModelSpec model) {
}
