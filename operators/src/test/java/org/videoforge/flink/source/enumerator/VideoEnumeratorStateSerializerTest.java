package org.videoforge.flink.source.enumerator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.junit.jupiter.api.Test;
import org.videoforge.flink.core.StateFixtures;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.flink.source.split.VideoSplit;
import org.videoforge.frame.VideoCodec;

class VideoEnumeratorStateSerializerTest {
    private static final VideoEnumeratorStateSerializer SERIALIZER = new VideoEnumeratorStateSerializer();

    @Test
    void pendingSplitsComeBackInOrder() throws IOException {
        VideoTask a = new VideoTask("a", StateFixtures.raw(), Path.of("/o/a.mp4"), VideoCodec.H264);
        VideoTask b = StateFixtures.wholeFilm();
        VideoEnumeratorState back = SimpleVersionedSerialization.readVersionAndDeSerialize(SERIALIZER,
                SimpleVersionedSerialization.writeVersionAndSerialize(SERIALIZER,
                        new VideoEnumeratorState(List.of(VideoSplit.of(a), VideoSplit.of(b)))));
        assertEquals(List.of("a", "req-1"), back.pending().stream().map(VideoSplit::splitId).toList());
        assertEquals(b.toString(), back.pending().get(1).task().toString());
    }

    @Test
    void version1StateIsRead() throws IOException {
        VideoEnumeratorState state = SimpleVersionedSerialization.readVersionAndDeSerialize(SERIALIZER,
                StateFixtures.v1("enumerator-state.v1"));
        assertEquals(List.of("cli", "req-1"), state.pending().stream().map(VideoSplit::splitId).toList());
        assertEquals(StateFixtures.wholeFilm().toString(), state.pending().get(1).task().toString());
        assertEquals(StateFixtures.film().toString(), state.pending().get(1).task().source().toString());
    }
}
