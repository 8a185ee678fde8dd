package org.videoforge.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoCodec;
import org.videoforge.testing.SyntheticClips;

/** The encoder's keyframe interval: what makes a clip cut into keyframe-aligned segments. */
class KeyframeIntervalTest {
    @TempDir
    Path dir;

    @Test
    void noKeyframeGapIsLongerThanTheInterval() {
        Path clip = SyntheticClips.h264(dir.resolve("gop5.mp4"), 64, 48, 22, new Rational(25, 1), 5);
        KeyframeIndex index = KeyframeIndex.read(MediaProbe.probe(clip, null));
        long[] frames = index.framePts(); // in presentation order
        long[] keys = Arrays.stream(index.keyframePts()).map(pts -> Arrays.binarySearch(frames, pts)).toArray();
        assertEquals(22, index.frameCount());
        assertEquals(0, keys[0]);
        assertTrue(Arrays.stream(keys).allMatch(k -> k >= 0), "keyframes are frames: " + Arrays.toString(keys));
        assertTrue(keys.length >= 5, "22 frames with a keyframe at least every 5 need 5 keyframes: " + keys.length);
        for (int i = 1; i < keys.length; i++) {
            assertTrue(keys[i] - keys[i - 1] <= 5, "gap " + keys[i - 1] + " -> " + keys[i]);
        }
        assertTrue(21 - keys[keys.length - 1] < 5, "last keyframe " + keys[keys.length - 1]);
    }

    @Test
    void theEncoderDefaultLeavesOneKeyframeInAShortClip() {
        Path clip = SyntheticClips.h264(dir.resolve("default.mp4"), 64, 48, 22, new Rational(25, 1));
        assertEquals(1, KeyframeIndex.read(MediaProbe.probe(clip, null)).keyframePts().length);
    }

    @Test
    void aNegativeIntervalIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> EncoderSettings.builder(VideoCodec.H264, 64, 48).keyframeInterval(-1).build());
    }
}
