package org.videoforge.flink.commit;

import static org.videoforge.flink.core.StateFields.readNullable;
import static org.videoforge.flink.core.StateFields.writeNullable;

import org.videoforge.flink.encode.FrameTimings;
import org.videoforge.flink.encode.EncodedVideo;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Committables in checkpoints: an encoded segment waiting for its checkpoint to complete.
 * Versioned, field by field, so that a savepoint outlives changes to {@link EncodedVideo}: a new
 * field means a new version, and old versions stay readable.
 */
public final class EncodedVideoSerializer implements SimpleVersionedSerializer<EncodedVideo> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(EncodedVideo v) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        write(v, out);
        return out.getCopyOfBuffer();
    }

    @Override
    public EncodedVideo deserialize(int version, byte[] bytes) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown EncodedVideo serialization version " + version);
        }
        return read(new DataInputDeserializer(bytes));
    }

    static void write(EncodedVideo v, DataOutputView out) throws IOException {
        writeNullable(out, v.getVideoId());
        writeNullable(out, v.getTempPath());
        writeNullable(out, v.getFinalPath());
        out.writeLong(v.getFrames());
        out.writeInt(v.getSegmentIndex());
        out.writeInt(v.getSegmentCount());
        out.writeInt(v.getErrorCode());
        writeNullable(out, v.getErrorMessage());
        writeNullable(out, v.getSourcePath());
        writeNullable(out, v.getVideoOutput());
        out.writeLong(v.getAcceptedAtMillis());
        FrameTimings t = v.getTimings();
        out.writeLong(t.getDecodeNanos());
        out.writeLong(t.getPreprocessNanos());
        out.writeLong(t.getInferenceNanos());
        out.writeLong(t.getEncodeNanos());
        out.writeLong(t.getWallNanos());
    }

    static EncodedVideo read(DataInputView in) throws IOException {
        EncodedVideo v = new EncodedVideo();
        v.setVideoId(readNullable(in));
        v.setTempPath(readNullable(in));
        v.setFinalPath(readNullable(in));
        v.setFrames(in.readLong());
        v.setSegmentIndex(in.readInt());
        v.setSegmentCount(in.readInt());
        v.setErrorCode(in.readInt());
        v.setErrorMessage(readNullable(in));
        v.setSourcePath(readNullable(in));
        v.setVideoOutput(readNullable(in));
        v.setAcceptedAtMillis(in.readLong());
        v.setTimings(new FrameTimings(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong()));
        return v;
    }
}
