package org.videoforge.flink.kafka;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.videoforge.flink.assemble.VideoResult;
import org.videoforge.flink.request.DeadLetter;
import org.videoforge.flink.request.RawRequest;

/**
 * The streaming job's three topics: requests in, results and dead letters out. Both sinks are
 * transactional (exactly-once: consumers read with isolation.level=read_committed and see each
 * result once); the source's offsets are part of Flink's checkpoints, so a restart re-reads only
 * what no completed checkpoint covers.
 */
public final class KafkaEndpoints implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Kafka aborts transactions older than this; it must cover a checkpoint interval plus a restart,
     * and stay under the broker's transaction.max.timeout.ms (15 min by default).
     */
    static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

    private final String bootstrapServers;
    private final String requestsTopic;
    private final String resultsTopic;
    private final String deadLetterTopic;
    private final String groupId;

    public KafkaEndpoints(String bootstrapServers, String requestsTopic, String resultsTopic, String deadLetterTopic,
                          String groupId) {
        this.bootstrapServers = bootstrapServers;
        this.requestsTopic = requestsTopic;
        this.resultsTopic = resultsTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.groupId = groupId;
    }

    /** Requests from the committed offsets of the group, or from the earliest where it has none. */
    public KafkaSource<RawRequest> requests() {
        return KafkaSource.<RawRequest>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(requestsTopic)
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RequestRecords())
                .setProperty("isolation.level", "read_committed")
                .build();
    }

    public KafkaSink<VideoResult> results() {
        return transactional(resultsTopic + "-tx", KafkaSink.<VideoResult>builder()
                .setRecordSerializer(new ResultRecords(resultsTopic)));
    }

    public KafkaSink<DeadLetter> deadLetters() {
        return transactional(deadLetterTopic + "-tx", KafkaSink.<DeadLetter>builder()
                .setRecordSerializer(new DeadLetterRecords(deadLetterTopic)));
    }

    private <T> KafkaSink<T> transactional(String idPrefix,
                                           org.apache.flink.connector.kafka.sink.KafkaSinkBuilder<T> builder) {
        return builder
                .setBootstrapServers(bootstrapServers)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(groupId + "-" + idPrefix)
                .setProperty("transaction.timeout.ms", Long.toString(TRANSACTION_TIMEOUT.toMillis()))
                .build();
    }
}
