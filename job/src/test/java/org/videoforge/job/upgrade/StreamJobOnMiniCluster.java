package org.videoforge.job.upgrade;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.deployment.executors.RemoteExecutor;
import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.DefaultExecutorServiceLoader;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.videoforge.job.VideoForge;

/**
 * The segmented streaming job as {@code flink run -c org.videoforge.job.VideoForge <jar> stream ...
 * [-s SAVEPOINT]} submits it, on a Flink cluster in this JVM: {@code VideoForge.run("stream", ...)}
 * (the CLI's own entry point) runs in the context environment {@code flink run} installs
 * ({@link StreamContextEnvironment}, remote executor, the savepoint as
 * {@code execution.state-recovery.path}), against an in-process {@link MiniCluster} with one slot.
 *
 * <p>This is the one place that says how the job under test is built: the fixture writer ran it
 * with the code of the fixture's commit, the upgrade test runs it with today's. Should the command
 * line of {@code videoforge stream} change, only {@link #streamArgs} changes.
 */
final class StreamJobOnMiniCluster implements AutoCloseable {
    /** The group id: prefix of the sinks' transactional ids, and the source's consumer group. */
    static final String GROUP_ID = "videoforge-upgrade";

    private final MiniCluster cluster;
    private final JobID job;

    private StreamJobOnMiniCluster(MiniCluster cluster, JobID job) {
        this.cluster = cluster;
        this.job = job;
    }

    /**
     * {@code videoforge stream} with the fixture's settings: one frame-path slot on the CPU
     * backend, 1 s segments, a checkpoint every second, one encoder and one inference thread.
     */
    static List<String> streamArgs(String bootstrapServers, Path staging) {
        return List.of("stream", "--bootstrap-servers", bootstrapServers,
                "--requests-topic", UpgradeFixture.REQUESTS_TOPIC, "--results-topic", UpgradeFixture.RESULTS_TOPIC,
                "--dead-letter-topic", UpgradeFixture.DEAD_LETTER_TOPIC, "--group-id", GROUP_ID,
                "--staging", staging.toString(), "--segment-seconds", "1", "--checkpoint-interval", "1s",
                "--backend", "cpu", "--parallelism", "1", "--encoder-threads", "1", "--inference-threads", "1",
                "--detached");
    }

    /**
     * Starts the cluster and submits the job, restored from {@code savepoint} when not null
     * (strictly: state the job does not claim fails the restore); returns once every task runs.
     */
    static StreamJobOnMiniCluster start(String bootstrapServers, Path staging, Path savepoint, Duration timeout)
            throws Exception {
        MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(clusterConfiguration())
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(1)
                .build());
        try {
            cluster.start();
            JobID job = submit(cluster, streamArgs(bootstrapServers, staging), savepoint);
            StreamJobOnMiniCluster running = new StreamJobOnMiniCluster(cluster, job);
            running.awaitAllTasksRunning(timeout);
            return running;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /** As the embedded cluster of {@code videoforge} runs: a failure fails the job (no silent retries). */
    private static Configuration clusterConfiguration() {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 1);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return conf;
    }

    private static JobID submit(MiniCluster cluster, List<String> args, Path savepoint) throws Exception {
        URI rest = cluster.getRestAddress().get(30, TimeUnit.SECONDS);
        // What flink run's CliFrontend hands to the program: the cluster's address, detached, -s.
        Configuration client = new Configuration();
        client.set(DeploymentOptions.TARGET, RemoteExecutor.NAME);
        client.set(DeploymentOptions.ATTACHED, false);
        client.set(RestOptions.ADDRESS, rest.getHost());
        client.set(RestOptions.PORT, rest.getPort());
        if (savepoint != null) {
            client.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint.toString());
            client.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, false);
        }
        StreamContextEnvironment.setAsContext(new DefaultExecutorServiceLoader(), client,
                StreamJobOnMiniCluster.class.getClassLoader(), false, false);
        int exit;
        try {
            exit = VideoForge.run(args.toArray(String[]::new));
        } finally {
            StreamContextEnvironment.unsetAsContext();
        }
        if (exit != 0) {
            throw new IllegalStateException("videoforge " + String.join(" ", args) + " exited with " + exit
                    + " (its error is printed above)");
        }
        Collection<JobStatusMessage> jobs = cluster.listJobs().get(30, TimeUnit.SECONDS);
        if (jobs.size() != 1) {
            throw new IllegalStateException("expected the one submitted job on the cluster, found " + jobs);
        }
        return jobs.iterator().next().getJobId();
    }

    private void awaitAllTasksRunning(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> notRunning = List.of();
        while (System.nanoTime() < deadline) {
            failIfEnded();
            AccessExecutionGraph graph = cluster.getExecutionGraph(job).get(30, TimeUnit.SECONDS);
            List<String> pending = new ArrayList<>();
            for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
                if (v.getExecutionState() != ExecutionState.RUNNING) {
                    pending.add(v.getTaskNameWithSubtaskIndex() + " " + v.getExecutionState());
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            notRunning = pending;
            Thread.sleep(200);
        }
        throw new AssertionError("tasks of job " + job + " not running within " + timeout + ": " + notRunning);
    }

    JobStatus status() throws Exception {
        return cluster.getJobStatus(job).get(30, TimeUnit.SECONDS);
    }

    /** Throws, with the job's failure as the cause, once the job is no longer running. */
    void failIfEnded() throws Exception {
        JobStatus status = status();
        if (status.isGloballyTerminalState()) {
            JobResult result = cluster.requestJobResult(job).get(30, TimeUnit.SECONDS);
            Throwable cause = result.getSerializedThrowable()
                    .map(t -> t.deserializeError(StreamJobOnMiniCluster.class.getClassLoader())).orElse(null);
            Throwable root = cause;
            while (root != null && root.getCause() != null) {
                root = root.getCause();
            }
            throw new AssertionError("job " + job + " ended " + status + (root == null ? "" : ", at the root: " + root),
                    cause);
        }
    }

    /** Stops the job with a canonical savepoint under {@code dir}, as {@code flink stop -p DIR} does; its path. */
    Path stopWithSavepoint(Path dir, Duration timeout) throws Exception {
        String location = cluster.stopWithSavepoint(job, dir.toUri().toString(), false, SavepointFormatType.CANONICAL)
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return Path.of(URI.create(location.startsWith("file:") ? location : "file:" + location));
    }

    /** Cancels the job if it still runs, and stops the cluster. */
    @Override
    public void close() throws Exception {
        try {
            if (!status().isGloballyTerminalState()) {
                cluster.cancelJob(job).get(30, TimeUnit.SECONDS);
                cluster.requestJobResult(job).get(60, TimeUnit.SECONDS);
            }
        } finally {
            cluster.close();
        }
    }
}
