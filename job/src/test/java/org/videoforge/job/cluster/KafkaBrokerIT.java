package org.videoforge.job.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The test broker is a real one: a record produced through it is consumed back. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class KafkaBrokerIT {

    @Test
    void producesAndConsumesARecord() throws Exception {
        long pid;
        java.nio.file.Path dir;
        try (KafkaBroker kafka = KafkaBroker.start()) {
            pid = kafka.pid();
            dir = kafka.dir();
            kafka.createTopic("videos", 2);
            assertEquals(Set.of("videos"), kafka.admin().listTopics().names().get(10, TimeUnit.SECONDS));

            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            RecordMetadata sent;
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                sent = producer.send(new ProducerRecord<>("videos", 1, "clip-1", "/videos/in/clip-1.mp4"))
                        .get(30, TimeUnit.SECONDS);
            }
            assertEquals(1, sent.partition());

            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            c.put(ConsumerConfig.GROUP_ID_CONFIG, "videoforge-smoke");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
                consumer.subscribe(List.of("videos"));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (got.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(500)).forEach(got::add);
                }
                consumer.commitSync();
            }
            assertEquals(1, got.size(), "one record consumed");
            assertEquals("clip-1", got.get(0).key());
            assertEquals("/videos/in/clip-1.mp4", got.get(0).value());
            assertEquals(sent.offset(), got.get(0).offset());
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "broker process gone after close");
        if (!Boolean.getBoolean("videoforge.cluster.keep")) {
            assertFalse(Files.exists(dir), "broker directory deleted after close");
        }
    }
}
