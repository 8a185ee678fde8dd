package org.videoforge.codec.nvdec;

import java.nio.file.Path;
import org.videoforge.frame.Rational;
import org.videoforge.testing.SyntheticClips;

/**
 * Test inputs made with the engine's own encoder ({@link SyntheticClips}), so the NVDEC tests run on
 * GPU hosts that have no ffmpeg binary. 320x180 by default: above HEVC's NVDEC minimum of 144x144,
 * and not a multiple of 16, so the coded size (320x192 for H.264) differs from the display size and
 * the crop is exercised. 24 fps; MP4 files are written with the moov atom first (faststart), so a
 * truncated file still declares its frame count.
 */
final class NvdecTestVideos {
    static final int WIDTH = 320;
    static final int HEIGHT = 180;
    static final Rational FPS = new Rational(24, 1);

    private NvdecTestVideos() {
    }

    /** 8-bit H.264 (x264 "veryfast": up to 3 B-frames, so decode order differs from display order). */
    static Path h264(Path dir, String name, int frames) {
        return h264(dir, name, WIDTH, HEIGHT, frames);
    }

    static Path h264(Path dir, String name, int w, int h, int frames) {
        return SyntheticClips.h264(dir.resolve(name), w, h, frames, FPS);
    }

    /** 10-bit HEVC (x265 uses B-frames by default). */
    static Path hevc10(Path dir, String name, int frames) {
        return SyntheticClips.hevc10(dir.resolve(name), WIDTH, HEIGHT, frames, FPS);
    }

    /** 8-bit HEVC. */
    static Path hevc8(Path dir, String name, int w, int h, int frames) {
        return SyntheticClips.hevc8(dir.resolve(name), w, h, frames, FPS);
    }
}
