package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EXIT;
import static org.bytedeco.ffmpeg.global.avutil.AV_ERROR_MAX_STRING_SIZE;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/** Turns FFmpeg's negative return codes into EngineErrors that carry av_strerror's text. */
public final class FfmpegErrors {
    /** AVERROR(ENOSPC), AVERROR(EDQUOT), AVERROR(EFBIG) on Linux: the output cannot grow. */
    private static final Set<Integer> NO_SPACE = Set.of(-28, -122, -27);

    private FfmpegErrors() {
    }

    /** "Invalid data found when processing input (-1094995529)". */
    public static String describe(int ret) {
        byte[] text = new byte[AV_ERROR_MAX_STRING_SIZE];
        if (av_strerror(ret, text, text.length) < 0) {
            return "FFmpeg error " + ret;
        }
        int end = 0;
        while (end < text.length && text[end] != 0) {
            end++;
        }
        return new String(text, 0, end, StandardCharsets.UTF_8) + " (" + ret + ")";
    }

    public static EngineError error(ErrorCode code, String what, int ret) {
        return new EngineError(code, what + ": " + describe(ret));
    }

    /**
     * For calls that write the output: a full filesystem or quota is OUTPUT_DISK_FULL, the
     * watchdog's interrupt STALLED, anything else OUTPUT_WRITE_FAILED.
     */
    public static int checkWrite(int ret, String what) {
        if (ret >= 0) {
            return ret;
        }
        if (NO_SPACE.contains(ret)) {
            throw error(ErrorCode.OUTPUT_DISK_FULL, what, ret);
        }
        if (ret == AVERROR_EXIT()) {
            throw error(ErrorCode.STALLED, what + " made no progress within its deadline", ret);
        }
        throw error(ErrorCode.OUTPUT_WRITE_FAILED, what, ret);
    }

    /** Returns {@code ret} when it is not an error, otherwise throws {@code code}. */
    public static int check(int ret, ErrorCode code, String what) {
        if (ret < 0) {
            throw error(code, what, ret);
        }
        return ret;
    }
}
