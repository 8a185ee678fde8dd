package org.videoforge.job.segmented;

import java.time.Duration;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.BatchExecutionOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.videoforge.job.environment.ExecutionEnvironments;

/**
 * The environment of the segmented jobs. On the embedded MiniCluster one TaskManager gets a slot
 * per frame-path subtask ({@link SegmentedOptions#localSlots()}); the streaming job there keeps its
 * checkpoints where the caller says (a state directory that outlives the process) and restarts
 * failed tasks from them.
 *
 * <p>The streaming job checkpoints exactly-once: checkpoints are what commits segments and results.
 * They stay aligned: the decode stage queues segments in its state, so a barrier waits for one
 * segment per slot at most.
 *
 * <p>The bounded job runs in BATCH mode: its segments are committed when the input ends and failed
 * tasks are re-run from persisted intermediate results. Not a bounded streaming job, because there
 * the last checkpoint's committables reach the post-commit topology (the assembler) only after it
 * has seen the end of its input, and are lost: FLINK-38614, open in Flink 2.2.
 */
final class SegmentedEnvironment {
    private SegmentedEnvironment() {
    }

    /**
     * @param checkpointInterval the streaming job's; null for the bounded job (BATCH mode)
     * @param localSettings      added to the embedded MiniCluster's configuration (where the local
     *                           streaming job keeps and resumes its checkpoints); unused on a cluster
     */
    static StreamExecutionEnvironment create(SegmentedOptions options, Duration checkpointInterval,
                                             Configuration localSettings) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (ExecutionEnvironments.isLocal(env)) {
            int slots = options.localSlots();
            Configuration conf = ExecutionEnvironments.localConfiguration();
            conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
            if (checkpointInterval != null) {
                // Progress is checkpointed: a failed task (a broker restart, say) resumes from the
                // last checkpoint, as on the cluster (flink-conf/config.yaml).
                conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
                conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
            }
            conf.addAll(localSettings);
            env = StreamExecutionEnvironment.createLocalEnvironment(conf);
            env.setParallelism(slots);
        } else if (options.parallelism > 0) {
            env.setParallelism(options.parallelism);
        }
        if (checkpointInterval == null) {
            env.setRuntimeMode(RuntimeExecutionMode.BATCH);
            // The adaptive batch scheduler would size each stage by its input bytes: a few KB of
            // video plans would get one decode slot. Segments are the work: use every slot.
            Configuration batch = new Configuration();
            batch.set(BatchExecutionOptions.ADAPTIVE_AUTO_PARALLELISM_ENABLED, false);
            env.configure(batch);
            return env;
        }
        Configuration checkpoints = new Configuration();
        checkpoints.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        checkpoints.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        env.configure(checkpoints);
        return env;
    }
}
