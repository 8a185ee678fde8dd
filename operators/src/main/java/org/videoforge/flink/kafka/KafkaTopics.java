package org.videoforge.flink.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * Makes sure the streaming job's topics exist before the job starts. Flink's Kafka source fails the
 * whole job on a missing topic, and names it only deep in a stack trace; a broker's automatic topic
 * creation does not help (the source only reads metadata, and many clusters turn it off). So
 * missing topics are created here with the AdminClient, with the given partitions and replication
 * or the broker's defaults; where the broker refuses, the error names each missing topic and the
 * command that creates it.
 *
 * <pre>{@code
 * List<String> created = new KafkaTopics("kafka:9092", null, null, Duration.ofSeconds(30))
 *         .ensureExist(List.of("videoforge-requests", "videoforge-results"));
 * }</pre>
 */
public final class KafkaTopics {
    private final String bootstrapServers;
    private final Optional<Integer> partitions;
    private final Optional<Short> replication;
    private final Duration timeout;

    /**
     * @param partitions  of a created topic; null = the broker's {@code num.partitions}
     * @param replication of a created topic; null = the broker's {@code default.replication.factor}
     * @param timeout     for each admin call (an unreachable broker is reported after it)
     */
    public KafkaTopics(String bootstrapServers, Integer partitions, Short replication, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.partitions = Optional.ofNullable(partitions);
        this.replication = Optional.ofNullable(replication);
        this.timeout = timeout;
    }

    /**
     * Creates those of {@code topics} that do not exist yet and waits until the broker describes
     * them.
     *
     * @return the topics it created
     * @throws EngineError TOPIC_UNAVAILABLE naming the topics when the broker is unreachable, denies
     *                     access to a topic, or refuses to create a missing one
     */
    public List<String> ensureExist(List<String> topics) {
        try (Admin admin = Admin.create(adminProperties())) {
            List<String> missing = missing(admin, topics);
            if (missing.isEmpty()) {
                return missing;
            }
            create(admin, missing);
            List<String> stillMissing = missing(admin, missing);
            if (!stillMissing.isEmpty()) {
                throw new EngineError(ErrorCode.TOPIC_UNAVAILABLE, "created topic(s) " + stillMissing + " at "
                        + bootstrapServers + " but the broker does not describe them within " + timeout
                        + "; start again once it does, or create them first:\n" + commands(stillMissing));
            }
            return missing;
        }
    }

    private Properties adminProperties() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 10_000));
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "videoforge-topics");
        return p;
    }

    private List<String> missing(Admin admin, List<String> topics) {
        List<String> missing = new ArrayList<>();
        Map<String, KafkaFuture<TopicDescription>> descriptions = admin.describeTopics(topics).topicNameValues();
        for (String topic : topics) {
            Throwable failure = outcome(descriptions.get(topic));
            if (failure instanceof UnknownTopicOrPartitionException) {
                missing.add(topic);
            } else if (failure instanceof TopicAuthorizationException) {
                throw new EngineError(ErrorCode.TOPIC_UNAVAILABLE, "not authorized to describe topic " + topic + " at "
                        + bootstrapServers + ": grant this client access to it, or pass another topic", failure);
            } else if (failure != null) {
                throw unreachable(topic, failure);
            }
        }
        return missing;
    }

    private void create(Admin admin, List<String> topics) {
        List<NewTopic> requests = topics.stream().map(t -> new NewTopic(t, partitions, replication)).toList();
        Map<String, KafkaFuture<Void>> outcomes = admin.createTopics(requests).values();
        Map<String, Throwable> refused = new LinkedHashMap<>();
        for (String topic : topics) {
            Throwable failure = outcome(outcomes.get(topic));
            if (failure != null && !(failure instanceof TopicExistsException)) { // TopicExists: created meanwhile
                refused.put(topic, failure);
            }
        }
        if (!refused.isEmpty()) {
            Set<String> reasons = new LinkedHashSet<>();
            refused.values().forEach(why -> reasons.add(why.getClass().getSimpleName() + ": " + why.getMessage()));
            throw new EngineError(ErrorCode.TOPIC_UNAVAILABLE, "topic(s) " + String.join(", ", refused.keySet())
                    + " do not exist and the broker at " + bootstrapServers + " refused to create them ("
                    + String.join("; ", reasons) + "). Create them first, e.g.:\n"
                    + commands(List.copyOf(refused.keySet())), refused.values().iterator().next());
        }
    }

    /** The failure of one admin call, unwrapped; null when it succeeded. */
    private Throwable outcome(KafkaFuture<?> future) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    private EngineError unreachable(String topic, Throwable failure) {
        return new EngineError(ErrorCode.TOPIC_UNAVAILABLE, "cannot check topic " + topic + " at " + bootstrapServers
                + " within " + timeout + " (" + failure.getClass().getSimpleName() + ": " + failure.getMessage()
                + "): check --bootstrap-servers and that the broker is up", failure);
    }

    /** The kafka-topics.sh command lines that create {@code topics} as this job would. */
    private String commands(List<String> topics) {
        StringBuilder out = new StringBuilder();
        for (String topic : topics) {
            out.append("  kafka-topics.sh --bootstrap-server ").append(bootstrapServers)
                    .append(" --create --topic ").append(topic);
            partitions.ifPresent(n -> out.append(" --partitions ").append(n));
            replication.ifPresent(n -> out.append(" --replication-factor ").append(n));
            out.append('\n');
        }
        return out.toString().stripTrailing();
    }
}
