package org.videoforge.job.environment;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Picks where the job runs. Under {@code flink run} the client installs a context environment
 * and that is used as is; otherwise an embedded MiniCluster is configured here -- the default a
 * new user meets first.
 */
public final class ExecutionEnvironments {
    private ExecutionEnvironments() {
    }

    /** The embedded MiniCluster's configuration (see flink-conf/ for clusters). */
    public static Configuration localConfiguration() {
        Configuration conf = new Configuration();
        conf.set(DeploymentOptions.TARGET, "local");
        // Accumulators (the progress bar's frame count) travel with heartbeats: beat often.
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofMillis(500));
        // A failed video is a coded error for the user, not something to retry silently.
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return conf;
    }

    /** The context environment under {@code flink run}, else an embedded MiniCluster. */
    public static StreamExecutionEnvironment create() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        if (!isLocal(env)) {
            return env;
        }
        StreamExecutionEnvironment local = StreamExecutionEnvironment.createLocalEnvironment(localConfiguration());
        local.setParallelism(1);
        return local;
    }

    public static boolean isLocal(StreamExecutionEnvironment env) {
        return "local".equals(env.getConfiguration().get(DeploymentOptions.TARGET));
    }
}
