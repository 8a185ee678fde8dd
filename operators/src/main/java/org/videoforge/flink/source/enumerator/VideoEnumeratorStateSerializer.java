package org.videoforge.flink.source.enumerator;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.videoforge.flink.source.split.VideoSplit;
import org.videoforge.flink.source.split.VideoSplitSerializer;

/** Versioned serializer of {@link VideoEnumeratorState}: a count, then each split with its version. */
public final class VideoEnumeratorStateSerializer implements SimpleVersionedSerializer<VideoEnumeratorState> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(VideoEnumeratorState state) throws IOException {
        VideoSplitSerializer splits = VideoSplitSerializer.INSTANCE;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(state.pending().size());
            out.writeInt(splits.getVersion());
            for (VideoSplit s : state.pending()) {
                byte[] b = splits.serialize(s);
                out.writeInt(b.length);
                out.write(b);
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public VideoEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown enumerator state version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int n = in.readInt();
            int splitVersion = in.readInt();
            List<VideoSplit> pending = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                pending.add(VideoSplitSerializer.INSTANCE.deserialize(splitVersion, b));
            }
            return new VideoEnumeratorState(pending);
        }
    }
}
