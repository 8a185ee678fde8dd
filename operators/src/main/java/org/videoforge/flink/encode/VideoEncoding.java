package org.videoforge.flink.encode;

import org.videoforge.flink.encode.EncodedVideo;
import org.videoforge.flink.encode.FrameTimings;
import org.videoforge.flink.core.TempOutputs;
import java.nio.file.Path;
import org.videoforge.codec.EncoderSettings;
import org.videoforge.codec.VideoWriter;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.flink.core.VideoSegment;
import org.videoforge.frame.VideoStreamInfo;

/**
 * One video (or segment) being written by the encoder worker: its writer, its temporary file, its
 * progress. A whole video gets the source's audio and subtitles copied in; a segment is video
 * only (its video's assembler adds them once, from the source, when joining the segments).
 */
final class VideoEncoding implements AutoCloseable {
    private final VideoTask task;
    private final Path target;
    private final Path temp;
    private final VideoWriter writer;
    private final long startNanos = System.nanoTime();
    private long frames;
    private long decodeNanos;
    private long preprocessNanos;
    private long inferenceNanos;
    private long encodeNanos;
    private boolean finished;

    private VideoEncoding(VideoTask task, Path target, Path temp, VideoWriter writer) {
        this.task = task;
        this.target = target;
        this.temp = temp;
        this.writer = writer;
    }

    static VideoEncoding start(VideoTask task, int width, int height, int encoderThreads, String preset) {
        VideoStreamInfo in = task.source().video();
        EncoderSettings.Builder settings = EncoderSettings.like(in)
                .codec(task.outputCodec())
                .size(width, height)
                .threads(encoderThreads)
                .preset(preset);
        if (task.crf() != null) {
            settings.crf(task.crf());
        }
        VideoSegment segment = task.segment();
        Path target = segment == null ? task.output() : segment.path();
        Path temp = TempOutputs.tempFor(target);
        VideoWriter writer;
        try {
            writer = VideoWriter.open(temp, VideoWriter.containerFormatFor(target), settings.build(),
                    segment == null ? task.source() : null);
        } catch (RuntimeException e) {
            TempOutputs.discard(temp);
            throw e;
        }
        return new VideoEncoding(task, target, temp, writer);
    }

    VideoWriter writer() {
        return writer;
    }

    void frameWritten(FrameEnvelope e, long encodeNanos) {
        frames++;
        decodeNanos += e.decodeNanos();
        preprocessNanos += e.preprocessNanos();
        inferenceNanos += e.inferenceNanos();
        this.encodeNanos += encodeNanos;
    }

    /** Flushes and closes the file; it is complete under its temporary name. */
    EncodedVideo finish() {
        writer.finish();
        finished = true;
        writer.close();
        EncodedVideo done = new EncodedVideo(task.id(), temp.toString(), target.toString(), frames);
        done.describe(task);
        done.setTimings(new FrameTimings(decodeNanos, preprocessNanos, inferenceNanos, encodeNanos,
                System.nanoTime() - startNanos));
        return done;
    }

    /** Frees the writer; an unfinished file is deleted. */
    @Override
    public void close() {
        writer.close();
        if (!finished) {
            TempOutputs.discard(temp);
        }
    }
}
