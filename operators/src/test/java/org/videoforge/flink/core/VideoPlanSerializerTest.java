package org.videoforge.flink.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

class VideoPlanSerializerTest {
    private static final VideoPlanSerializer SERIALIZER = VideoPlanSerializer.INSTANCE;

    @Test
    void aPlanComesBackWithItsTaskAndEverySegment() throws IOException {
        List<VideoSegment> segments = List.of(
                new VideoSegment(0, 3, Long.MIN_VALUE, 1000, 10, 0, Path.of("/s/segment-00000.mp4")),
                new VideoSegment(1, 3, 1000, 2000, 10, 10, Path.of("/s/segment-00001.mp4")),
                new VideoSegment(2, 3, 2000, Long.MAX_VALUE, 7, 20, Path.of("/s/segment-00002.mp4")));
        VideoPlan plan = VideoPlan.of(StateFixtures.wholeFilm().from("requests-0@3"), segments);
        VideoPlan back = SERIALIZER.deserialize(SERIALIZER.getVersion(), SERIALIZER.serialize(plan));
        assertEquals(plan.key(), back.key());
        VideoTaskSerializerTest.assertTaskEquals(plan.video(), back.video());
        assertEquals(3, back.segments().size());
        for (int i = 0; i < 3; i++) {
            VideoTaskSerializerTest.assertSegmentEquals(segments.get(i), back.segments().get(i));
        }
    }

    @Test
    void aFailedPlanStaysFailed() throws IOException {
        VideoPlan plan = VideoPlan.failed(VideoTask.failed("x", "/o.mp4",
                new EngineError(ErrorCode.OUTPUT_WRITE_FAILED, "no dir"), 9L).from("manifest.txt:4"));
        VideoPlan back = SERIALIZER.deserialize(SERIALIZER.getVersion(), SERIALIZER.serialize(plan));
        assertTrue(back.isFailed());
        assertEquals("x@manifest.txt:4", back.key());
        assertEquals(ErrorCode.OUTPUT_WRITE_FAILED, back.video().failure().code());
    }
}
