package org.videoforge.job.cluster;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code flink run} client process ({@code org.apache.flink.client.cli.CliFrontend}, the class
 * the {@code flink} script runs), started by {@link FlinkStandaloneCluster#submit}. Its stdout and
 * stderr are merged into one file. For VideoForge the client lives until the job ends: the CLI waits
 * for the job's result, prints the telemetry summary and exits with its exit code (0, 1, 2, 130).
 */
public final class FlinkRun implements AutoCloseable {
    private static final Pattern SUBMITTED = Pattern.compile("Job has been submitted with JobID ([0-9a-f]{32})");

    private final ChildJvm client;

    FlinkRun(ChildJvm client) {
        this.client = client;
    }

    /**
     * The job id the client printed on submission ("Job has been submitted with JobID ..."); waits
     * for it, failing early if the client exits without submitting.
     */
    public String awaitJobId(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher m = SUBMITTED.matcher(client.output());
            if (m.find()) {
                return m.group(1);
            }
            if (!client.isAlive()) {
                throw new IllegalStateException("flink run exited with " + client.process().exitValue()
                        + " without submitting a job:\n" + client.tail(80));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("flink run printed no job id within " + timeout + ":\n" + client.tail(80));
            }
            sleep(100);
        }
    }

    /** Waits for the client to exit and returns its exit code; on timeout kills it and throws. */
    public int awaitExit(Duration timeout) {
        return client.awaitExit(timeout);
    }

    public boolean isAlive() {
        return client.isAlive();
    }

    public long pid() {
        return client.pid();
    }

    /** What the client printed so far (stdout and stderr, interleaved). */
    public String output() {
        return client.output();
    }

    /** kill -9 of the client process (the job keeps running on the cluster). */
    public void kill() {
        client.kill();
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "flink run (pid " + client.pid() + ")\n" + client.tail(80);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
