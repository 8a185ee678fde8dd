package org.videoforge.job.segmented;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.videoforge.contract.Status;
import org.videoforge.contract.UpscaleRequest;
import org.videoforge.contract.UpscaleResult;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.flink.pipeline.SegmentedPipeline;
import org.videoforge.flink.pipeline.UpscalePipeline;
import org.videoforge.flink.report.ResultReport;
import org.videoforge.flink.report.ResultReportSink;
import org.videoforge.flink.request.AvroCodec;
import org.videoforge.flink.request.RawRequest;
import org.videoforge.job.cli.ErrorReporter;
import org.videoforge.job.cli.ExitCodes;
import org.videoforge.job.environment.ExecutionEnvironments;
import org.videoforge.job.telemetry.TelemetrySummary;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code videoforge batch}: fleet reprocessing of a backlog as a bounded job — the same pipeline
 * as {@code stream}, fed from a manifest, a directory or a glob instead of Kafka. Ends with a
 * summary (done, failed by code, frames, slot-hours) and leaves a report of every result.
 */
@Command(name = "batch", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Upscale a backlog of videos (manifest, directory or glob) as a bounded job.")
public final class BatchCommand implements Callable<Integer> {
    static final class Inputs {
        @Option(names = "--manifest", paramLabel = "FILE", description = "Lines of 'input [output]'.")
        Path manifest;

        @Option(names = "--input-dir", paramLabel = "DIR", description = "Every video file below DIR.")
        Path inputDir;

        @Option(names = "--glob", paramLabel = "PATTERN", description = "Files matching a glob, e.g. 'in/**.mp4'.")
        String glob;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Inputs inputs;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Where outputs go when not named per input.")
    Path outputDir;

    @Option(names = "--suffix", defaultValue = "-upscaled", paramLabel = "TEXT",
            description = "Added to the input's name for its output (default: ${DEFAULT-VALUE}).")
    String suffix;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Result of every video, one Avro-JSON UpscaleResult per line "
                    + "(default: videoforge-report.jsonl in the output or staging directory).")
    Path report;

    @Mixin
    SegmentedOptions options;

    @Override
    public Integer call() {
        ErrorReporter errors = new ErrorReporter(System.err);
        PrintStream out = System.out;
        try {
            List<BatchInputs.Item> items = items();
            if (items.isEmpty()) {
                throw new EngineError(ErrorCode.INPUT_NOT_FOUND, "nothing to upscale: no input matched");
            }
            List<RawRequest> requests = requests(items);
            PipelineConfig config = options.pipelineConfig(
                    ExecutionEnvironments.isLocal(StreamExecutionEnvironment.getExecutionEnvironment()));
            Path reportFile = reportFile();
            Files.deleteIfExists(reportFile);
            try (BatchStaging staging = BatchStaging.create(options.staging)) {
                StreamExecutionEnvironment env = SegmentedEnvironment.create(options, null, new Configuration());
                SegmentedPipeline.build(env, env.fromData(requests, TypeInformation.of(RawRequest.class))
                                .uid("manifest").slotSharingGroup(UpscalePipeline.SLOT_GROUP),
                        config, staging.dir(), options.segmentSeconds,
                        new ResultReportSink(reportFile), null);
                long t0 = System.nanoTime();
                JobExecutionResult result = env.execute("videoforge batch (" + items.size() + " videos)");
                double seconds = (System.nanoTime() - t0) / 1e9;
                int exit = summarize(items.size(), ResultReport.read(reportFile), seconds, reportFile, out);
                new TelemetrySummary(result.getAllAccumulatorResults(), seconds).printSegments(out);
                return exit;
            }
        } catch (Exception e) {
            return errors.report(e);
        }
    }

    private List<BatchInputs.Item> items() {
        if (inputs.manifest != null) {
            return BatchInputs.fromManifest(inputs.manifest, outputDir, suffix);
        }
        if (inputs.inputDir != null) {
            return BatchInputs.fromDirectory(inputs.inputDir, outputDir, suffix);
        }
        return BatchInputs.fromGlob(inputs.glob, outputDir, suffix);
    }

    private Path reportFile() {
        if (report != null) {
            return report.toAbsolutePath();
        }
        Path dir = outputDir != null ? outputDir : options.staging;
        return dir.toAbsolutePath().resolve("videoforge-report.jsonl");
    }

    private static List<RawRequest> requests(List<BatchInputs.Item> items) {
        AvroCodec<UpscaleRequest> codec = new AvroCodec<>(UpscaleRequest.class);
        long now = System.currentTimeMillis();
        List<String> ids = BatchInputs.requestIds(items);
        List<RawRequest> requests = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            BatchInputs.Item item = items.get(i);
            UpscaleRequest r = UpscaleRequest.newBuilder()
                    .setRequestId(ids.get(i))
                    .setInputUri(item.input().toString())
                    .setOutputUri(item.output().toString())
                    .build();
            requests.add(new RawRequest(codec.encode(r), item.origin(), now));
        }
        return requests;
    }

    static int summarize(int requested, List<UpscaleResult> results, double seconds, Path report, PrintStream out) {
        long done = results.stream().filter(r -> r.getStatus() == Status.SUCCEEDED).count();
        Map<String, Integer> failures = new TreeMap<>();
        long frames = 0;
        long slotMillis = 0;
        for (UpscaleResult r : results) {
            frames += r.getFrames();
            slotMillis += r.getSlotMillis();
            if (r.getStatus() == Status.FAILED) {
                ErrorCode code = ErrorCode.ofNumber(r.getErrorCode());
                failures.merge("E" + r.getErrorCode() + " " + (code == null ? "?" : code.name()), 1, Integer::sum);
            }
        }
        long missing = requested - results.size();
        out.printf("videos       %d requested, %d done, %d failed%s%n", requested, done, results.size() - done,
                missing > 0 ? ", " + missing + " without a result" : "");
        failures.forEach((code, n) -> out.printf("failed       %s x%d%n", code, n));
        out.printf("frames       %d (%.2f fps over %.1f s)%n", frames, seconds > 0 ? frames / seconds : 0, seconds);
        out.printf("slot-hours   %.4f (GPU-hours on a GPU backend)%n", slotMillis / 3.6e6);
        out.println("report       " + report);
        return done == requested ? ExitCodes.OK : ExitCodes.ENGINE_ERROR;
    }
}
