package org.videoforge.flink.source.split;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.videoforge.flink.core.VideoTask;

/**
 * Versioned serializer of {@link VideoSplit}s for checkpoints and enumerator-to-reader transport.
 * Version 1 writes the emitted-frame count and the task as Java serialization (the task's
 * classes are all final value types of this project).
 */
public final class VideoSplitSerializer implements SimpleVersionedSerializer<VideoSplit> {
    public static final VideoSplitSerializer INSTANCE = new VideoSplitSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(VideoSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(split.framesEmitted());
            try (ObjectOutputStream o = new ObjectOutputStream(out)) {
                o.writeObject(split.task());
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public VideoSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown VideoSplit serializer version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            long emitted = in.readLong();
            try (ObjectInputStream o = new ObjectInputStream(in)) {
                return new VideoSplit((VideoTask) o.readObject(), emitted);
            } catch (ClassNotFoundException e) {
                throw new IOException("cannot restore VideoSplit", e);
            }
        }
    }
}
