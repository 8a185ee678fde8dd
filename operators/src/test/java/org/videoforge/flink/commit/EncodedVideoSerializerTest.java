package org.videoforge.flink.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.junit.jupiter.api.Test;
import org.videoforge.flink.core.StateFixtures;
import org.videoforge.flink.encode.EncodedVideo;
import org.videoforge.flink.encode.FrameTimings;

class EncodedVideoSerializerTest {
    private static final EncodedVideoSerializer SERIALIZER = new EncodedVideoSerializer();

    /** The committable version 1's fixture holds. */
    private static EncodedVideo segment3() {
        EncodedVideo e = new EncodedVideo();
        e.setVideoId("req-1");
        e.setTempPath("/staging/req-1-0a1b2c3d/.segment-00003.mp4.part");
        e.setFinalPath("/staging/req-1-0a1b2c3d/segment-00003.mp4");
        e.setFrames(24);
        e.setSegmentIndex(3);
        e.setSegmentCount(12);
        e.setErrorCode(0);
        e.setSourcePath("/media/in/film.mkv");
        e.setVideoOutput("/media/out/film-x2.mkv");
        e.setAcceptedAtMillis(1764633600000L);
        e.setTimings(new FrameTimings(11, 22, 33, 44, 55));
        return e;
    }

    private static void assertSame(EncodedVideo e, EncodedVideo a) {
        assertEquals(e.getVideoId(), a.getVideoId());
        assertEquals(e.getTempPath(), a.getTempPath());
        assertEquals(e.getFinalPath(), a.getFinalPath());
        assertEquals(e.getFrames(), a.getFrames());
        assertEquals(e.getSegmentIndex(), a.getSegmentIndex());
        assertEquals(e.getSegmentCount(), a.getSegmentCount());
        assertEquals(e.getErrorCode(), a.getErrorCode());
        assertEquals(e.getErrorMessage(), a.getErrorMessage());
        assertEquals(e.getSourcePath(), a.getSourcePath());
        assertEquals(e.getVideoOutput(), a.getVideoOutput());
        assertEquals(e.getAcceptedAtMillis(), a.getAcceptedAtMillis());
        FrameTimings t = e.getTimings();
        FrameTimings u = a.getTimings();
        assertEquals(t.getDecodeNanos(), u.getDecodeNanos());
        assertEquals(t.getPreprocessNanos(), u.getPreprocessNanos());
        assertEquals(t.getInferenceNanos(), u.getInferenceNanos());
        assertEquals(t.getEncodeNanos(), u.getEncodeNanos());
        assertEquals(t.getWallNanos(), u.getWallNanos());
    }

    @Test
    void aCommittableComesBack() throws IOException {
        EncodedVideo e = segment3();
        e.setErrorMessage("m");
        assertSame(e, SimpleVersionedSerialization.readVersionAndDeSerialize(SERIALIZER,
                SimpleVersionedSerialization.writeVersionAndSerialize(SERIALIZER, e)));
    }

    @Test
    void version1CommittablesAreRead() throws IOException {
        assertSame(segment3(), SimpleVersionedSerialization.readVersionAndDeSerialize(SERIALIZER,
                StateFixtures.v1("encoded-video.v1")));
    }
}
