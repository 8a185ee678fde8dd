package org.videoforge.flink.envelope;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * The serializer Flink is given for {@link FrameEnvelope}s, whose only job is to refuse. An
 * envelope holds pointers into one process's (device) memory; serializing it would mean a chain
 * was broken and frames were about to be copied across a network or into state. Rather than let
 * that happen silently (or slowly), every data path throws an error naming the stage whose output
 * left the chain. {@link #copy} also throws: Flink copies records between chained operators only
 * when object reuse is off, which this pipeline requires to be on.
 */
public final class FrameEnvelopeSerializer extends TypeSerializer<FrameEnvelope> {
    private static final long serialVersionUID = 1L;

    private final String producer;

    public FrameEnvelopeSerializer(String producer) {
        this.producer = producer;
    }

    /** The stage whose output this serializer stands for. */
    public String producer() {
        return producer;
    }

    private EngineError broken(String what) {
        return new EngineError(ErrorCode.PIPELINE_NOT_CHAINED, "FrameEnvelope output of '" + producer
                + "' was about to be " + what + ": the Decode -> Preprocess -> Inference -> Encode chain is broken"
                + " after '" + producer + "'. Keep all four stages chained in one task (same slot sharing"
                + " group, same parallelism, chaining enabled, object reuse on).");
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<FrameEnvelope> duplicate() {
        return this;
    }

    @Override
    public FrameEnvelope createInstance() {
        throw broken("instantiated by Flink");
    }

    @Override
    public FrameEnvelope copy(FrameEnvelope from) {
        throw broken("copied (object reuse is off)");
    }

    @Override
    public FrameEnvelope copy(FrameEnvelope from, FrameEnvelope reuse) {
        throw broken("copied (object reuse is off)");
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(FrameEnvelope record, DataOutputView target) throws IOException {
        throw broken("serialized");
    }

    @Override
    public FrameEnvelope deserialize(DataInputView source) throws IOException {
        throw broken("deserialized");
    }

    @Override
    public FrameEnvelope deserialize(FrameEnvelope reuse, DataInputView source) throws IOException {
        throw broken("deserialized");
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        throw broken("copied between buffers");
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof FrameEnvelopeSerializer && ((FrameEnvelopeSerializer) obj).producer.equals(producer);
    }

    @Override
    public int hashCode() {
        return producer.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<FrameEnvelope> snapshotConfiguration() {
        return new FrameEnvelopeSerializerSnapshot(producer);
    }
}
