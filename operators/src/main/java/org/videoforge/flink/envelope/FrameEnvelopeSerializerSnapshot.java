package org.videoforge.flink.envelope;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** Flink asks every serializer for a snapshot; envelopes never reach state, so it only keeps the name. */
public final class FrameEnvelopeSerializerSnapshot implements TypeSerializerSnapshot<FrameEnvelope> {
    private static final int VERSION = 1;

    private String producer;

    /** For Flink's reflective instantiation. */
    public FrameEnvelopeSerializerSnapshot() {
    }

    FrameEnvelopeSerializerSnapshot(String producer) {
        this.producer = producer;
    }

    @Override
    public int getCurrentVersion() {
        return VERSION;
    }

    @Override
    public void writeSnapshot(DataOutputView out) throws IOException {
        out.writeUTF(producer);
    }

    @Override
    public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
        producer = in.readUTF();
    }

    @Override
    public TypeSerializer<FrameEnvelope> restoreSerializer() {
        return new FrameEnvelopeSerializer(producer);
    }

    @Override
    public TypeSerializerSchemaCompatibility<FrameEnvelope> resolveSchemaCompatibility(
            TypeSerializerSnapshot<FrameEnvelope> oldSnapshot) {
        return TypeSerializerSchemaCompatibility.compatibleAsIs();
    }
}
