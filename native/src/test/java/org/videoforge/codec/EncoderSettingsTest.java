package org.videoforge.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.videoforge.frame.ColorMatrix;
import org.videoforge.frame.ColorRange;
import org.videoforge.frame.ColorSpec;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoCodec;
import org.videoforge.frame.VideoStreamInfo;

class EncoderSettingsTest {
    private static final VideoStreamInfo SOURCE = new VideoStreamInfo(VideoCodec.HEVC, 1280, 720, PixelFormat.P010,
            ColorSpec.of(ColorMatrix.BT2020, ColorRange.LIMITED), new Rational(1, 90000), new Rational(30000, 1001),
            100, 3.3);

    @Test
    void likeTheSourceKeepsItsTimeBaseAndColour() {
        EncoderSettings s = EncoderSettings.like(SOURCE).size(2560, 1440).build();
        assertEquals(VideoCodec.HEVC, s.codec());
        assertEquals(2560, s.width());
        assertEquals(1440, s.height());
        assertEquals(PixelFormat.P010, s.pixelFormat());
        assertEquals(SOURCE.color(), s.color());
        assertEquals(new Rational(1, 90000), s.timeBase());
        assertEquals(new Rational(30000, 1001), s.frameRate());
        assertEquals(20, s.crf());
        assertEquals("medium", s.preset());
        assertEquals(0, s.threads());
    }

    @Test
    void defaults() {
        EncoderSettings s = EncoderSettings.builder(VideoCodec.H264, 640, 360).build();
        assertEquals(18, s.crf());
        assertEquals(PixelFormat.NV12, s.pixelFormat());
        assertEquals(new Rational(25, 1), s.frameRate());
        assertEquals(new Rational(1, 25), s.timeBase());
        assertEquals(ColorMatrix.BT601, s.color().matrix());
        assertFalse(s.color().matrixTagged());
        EncoderSettings hd = s.toBuilder().size(1920, 1080).color(null).crf(23).build();
        assertEquals(ColorMatrix.BT709, hd.color().matrix());
        assertEquals(23, hd.crf());
        assertEquals(23, hd.toBuilder().build().crf());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> EncoderSettings.builder(VideoCodec.H264, 0, 360).build());
        assertThrows(IllegalArgumentException.class, () -> EncoderSettings.builder(VideoCodec.H264, 64, 64).crf(52).build());
        assertThrows(IllegalArgumentException.class, () -> EncoderSettings.builder(VideoCodec.H264, 64, 64).threads(-1).build());
        assertThrows(IllegalArgumentException.class, () -> EncoderSettings.builder(VideoCodec.H264, 64, 64).preset(" ").build());
        assertThrows(IllegalArgumentException.class, () -> EncoderSettings.builder(VideoCodec.H264, 64, 64).preset("warp").build());
        assertThrows(IllegalArgumentException.class,
                () -> EncoderSettings.builder(VideoCodec.H264, 64, 64).timeBase(new Rational(0, 1)).build());
    }
}
