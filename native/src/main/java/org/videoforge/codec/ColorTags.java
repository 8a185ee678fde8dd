package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_PRI_BT470BG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_CL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_NCL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT470BG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_FCC;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.videoforge.frame.ColorMatrix;
import org.videoforge.frame.ColorRange;
import org.videoforge.frame.ColorSpec;

/** Reads a stream's colour metadata into a ColorSpec, and writes a ColorSpec onto an encoder. */
final class ColorTags {
    /** Below this height an untagged stream is taken as SD (BT.601), at or above it as HD (BT.709). */
    static final int HD_HEIGHT = 720;

    private ColorTags() {
    }

    static ColorSpec read(AVCodecParameters par, int height) {
        ColorMatrix matrix = matrixOf(par.color_space());
        boolean matrixTagged = matrix != null;
        if (matrix == null) {
            matrix = height >= HD_HEIGHT ? ColorMatrix.BT709 : ColorMatrix.BT601;
        }
        ColorRange range;
        boolean rangeTagged = true;
        if (par.color_range() == AVCOL_RANGE_JPEG) {
            range = ColorRange.FULL;
        } else if (par.color_range() == AVCOL_RANGE_MPEG) {
            range = ColorRange.LIMITED;
        } else if (par.format() == AV_PIX_FMT_YUVJ420P) {
            // The "j" formats are FFmpeg's (deprecated) way of saying full range: a statement, not a guess.
            range = ColorRange.FULL;
        } else {
            range = ColorRange.LIMITED;
            rangeTagged = false;
        }
        return new ColorSpec(matrix, range, matrixTagged, rangeTagged, par.color_primaries(), par.color_trc());
    }

    /** The matrix a tag names, or null for unspecified and matrices the pipeline does not model. */
    static ColorMatrix matrixOf(int avColorSpace) {
        if (avColorSpace == AVCOL_SPC_BT470BG || avColorSpace == AVCOL_SPC_SMPTE170M || avColorSpace == AVCOL_SPC_FCC) {
            return ColorMatrix.BT601;
        }
        if (avColorSpace == AVCOL_SPC_BT709) {
            return ColorMatrix.BT709;
        }
        if (avColorSpace == AVCOL_SPC_BT2020_NCL || avColorSpace == AVCOL_SPC_BT2020_CL) {
            return ColorMatrix.BT2020;
        }
        return null;
    }

    /**
     * Tags the encoder's output. The matrix and range are always written, inferred or not: the
     * pipeline converted with them, and a player's own guess may differ once the frame size changed.
     */
    static void apply(ColorSpec color, AVCodecContext enc) {
        enc.colorspace(avColorSpaceOf(color));
        enc.color_range(color.range() == ColorRange.FULL ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG);
        enc.color_primaries(color.primaries());
        enc.color_trc(color.transfer());
    }

    static int avColorSpaceOf(ColorSpec color) {
        switch (color.matrix()) {
            case BT709:
                return AVCOL_SPC_BT709;
            case BT2020:
                return AVCOL_SPC_BT2020_NCL;
            case BT601:
            default:
                // Same coefficients; PAL material is tagged bt470bg, everything else smpte170m.
                return color.primaries() == AVCOL_PRI_BT470BG ? AVCOL_SPC_BT470BG : AVCOL_SPC_SMPTE170M;
        }
    }
}
