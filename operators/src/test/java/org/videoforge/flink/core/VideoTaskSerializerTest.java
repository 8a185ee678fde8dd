package org.videoforge.flink.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.videoforge.codec.MediaInfo;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.frame.VideoCodec;
import org.videoforge.inference.ModelRef;

class VideoTaskSerializerTest {
    private static final VideoTaskSerializer SERIALIZER = VideoTaskSerializer.INSTANCE;

    private static VideoTask roundTrip(VideoTask t) throws IOException {
        return SERIALIZER.deserialize(SERIALIZER.getVersion(), SERIALIZER.serialize(t));
    }

    @Test
    void aSegmentTaskComesBackFieldByField() throws IOException {
        VideoTask t = StateFixtures.wholeFilm().forSegment(StateFixtures.segment3()).from("requests-2@41");
        assertTaskEquals(t, roundTrip(t));
    }

    @Test
    void aFailedTaskAndARawInputComeBack() throws IOException {
        VideoTask failed = VideoTask.failed("r", null, new EngineError(ErrorCode.INPUT_NOT_FOUND, "gone"), 5L);
        assertTaskEquals(failed, roundTrip(failed));
        VideoTask raw = new VideoTask("cli", StateFixtures.raw(), Path.of("/out/x.mp4"), VideoCodec.HEVC);
        assertTaskEquals(raw, roundTrip(raw));
    }

    @Test
    void version1SegmentTasksAreRead() throws IOException {
        VideoTask t = SERIALIZER.deserialize(VideoTaskSerializer.JAVA_SERIALIZATION,
                StateFixtures.v1("segment-task.java-serialized"));
        VideoTask expected = StateFixtures.wholeFilm().forSegment(StateFixtures.segment3());
        assertTaskEquals(expected, t);
        assertNull(t.origin(), "version 1 had no origin");
        // and it is written as the current version from then on
        assertTaskEquals(expected, roundTrip(t));
    }

    @Test
    void version1FailedTasksAreRead() throws IOException {
        VideoTask t = SERIALIZER.deserialize(VideoTaskSerializer.JAVA_SERIALIZATION,
                StateFixtures.v1("failed-task.java-serialized"));
        assertEquals("unreadable:requests-0@7", t.id());
        assertEquals(ErrorCode.REQUEST_INVALID, t.failure().code());
        assertEquals("not an UpscaleRequest", t.failure().getMessage());
        assertEquals(1764633600123L, t.acceptedAtMillis());
        assertNull(t.source());
        assertNull(t.output());
    }

    @Test
    void anUnknownVersionIsAnError() {
        assertThrows(IOException.class, () -> SERIALIZER.deserialize(99, new byte[8]));
    }

    /** Every field a task has, compared. */
    static void assertTaskEquals(VideoTask expected, VideoTask actual) {
        assertEquals(expected.id(), actual.id());
        assertEquals(expected.origin(), actual.origin());
        assertEquals(expected.output(), actual.output());
        assertEquals(expected.outputCodec(), actual.outputCodec());
        assertEquals(expected.model(null) == null ? null : expected.model(null).reference(),
                actual.model(null) == null ? null : actual.model(null).reference());
        assertEquals(expected.precision(null), actual.precision(null));
        assertEquals(expected.crf(), actual.crf());
        assertEquals(expected.acceptedAtMillis(), actual.acceptedAtMillis());
        assertEquals(expected.failure() == null ? null : expected.failure().code(),
                actual.failure() == null ? null : actual.failure().code());
        assertEquals(expected.failure() == null ? null : expected.failure().getMessage(),
                actual.failure() == null ? null : actual.failure().getMessage());
        assertSegmentEquals(expected.segment(), actual.segment());
        assertMediaEquals(expected.source(), actual.source());
    }

    static void assertSegmentEquals(VideoSegment e, VideoSegment a) {
        if (e == null) {
            assertNull(a);
            return;
        }
        assertEquals(e.toString(), a.toString());
        assertEquals(e.index(), a.index());
        assertEquals(e.count(), a.count());
        assertEquals(e.startPts(), a.startPts());
        assertEquals(e.endPts(), a.endPts());
        assertEquals(e.frames(), a.frames());
        assertEquals(e.firstFrame(), a.firstFrame());
        assertEquals(e.path(), a.path());
    }

    private static void assertMediaEquals(MediaInfo e, MediaInfo a) {
        if (e == null) {
            assertNull(a);
            return;
        }
        // MediaInfo's text names every field of it, its video stream and its other streams.
        assertEquals(e.toString(), a.toString());
        assertEquals(e.rawHint(), a.rawHint());
        assertEquals(e.videoStreamIndex(), a.videoStreamIndex());
        assertEquals(e.video().frameCount(), a.video().frameCount());
        assertEquals(e.video().durationSeconds(), a.video().durationSeconds());
        assertEquals(e.video().color(), a.video().color());
        assertArrayEquals(e.video().displayMatrix(), a.video().displayMatrix());
    }

    @Test
    void theRequestsOptionsAreKeptApartFromThePipelines() throws IOException {
        VideoTask t = roundTrip(StateFixtures.wholeFilm());
        assertEquals("esrgan-slim-x4", t.model(ModelRef.of("other")).reference());
        assertEquals(Precision.FP16, t.precision(Precision.FP32));
        VideoTask plain = roundTrip(new VideoTask("p", StateFixtures.film(), Path.of("/o.mkv"), VideoCodec.HEVC));
        assertEquals("other", plain.model(ModelRef.of("other")).reference(), "no model of its own");
        assertEquals(Precision.FP32, plain.precision(Precision.FP32));
        assertNull(plain.crf());
    }
}
