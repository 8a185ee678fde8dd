package org.videoforge.job.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.pipeline.UpscalePipeline;
import org.videoforge.inference.ModelRef;
import org.videoforge.job.environment.ExecutionEnvironments;
import org.videoforge.job.telemetry.ProgressMonitor;
import org.videoforge.job.telemetry.TelemetrySummary;

/**
 * Submits a planned run, shows progress, prints the telemetry summary, and cancels the job on
 * Ctrl+C (the Encode stage deletes its unfinished temporary file when the job is cancelled).
 */
final class UpscaleRun {
    private static final long CANCEL_WAIT_SECONDS = 30;

    private final RunPlan plan;
    private final PrintStream out;
    private final ErrorReporter errors;
    private final boolean progress;

    UpscaleRun(RunPlan plan, PrintStream out, ErrorReporter errors, boolean progress) {
        this.plan = plan;
        this.out = out;
        this.errors = errors;
        this.progress = progress;
    }

    int execute() {
        if (plan.backendNote != null) {
            out.println(plan.backendNote);
        }
        if (plan.encoderNote != null) {
            out.println(plan.encoderNote);
        }
        out.printf("input        %s: %s%n", plan.video.source().path(), plan.video.source().video());
        out.printf("model        %s: %s on %s%s%n", plan.config.model(), plan.model, plan.config.backend().cliName(),
                ModelRef.defaultNote(plan.config.model().reference(), plan.config.backend()));
        out.printf("output       %s: %dx%d %s%n", plan.video.output(), plan.video.source().video().width() * plan.model.scale(),
                plan.video.source().video().height() * plan.model.scale(), plan.video.outputCodec());

        StreamExecutionEnvironment env = ExecutionEnvironments.create();
        UpscalePipeline.build(env, List.of(plan.video), plan.config);
        long start = System.nanoTime();
        JobClient job;
        try {
            job = env.executeAsync("videoforge " + plan.video.id());
        } catch (Exception e) {
            return errors.report(e);
        }
        if (!env.getConfiguration().get(DeploymentOptions.ATTACHED)) {
            // flink run -d: the cluster owns the job now; its result is in the cluster's REST API.
            out.println("submitted    job " + job.getJobID() + " (detached)");
            return ExitCodes.OK;
        }
        CountDownLatch done = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> cancel(job, done), "videoforge-cancel");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        ProgressMonitor monitor = progress && System.console() != null
                ? new ProgressMonitor(job, "upscaling", plan.video.source().video().expectedFrames()) : null;
        try {
            JobExecutionResult result = job.getJobExecutionResult().get();
            TelemetrySummary summary = new TelemetrySummary(result.getAllAccumulatorResults(),
                    (System.nanoTime() - start) / 1e9);
            if (monitor != null) {
                monitor.finish(summary.framesEncoded());
                monitor.close();
            }
            if (summary.videosCompleted() < 1) {
                // e.g. stopped with a savepoint: the job ended without finishing the video.
                return errors.report(new EngineError(ErrorCode.JOB_FAILED, "the job ended after "
                        + summary.framesEncoded() + " frames without completing " + plan.video.output()
                        + " (stopped with a savepoint?); nothing was written"));
            }
            out.println("wrote        " + plan.video.output());
            summary.print(out, plan.config.decodeQueue(), plan.config.encodeQueue());
            return ExitCodes.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return errors.report(new EngineError(ErrorCode.CANCELLED, "interrupted", e));
        } catch (Exception e) {
            if (monitor != null) {
                monitor.close();
            }
            return errors.report(e);
        } finally {
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl+C is being handled by the hook itself.
            }
        }
    }

    /** Shutdown hook: cancel the job and wait for its operators to clean up before the JVM exits. */
    private void cancel(JobClient job, CountDownLatch done) {
        if (done.getCount() == 0) {
            return;
        }
        System.err.println();
        System.err.println("error E" + ErrorCode.CANCELLED.number() + " CANCELLED: cancelling the job; "
                + ErrorCode.CANCELLED.advice());
        // One deadline for both waits: the JVM's other shutdown hooks (Flink's) run meanwhile, and
        // one that stops the embedded cluster first leaves both futures unanswered.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CANCEL_WAIT_SECONDS);
        try {
            job.cancel().get(CANCEL_WAIT_SECONDS, TimeUnit.SECONDS);
            done.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception ignored) {
            // Exiting anyway; the temporary output is hidden and named .part.
        }
    }
}
