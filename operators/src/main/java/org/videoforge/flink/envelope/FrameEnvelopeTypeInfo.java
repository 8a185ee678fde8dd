package org.videoforge.flink.envelope;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Type information for the envelopes one stage emits. Giving each stage its own instance lets the
 * serializer name the stage whose output left the chain.
 */
public final class FrameEnvelopeTypeInfo extends TypeInformation<FrameEnvelope> {
    private static final long serialVersionUID = 1L;

    private final String producer;

    private FrameEnvelopeTypeInfo(String producer) {
        this.producer = producer;
    }

    /** Type of the envelopes emitted by the stage called {@code producer}. */
    public static FrameEnvelopeTypeInfo producedBy(String producer) {
        return new FrameEnvelopeTypeInfo(producer);
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<FrameEnvelope> getTypeClass() {
        return FrameEnvelope.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<FrameEnvelope> createSerializer(SerializerConfig config) {
        return new FrameEnvelopeSerializer(producer);
    }

    @Override
    public String toString() {
        return "FrameEnvelope(from " + producer + ")";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof FrameEnvelopeTypeInfo && ((FrameEnvelopeTypeInfo) obj).producer.equals(producer);
    }

    @Override
    public int hashCode() {
        return producer.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof FrameEnvelopeTypeInfo;
    }
}
