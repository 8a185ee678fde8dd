package org.videoforge.flink.encode;

import java.nio.file.Path;
import org.videoforge.codec.EncoderSettings;
import org.videoforge.codec.VideoWriter;
import org.videoforge.flink.pipeline.VideoTask;
import org.videoforge.frame.VideoStreamInfo;

/** One video being written by the encoder worker: its writer, its temporary file, its progress. */
final class VideoEncoding implements AutoCloseable {
    private final VideoTask task;
    private final Path temp;
    private final VideoWriter writer;
    private long frames;
    private boolean finished;

    private VideoEncoding(VideoTask task, Path temp, VideoWriter writer) {
        this.task = task;
        this.temp = temp;
        this.writer = writer;
    }

    static VideoEncoding start(VideoTask task, int width, int height, int encoderThreads, String preset) {
        VideoStreamInfo in = task.source().video();
        EncoderSettings settings = EncoderSettings.like(in)
                .codec(task.outputCodec())
                .size(width, height)
                .threads(encoderThreads)
                .preset(preset)
                .build();
        Path temp = TempOutputs.tempFor(task.output());
        VideoWriter writer;
        try {
            writer = VideoWriter.open(temp, VideoWriter.containerFormatFor(task.output()), settings, task.source());
        } catch (RuntimeException e) {
            TempOutputs.discard(temp);
            throw e;
        }
        return new VideoEncoding(task, temp, writer);
    }

    VideoWriter writer() {
        return writer;
    }

    void frameWritten() {
        frames++;
    }

    /** Flushes and closes the file; it is complete under its temporary name. */
    EncodedVideo finish() {
        writer.finish();
        finished = true;
        writer.close();
        return new EncodedVideo(task.id(), temp.toString(), task.output().toString(), frames);
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
