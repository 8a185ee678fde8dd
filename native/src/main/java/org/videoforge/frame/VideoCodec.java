package org.videoforge.frame;

import java.util.Locale;

/** Video codecs the engine decodes and encodes (the ones NVDEC/NVENC share). */
public enum VideoCodec {
    H264("h264", "libx264"),
    HEVC("hevc", "libx265");

    private final String ffmpegName;
    private final String softwareEncoder;

    VideoCodec(String ffmpegName, String softwareEncoder) {
        this.ffmpegName = ffmpegName;
        this.softwareEncoder = softwareEncoder;
    }

    /** FFmpeg's decoder / raw-demuxer name. */
    public String ffmpegName() {
        return ffmpegName;
    }

    /** FFmpeg's CPU encoder for this codec. */
    public String softwareEncoder() {
        return softwareEncoder;
    }

    public static VideoCodec parse(String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "h264":
            case "avc":
                return H264;
            case "hevc":
            case "h265":
                return HEVC;
            default:
                throw new IllegalArgumentException("codec must be h264 or hevc, not " + s);
        }
    }
}
