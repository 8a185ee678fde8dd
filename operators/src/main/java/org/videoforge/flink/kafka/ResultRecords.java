package org.videoforge.flink.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.videoforge.contract.UpscaleResult;
import org.videoforge.flink.assemble.ResultContract;
import org.videoforge.flink.assemble.VideoResult;
import org.videoforge.flink.request.AvroCodec;

/** Results as Avro UpscaleResult records, keyed by request id (so one request's results share a partition). */
final class ResultRecords implements KafkaRecordSerializationSchema<VideoResult> {
    private static final long serialVersionUID = 1L;

    private final String topic;
    private transient AvroCodec<UpscaleResult> codec;

    ResultRecords(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(VideoResult result, KafkaSinkContext context, Long timestamp) {
        if (codec == null) {
            codec = new AvroCodec<>(UpscaleResult.class);
        }
        return new ProducerRecord<>(topic, result.getRequestId().getBytes(StandardCharsets.UTF_8),
                codec.encode(ResultContract.toAvro(result)));
    }
}
