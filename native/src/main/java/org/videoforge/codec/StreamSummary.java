package org.videoforge.codec;

import java.io.Serializable;

/**
 * A non-video stream of the input (audio, subtitle, data), as the probe saw it.
 *
 * @param index           the stream's index in the container
 * @param mediaType       FFmpeg's media type name: "audio", "subtitle", "data", ...
 * @param codecName       FFmpeg's codec name, e.g. "aac", "mov_text"
 * @param durationSeconds the stream's duration, or -1 when the container does not say
 */
public record StreamSummary(int index, String mediaType, String codecName, double durationSeconds)
        implements Serializable {

    public boolean isAudio() {
        return "audio".equals(mediaType);
    }

    public boolean isSubtitle() {
        return "subtitle".equals(mediaType);
    }
}
