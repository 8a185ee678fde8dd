package org.videoforge.flink.source.split;

import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.videoforge.flink.core.VideoTaskSerializer;

/**
 * Versioned serializer of {@link VideoSplit}s for checkpoints and enumerator-to-reader transport.
 * <ul>
 *   <li>1: a count of emitted frames (never used), then the task Java-serialized.</li>
 *   <li>2: the task as {@link VideoTaskSerializer} writes it, with its version.</li>
 * </ul>
 */
public final class VideoSplitSerializer implements SimpleVersionedSerializer<VideoSplit> {
    public static final VideoSplitSerializer INSTANCE = new VideoSplitSerializer();
    private static final int VERSION = 2;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(VideoSplit split) throws IOException {
        return SimpleVersionedSerialization.writeVersionAndSerialize(VideoTaskSerializer.INSTANCE, split.task());
    }

    @Override
    public VideoSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version == 1) {
            new DataInputDeserializer(serialized).readLong(); // frames emitted: a whole video restarts anyway
            byte[] task = Arrays.copyOfRange(serialized, Long.BYTES, serialized.length);
            return VideoSplit.of(VideoTaskSerializer.INSTANCE.deserialize(VideoTaskSerializer.JAVA_SERIALIZATION, task));
        }
        if (version != VERSION) {
            throw new IOException("unknown VideoSplit serializer version " + version);
        }
        return VideoSplit.of(SimpleVersionedSerialization.readVersionAndDeSerialize(VideoTaskSerializer.INSTANCE,
                serialized));
    }
}
