package org.videoforge.flink.publish;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.encode.EncodedVideo;
import org.videoforge.flink.core.TempOutputs;

/**
 * Publishes finished videos: renames each temporary file to its final name in one atomic step,
 * so an output path either does not exist or holds a complete file.
 */
public final class PublishSink implements Sink<EncodedVideo> {
    private static final long serialVersionUID = 1L;

    public static final String STAGE = "Publish";

    @Override
    public SinkWriter<EncodedVideo> createWriter(WriterInitContext context) {
        return new Writer();
    }

    private static final class Writer implements SinkWriter<EncodedVideo> {
        @Override
        public void write(EncodedVideo video, Context context) {
            publish(Paths.get(video.getTempPath()), Paths.get(video.getFinalPath()));
        }

        @Override
        public void flush(boolean endOfInput) {
        }

        @Override
        public void close() {
        }
    }

    /** Renames {@code temp} to {@code target} in one atomic step (replacing it). */
    public static void publish(Path temp, Path target) {
        try {
            TempOutputs.rename(temp, target);
        } catch (IOException e) {
            throw new EngineError(ErrorCode.OUTPUT_WRITE_FAILED, "cannot publish " + target + ": " + e.getMessage(), e);
        }
    }
}
