package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO;
import static org.bytedeco.ffmpeg.global.avutil.av_log_get_level;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

/**
 * FFmpeg logs every stream it opens at INFO to stderr; in a Flink task manager that is noise per
 * frame source. Errors still print. A level someone chose on purpose (not the default) is kept.
 */
final class FfmpegLog {
    private static volatile boolean done;

    private FfmpegLog() {
    }

    static void quietByDefault() {
        if (done) {
            return;
        }
        synchronized (FfmpegLog.class) {
            if (!done) {
                if (av_log_get_level() == AV_LOG_INFO) {
                    av_log_set_level(AV_LOG_ERROR);
                }
                done = true;
            }
        }
    }
}
