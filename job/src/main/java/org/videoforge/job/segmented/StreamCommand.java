package org.videoforge.job.segmented;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.flink.kafka.KafkaEndpoints;
import org.videoforge.flink.kafka.KafkaTopics;
import org.videoforge.flink.pipeline.SegmentedPipeline;
import org.videoforge.flink.pipeline.UpscalePipeline;
import org.videoforge.flink.request.RawRequest;
import org.videoforge.job.cli.ErrorReporter;
import org.videoforge.job.cli.ExitCodes;
import org.videoforge.job.environment.ExecutionEnvironments;
import org.videoforge.job.environment.SavepointStop;
import org.videoforge.job.environment.StateDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code videoforge stream}: the long-running job. Reads Avro UpscaleRequests from Kafka, writes an
 * UpscaleResult per request (exactly once) and rejected records to a dead-letter topic. Creates its
 * topics where they are missing. On the embedded MiniCluster its checkpoints live in a state
 * directory that outlives the process, and a start resumes from the newest one
 * ({@link StateDirectory}); Ctrl+C stops it with a savepoint ({@link SavepointStop}).
 */
@Command(name = "stream", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Upscale videos requested on Kafka (Avro UpscaleRequest -> UpscaleResult), until stopped. "
                + "Locally, progress is kept in --state-dir and the same command resumes it.")
public final class StreamCommand implements Callable<Integer> {
    /** How long the topic check waits for the broker. */
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT,...",
            description = "Kafka brokers to connect to (the client's bootstrap.servers), e.g. localhost:9092.")
    String bootstrapServers;

    @Option(names = "--requests-topic", defaultValue = "videoforge-requests", paramLabel = "TOPIC",
            description = "Where UpscaleRequests are read from (default: ${DEFAULT-VALUE}).")
    String requestsTopic;

    @Option(names = "--results-topic", defaultValue = "videoforge-results", paramLabel = "TOPIC",
            description = "Where one UpscaleResult per request is written, keyed by request id "
                    + "(default: ${DEFAULT-VALUE}).")
    String resultsTopic;

    @Option(names = "--dead-letter-topic", defaultValue = "videoforge-dead-letters", paramLabel = "TOPIC",
            description = "Where rejected records go, unchanged, with the reason in headers (default: ${DEFAULT-VALUE}).")
    String deadLetterTopic;

    @Option(names = "--topic-partitions", paramLabel = "N",
            description = "Partitions of the topics this job creates when they are missing "
                    + "(default: the broker's num.partitions).")
    Integer topicPartitions;

    @Option(names = "--topic-replication", paramLabel = "N",
            description = "Replication factor of the topics this job creates when they are missing "
                    + "(default: the broker's default.replication.factor).")
    Short topicReplication;

    @Option(names = "--group-id", defaultValue = "videoforge", paramLabel = "ID",
            description = "Consumer group; also the prefix of the sinks' transactional ids (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--checkpoint-interval", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How often progress is checkpointed, finished segments committed and results "
                    + "published (default: ${DEFAULT-VALUE}).")
    Duration checkpointInterval;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Local runs: where checkpoints and savepoints are kept; a start resumes from the newest "
                    + "(default: ~/.local/state/videoforge/stream-<group id>-<hash of servers, topic, group>; "
                    + "$XDG_STATE_HOME instead of ~/.local/state where set). On a cluster, its own "
                    + "checkpoint configuration applies and `flink run -s` resumes.")
    Path stateDir;

    @Option(names = "--from-scratch",
            description = "Local runs: delete the saved progress and start from the consumer group's committed "
                    + "offsets; requests in progress at the last stop are not resumed.")
    boolean fromScratch;

    @Option(names = "--stop-timeout", paramLabel = "DURATION", defaultValue = "2min",
            converter = DurationConverter.class,
            description = "Local runs: how long Ctrl+C waits for the savepoint before cancelling "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration stopTimeout;

    @Option(names = "--detached", description = "Return once the job is submitted (clusters only).")
    boolean detached;

    @Mixin
    SegmentedOptions options;

    @Override
    public Integer call() {
        ErrorReporter errors = new ErrorReporter(System.err);
        boolean local = ExecutionEnvironments.isLocal(StreamExecutionEnvironment.getExecutionEnvironment());
        StateDirectory state = null;
        Optional<Path> resumed = Optional.empty();
        try {
            PipelineConfig config = options.pipelineConfig(local);
            checkFlags(local);
            ensureTopics();
            Configuration recovery = new Configuration();
            if (local) {
                state = StateDirectory.open(stateDir != null ? stateDir : StateDirectory.defaultFor(jobKey()));
                resumed = snapshotToResume(state);
                recovery = state.configuration(resumed);
            }
            StreamExecutionEnvironment env = SegmentedEnvironment.create(options, checkpointInterval, recovery);
            KafkaEndpoints kafka = new KafkaEndpoints(bootstrapServers, requestsTopic, resultsTopic, deadLetterTopic,
                    groupId);
            DataStream<RawRequest> requests = env
                    .fromSource(kafka.requests(), WatermarkStrategy.noWatermarks(), "Requests")
                    .uid("requests")
                    .slotSharingGroup(UpscalePipeline.SLOT_GROUP);
            SegmentedPipeline.build(env, requests, config, options.staging, options.segmentSeconds, kafka.results(),
                    kafka.deadLetters());
            JobClient job = env.executeAsync("videoforge stream " + requestsTopic);
            if (!local) {
                announce(job);
                if (!detached) {
                    job.getJobExecutionResult().get();
                }
                return ExitCodes.OK;
            }
            return runLocally(job, state);
        } catch (EngineError e) {
            return errors.report(e);
        } catch (IllegalArgumentException e) {
            return errors.report(new EngineError(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e));
        } catch (Exception e) {
            resumed.ifPresent(s -> System.err.println("(this run resumed from " + s + "; if that state does not fit "
                    + "this job, --from-scratch starts without it)"));
            return errors.report(e);
        } finally {
            if (state != null) {
                state.close();
            }
        }
    }

    private void ensureTopics() {
        List<String> created = new KafkaTopics(bootstrapServers, topicPartitions, topicReplication, ADMIN_TIMEOUT)
                .ensureExist(List.of(requestsTopic, resultsTopic, deadLetterTopic));
        if (!created.isEmpty()) {
            System.out.println("created topics " + String.join(", ", created) + " at " + bootstrapServers);
        }
    }

    /** The newest snapshot in {@code state}, unless starting from scratch; every other one is deleted. */
    private Optional<Path> snapshotToResume(StateDirectory state) {
        Optional<Path> resumed = fromScratch ? Optional.empty() : state.latestSnapshot();
        state.keepOnly(resumed);
        System.out.println("state " + state.path() + ": " + resumed.map(s -> "resuming from " + s)
                .orElse(fromScratch ? "starting from scratch" : "no saved progress, starting afresh"));
        return resumed;
    }

    /** Until the job fails or a signal stops it (exit 130 after a stop: it was interrupted). */
    private int runLocally(JobClient job, StateDirectory state) throws Exception {
        try (SavepointStop stop = SavepointStop.install(job, state.savepoints(), stopTimeout, System.err)) {
            announce(job);
            try {
                job.getJobExecutionResult().get();
            } catch (ExecutionException e) {
                if (!stop.requested()) {
                    throw e;
                }
            }
            if (stop.requested()) {
                stop.awaitStopped();
                return ExitCodes.CANCELLED;
            }
            return ExitCodes.OK;
        }
    }

    private void announce(JobClient job) {
        System.out.println("job " + job.getJobID() + ": reading " + requestsTopic + ", results to " + resultsTopic
                + ", dead letters to " + deadLetterTopic);
    }

    private void checkFlags(boolean local) {
        if ((topicPartitions != null && topicPartitions < 1) || (topicReplication != null && topicReplication < 1)) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "--topic-partitions and --topic-replication must be "
                    + "at least 1");
        }
        if (local && detached) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "--detached needs a cluster (flink run): the embedded "
                    + "cluster ends with this process");
        }
        if (!local && (stateDir != null || fromScratch)) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "--state-dir and --from-scratch are for local runs: on "
                    + "a cluster, checkpoints follow its configuration (execution.checkpointing.dir) and "
                    + "`flink run -s <checkpoint or savepoint>` resumes");
        }
    }

    /**
     * Names this job's default state directory: what makes it the same job is its consumer group
     * on its requests topic at its brokers (the group holds its offsets and names its transactions).
     */
    String jobKey() {
        String identity = bootstrapServers + "\n" + requestsTopic + "\n" + groupId;
        String digest = UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
        return "stream-" + groupId.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + digest;
    }
}
