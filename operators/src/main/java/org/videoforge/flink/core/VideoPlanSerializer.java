package org.videoforge.flink.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link VideoPlan}s in checkpoints: the video's task (as {@link VideoTaskSerializer} writes it),
 * then its segments. Version 1.
 */
public final class VideoPlanSerializer implements SimpleVersionedSerializer<VideoPlan> {
    public static final VideoPlanSerializer INSTANCE = new VideoPlanSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(VideoPlan plan) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        write(plan, out);
        return out.getCopyOfBuffer();
    }

    @Override
    public VideoPlan deserialize(int version, byte[] bytes) throws IOException {
        if (version != VERSION) {
            throw new IOException("unknown VideoPlan serialization version " + version);
        }
        return read(new DataInputDeserializer(bytes));
    }

    /** For serializers that embed plans. */
    public static void write(VideoPlan plan, DataOutputView out) throws IOException {
        VideoTaskSerializer.writeVersioned(plan.video(), out);
        out.writeInt(plan.segments().size());
        for (VideoSegment s : plan.segments()) {
            VideoTaskSerializer.writeSegment(s, out);
        }
    }

    public static VideoPlan read(DataInputView in) throws IOException {
        VideoTask video = VideoTaskSerializer.readVersioned(in);
        int n = in.readInt();
        if (n == 0) {
            return VideoPlan.failed(video);
        }
        List<VideoSegment> segments = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            segments.add(VideoTaskSerializer.readSegment(in));
        }
        return VideoPlan.of(video, segments);
    }
}
