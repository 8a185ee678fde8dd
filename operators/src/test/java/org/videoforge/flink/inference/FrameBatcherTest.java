package org.videoforge.flink.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.frame.Precision;
import org.videoforge.frame.VideoCodec;
import org.videoforge.inference.ModelRef;

class FrameBatcherTest {
    private static final VideoTask VIDEO = new VideoTask("v", null, Path.of("/videos/v.mp4"), VideoCodec.H264);

    private static FrameEnvelope frame(long index, int w, int h, boolean last) {
        return frame(VIDEO, index, w, h, last);
    }

    private static FrameEnvelope frame(VideoTask video, long index, int w, int h, boolean last) {
        return new FrameEnvelope(video, index, index, last, null, w, h, 0, 0);
    }

    @Test
    void aFrameOfAVideoWithAnotherModelOrPrecisionIsIncompatible() {
        FrameBatcher b = new FrameBatcher(4, 8000);
        b.add(frame(0, 64, 48, false), 0);
        assertFalse(b.incompatible(frame(1, 64, 48, false)));
        assertTrue(b.incompatible(frame(VIDEO.withOptions(ModelRef.of("esrgan-slim-x4"), null, null, 0), 1, 64, 48,
                false)), "another model");
        assertTrue(b.incompatible(frame(VIDEO.withOptions(null, Precision.FP16, null, 0), 1, 64, 48, false)),
                "another precision");
    }

    @Test
    void aBatchRunsWhenFullInArrivalOrder() {
        FrameBatcher b = new FrameBatcher(3, 8000);
        FrameEnvelope f0 = frame(0, 64, 48, false);
        FrameEnvelope f1 = frame(1, 64, 48, false);
        FrameEnvelope f2 = frame(2, 64, 48, false);
        assertFalse(b.add(f0, 100));
        assertFalse(b.add(f1, 101));
        assertTrue(b.add(f2, 102), "third of 3");
        assertEquals(List.of(f0, f1, f2), b.take());
        assertTrue(b.isEmpty());
    }

    @Test
    void theDeadlineCountsFromTheFirstFrameAndRoundsUpToMilliseconds() {
        FrameBatcher b = new FrameBatcher(8, 2500); // 2.5 ms -> 3 ms
        assertFalse(b.add(frame(0, 64, 48, false), 1000));
        assertFalse(b.add(frame(1, 64, 48, false), 1002));
        assertEquals(1003, b.dueAt());
        assertFalse(b.due(1002));
        assertTrue(b.due(1003), "a partial batch is due at its deadline");
        assertEquals(2, b.take().size());
        assertFalse(b.due(5000), "nothing collected, nothing due");
        assertFalse(b.add(frame(2, 64, 48, false), 5000));
        assertEquals(5003, b.dueAt(), "a new batch, a new deadline");
    }

    @Test
    void theLastFrameOfAVideoCompletesItsBatch() {
        FrameBatcher b = new FrameBatcher(8, 8000);
        assertFalse(b.add(frame(0, 64, 48, false), 0));
        assertTrue(b.add(frame(1, 64, 48, true), 0));
    }

    @Test
    void aFrameOfAnotherSizeIsIncompatible() {
        FrameBatcher b = new FrameBatcher(4, 8000);
        assertFalse(b.incompatible(frame(0, 64, 48, false)), "empty: anything fits");
        b.add(frame(0, 64, 48, false), 0);
        assertFalse(b.incompatible(frame(1, 64, 48, false)));
        FrameEnvelope other = frame(0, 32, 48, false);
        assertTrue(b.incompatible(other));
        assertThrows(IllegalStateException.class, () -> b.add(other, 0));
    }

    @Test
    void batchOfOneOrNoDeadlineRunsEveryFrameAtOnce() {
        assertTrue(new FrameBatcher(1, 8000).add(frame(0, 64, 48, false), 0));
        assertTrue(new FrameBatcher(4, 0).add(frame(0, 64, 48, false), 0));
        assertThrows(IllegalArgumentException.class, () -> new FrameBatcher(0, 8000));
    }
}
