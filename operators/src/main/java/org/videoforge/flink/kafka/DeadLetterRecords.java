package org.videoforge.flink.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.videoforge.flink.request.DeadLetter;

/**
 * Dead letters: the original record's bytes, untouched (so it can be fixed and replayed), with the
 * reason in headers: {@value #CODE}, {@value #MESSAGE}, {@value #ORIGIN}.
 */
final class DeadLetterRecords implements KafkaRecordSerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;

    static final String CODE = "videoforge.error.code";
    static final String MESSAGE = "videoforge.error.message";
    static final String ORIGIN = "videoforge.origin";

    private final String topic;

    DeadLetterRecords(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
                letter.getRequestId().getBytes(StandardCharsets.UTF_8), letter.getValue());
        record.headers().add(CODE, Integer.toString(letter.getErrorCode()).getBytes(StandardCharsets.UTF_8));
        record.headers().add(MESSAGE, String.valueOf(letter.getErrorMessage()).getBytes(StandardCharsets.UTF_8));
        record.headers().add(ORIGIN, String.valueOf(letter.getOrigin()).getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
