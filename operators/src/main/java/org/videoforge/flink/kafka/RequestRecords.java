package org.videoforge.flink.kafka;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.videoforge.flink.request.RawRequest;

/**
 * Request records off the topic, unparsed: parsing in the source would turn one bad record into a
 * failed job (the source would throw); {@link org.videoforge.flink.request.RequestIntake} turns it
 * into a coded result and a dead letter instead.
 */
final class RequestRecords implements KafkaRecordDeserializationSchema<RawRequest> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRequest> out) {
        out.collect(new RawRequest(record.value(), record.topic() + "-" + record.partition() + "@" + record.offset(),
                System.currentTimeMillis()));
    }

    @Override
    public TypeInformation<RawRequest> getProducedType() {
        return TypeInformation.of(RawRequest.class);
    }
}
