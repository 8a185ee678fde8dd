package org.videoforge.flink.decode;

import org.videoforge.codec.FrameDecoder;
import org.videoforge.codec.RangeDecoder;
import org.videoforge.device.FrameDevice;
import org.videoforge.flink.core.VideoSegment;
import org.videoforge.flink.core.VideoTask;

/**
 * The open decoder of the video a slot works on, kept from one segment of it to the next: the
 * next segment seeks instead of opening the input again (the demuxer, the stream probe, NVDEC's
 * decoder and its surfaces). A segment of another video, or a video's first segment once the
 * decoder has read, opens a new one. One thread.
 */
final class SegmentInputs implements AutoCloseable {
    private final FrameDevice device;
    private FrameDecoder decoder;
    private String videoId;
    private String path;
    private boolean read;
    private long openNanos;
    private boolean opened;
    private long picturesAtOpen;

    SegmentInputs(FrameDevice device) {
        this.device = device;
    }

    /** The frames of {@code task}'s segment; closing them leaves the decoder open for the next segment. */
    FrameDecoder open(VideoTask task) {
        VideoSegment s = task.segment();
        boolean fromStart = s.startPts() == Long.MIN_VALUE;
        String taskPath = task.source().path().toString();
        opened = decoder == null || !task.id().equals(videoId) || !taskPath.equals(path) || (fromStart && read);
        if (opened) {
            discard();
            long t0 = System.nanoTime();
            decoder = device.openDecoder(task.source());
            openNanos = System.nanoTime() - t0;
            videoId = task.id();
            path = taskPath;
        } else {
            openNanos = 0;
        }
        read = true;
        picturesAtOpen = decoder.picturesDecoded();
        return RangeDecoder.borrowing(decoder, s.startPts(), s.endPts(), s.frames(), task.toString());
    }

    /** How long the last {@link #open} took to open the input; 0 when it reused the decoder. */
    long openNanos() {
        return openNanos;
    }

    /** Whether the last {@link #open} opened the input (rather than going on with the decoder it had). */
    boolean opened() {
        return opened;
    }

    /** Pictures the decoder decoded since the last {@link #open}: the segment's decoding cost. */
    long picturesSinceOpen() {
        return decoder == null ? 0 : decoder.picturesDecoded() - picturesAtOpen;
    }

    /** Closes the decoder: after a failure (it may be failed), or when the slot's work has ended. */
    void discard() {
        if (decoder != null) {
            FrameDecoder d = decoder;
            decoder = null;
            read = false;
            d.close();
        }
    }

    @Override
    public void close() {
        discard();
    }
}
