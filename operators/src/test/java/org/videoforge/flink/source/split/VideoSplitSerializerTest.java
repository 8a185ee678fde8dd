package org.videoforge.flink.source.split;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.junit.jupiter.api.Test;
import org.videoforge.flink.core.StateFixtures;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.frame.VideoCodec;

class VideoSplitSerializerTest {
    private static final VideoSplitSerializer SERIALIZER = VideoSplitSerializer.INSTANCE;

    @Test
    void aSplitComesBack() throws IOException {
        VideoTask task = new VideoTask("cli", StateFixtures.raw(), Path.of("/media/out/clip-x2.mp4"), VideoCodec.H264);
        VideoSplit back = SimpleVersionedSerialization.readVersionAndDeSerialize(SERIALIZER,
                SimpleVersionedSerialization.writeVersionAndSerialize(SERIALIZER, VideoSplit.of(task)));
        assertEquals("cli", back.splitId());
        assertEquals(task.toString(), back.task().toString());
        assertEquals(task.source().rawHint(), back.task().source().rawHint());
    }

    @Test
    void version1SplitsAreRead() throws IOException {
        VideoSplit split = SimpleVersionedSerialization.readVersionAndDeSerialize(SERIALIZER,
                StateFixtures.v1("video-split.v1"));
        assertEquals("cli", split.splitId());
        assertEquals(Path.of("/media/in/clip.h264"), split.task().source().path());
        assertEquals(Path.of("/media/out/clip-x2.mp4"), split.task().output());
        assertEquals(StateFixtures.raw().rawHint(), split.task().source().rawHint());
        assertEquals(StateFixtures.raw().toString(), split.task().source().toString());
    }
}
