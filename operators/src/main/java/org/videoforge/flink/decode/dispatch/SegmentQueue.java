package org.videoforge.flink.decode.dispatch;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.videoforge.flink.core.VideoPlan;
import org.videoforge.flink.core.VideoSegment;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.flink.core.VideoTaskSerializer;

/**
 * The segments no slot has yet, in the order they are handed out: segments taken back from a
 * failed slot first (they are the oldest work), then the videos in the order their plans arrived,
 * each video's segments in order, so that videos finish one after the other. A video is kept as its
 * task and its remaining segments (a few dozen bytes each), not a task per segment.
 */
final class SegmentQueue {
    private final Deque<VideoTask> returned = new ArrayDeque<>();
    private final Deque<Pending> videos = new ArrayDeque<>();

    private record Pending(VideoTask video, Deque<VideoSegment> segments) {
    }

    void add(VideoPlan plan) {
        videos.add(new Pending(plan.video(), new ArrayDeque<>(plan.segments())));
    }

    /** Segments a failed slot had: first in line again, in their original order. */
    void returnFirst(Collection<VideoTask> segments) {
        VideoTask[] inOrder = segments.toArray(VideoTask[]::new);
        for (int i = inOrder.length - 1; i >= 0; i--) {
            returned.addFirst(inOrder[i]);
        }
    }

    /** The next segment, or null when there is none. */
    VideoTask poll() {
        VideoTask back = returned.poll();
        if (back != null) {
            return back;
        }
        Pending p = videos.peek();
        if (p == null) {
            return null;
        }
        VideoSegment s = p.segments().poll();
        if (p.segments().isEmpty()) {
            videos.poll();
        }
        return p.video().forSegment(s);
    }

    boolean isEmpty() {
        return returned.isEmpty() && videos.isEmpty();
    }

    int size() {
        return returned.size() + videos.stream().mapToInt(p -> p.segments().size()).sum();
    }

    /** Checkpointed form of the queue: {@link Serializer}. */
    static final class Serializer implements SimpleVersionedSerializer<SegmentQueue> {
        static final Serializer INSTANCE = new Serializer();
        private static final int VERSION = 1;

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(SegmentQueue q) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(1024);
            out.writeInt(q.returned.size());
            for (VideoTask t : q.returned) {
                VideoTaskSerializer.writeVersioned(t, out);
            }
            out.writeInt(q.videos.size());
            for (Pending p : q.videos) {
                VideoTaskSerializer.writeVersioned(p.video(), out);
                out.writeInt(p.segments().size());
                for (VideoSegment s : p.segments()) {
                    VideoTaskSerializer.writeSegment(s, out);
                }
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public SegmentQueue deserialize(int version, byte[] bytes) throws IOException {
            if (version != VERSION) {
                throw new IOException("unknown segment queue version " + version);
            }
            DataInputDeserializer in = new DataInputDeserializer(bytes);
            SegmentQueue q = new SegmentQueue();
            for (int n = in.readInt(); n > 0; n--) {
                q.returned.add(VideoTaskSerializer.readVersioned(in));
            }
            for (int n = in.readInt(); n > 0; n--) {
                VideoTask video = VideoTaskSerializer.readVersioned(in);
                Deque<VideoSegment> segments = new ArrayDeque<>();
                for (int k = in.readInt(); k > 0; k--) {
                    segments.add(VideoTaskSerializer.readSegment(in));
                }
                q.videos.add(new Pending(video, segments));
            }
            return q;
        }
    }
}
