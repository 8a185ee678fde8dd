package org.videoforge.job.segmented;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.kafka.KafkaEndpoints;
import org.videoforge.flink.pipeline.SegmentedPipeline;
import org.videoforge.flink.pipeline.UpscalePipeline;
import org.videoforge.flink.request.RawRequest;
import org.videoforge.job.cli.ErrorReporter;
import org.videoforge.job.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code videoforge stream}: the long-running job. Reads Avro UpscaleRequests from Kafka, writes an
 * UpscaleResult per request (exactly once) and rejected records to a dead-letter topic.
 */
@Command(name = "stream", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Upscale videos requested on Kafka (Avro UpscaleRequest -> UpscaleResult), until cancelled.")
public final class StreamCommand implements Callable<Integer> {
    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT,...")
    String bootstrapServers;

    @Option(names = "--requests-topic", defaultValue = "videoforge-requests", paramLabel = "TOPIC")
    String requestsTopic;

    @Option(names = "--results-topic", defaultValue = "videoforge-results", paramLabel = "TOPIC")
    String resultsTopic;

    @Option(names = "--dead-letter-topic", defaultValue = "videoforge-dead-letters", paramLabel = "TOPIC")
    String deadLetterTopic;

    @Option(names = "--group-id", defaultValue = "videoforge", paramLabel = "ID",
            description = "Consumer group; also the prefix of the sinks' transactional ids.")
    String groupId;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How often progress is checkpointed, finished segments committed and results "
                    + "published (default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Option(names = "--detached", description = "Return once the job is submitted.")
    boolean detached;

    @Mixin
    SegmentedOptions options;

    @Override
    public Integer call() {
        ErrorReporter errors = new ErrorReporter(System.err);
        try {
            StreamExecutionEnvironment env = SegmentedEnvironment.create(options, checkpointInterval);
            KafkaEndpoints kafka = new KafkaEndpoints(bootstrapServers, requestsTopic, resultsTopic, deadLetterTopic,
                    groupId);
            DataStream<RawRequest> requests = env
                    .fromSource(kafka.requests(), WatermarkStrategy.noWatermarks(), "Requests")
                    .uid("requests")
                    .slotSharingGroup(UpscalePipeline.SLOT_GROUP);
            SegmentedPipeline.build(env, requests, options.pipelineConfig(), options.staging,
                    options.segmentSeconds, kafka.results(), kafka.deadLetters());
            JobClient job = env.executeAsync("videoforge stream " + requestsTopic);
            System.out.println("job " + job.getJobID() + ": reading " + requestsTopic + ", results to "
                    + resultsTopic + ", dead letters to " + deadLetterTopic);
            if (!detached) {
                job.getJobExecutionResult().get();
            }
            return ExitCodes.OK;
        } catch (EngineError e) {
            return errors.report(e);
        } catch (IllegalArgumentException e) {
            return errors.report(new EngineError(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e));
        } catch (Exception e) {
            return errors.report(e);
        }
    }
}
