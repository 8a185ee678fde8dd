package org.videoforge.job.telemetry;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.flink.core.execution.JobClient;
import org.videoforge.flink.metrics.TelemetryNames;

/**
 * A terminal progress bar fed by the running job's frame counter (an accumulator polled through
 * the JobClient). Runs on its own daemon thread until closed.
 */
public final class ProgressMonitor implements AutoCloseable {
    private static final long POLL_MILLIS = 500;

    private final JobClient job;
    private final ProgressBar bar;
    private final Thread poller;
    private volatile boolean running = true;

    public ProgressMonitor(JobClient job, String task, long expectedFrames) {
        this.job = job;
        this.bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(expectedFrames > 0 ? expectedFrames : -1)
                .setUnit(" frames", 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis((int) POLL_MILLIS)
                .showSpeed()
                .build();
        this.poller = new Thread(this::poll, "videoforge-progress");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        while (running) {
            try {
                Map<String, Object> acc = job.getAccumulators().get(5, TimeUnit.SECONDS);
                Object frames = acc.get(TelemetryNames.FRAMES_ENCODED);
                if (frames instanceof Number) {
                    bar.stepTo(((Number) frames).longValue());
                }
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // The job may be finishing; the bar is cosmetic, the result comes from the JobClient.
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Completes the bar at the final frame count. */
    public void finish(long frames) {
        running = false;
        poller.interrupt();
        bar.maxHint(frames);
        bar.stepTo(frames);
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt();
        bar.close();
    }
}
