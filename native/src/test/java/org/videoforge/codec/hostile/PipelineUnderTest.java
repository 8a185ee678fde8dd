package org.videoforge.codec.hostile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.videoforge.codec.DecodedFrame;
import org.videoforge.codec.EncoderSettings;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.codec.NearestUpscale;
import org.videoforge.codec.RawInputHint;
import org.videoforge.codec.VideoDecoder;
import org.videoforge.codec.VideoWriter;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;

/**
 * The operators' native path for one input, as the CPU job runs it: probe, decode into the pool,
 * a 2x nearest-neighbour stand-in for the model, encode and mux (audio and subtitles copied) to a
 * hidden temporary that is renamed when complete and deleted when not.
 */
final class PipelineUnderTest {
    static final int SCALE = 2;

    private final BucketedBufferPool pool;
    private final Duration stallDeadline;

    PipelineUnderTest(BucketedBufferPool pool, Duration stallDeadline) {
        this.pool = pool;
        this.stallDeadline = stallDeadline;
    }

    /** As the operators' TempOutputs.discard: never masks the failure that got us here. */
    private static void discard(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // e.g. the "directory" is a file: nothing was created
        }
    }

    /** Upscales {@code input} into {@code output}; returns the frames written. Throws EngineError on bad input. */
    long run(Path input, RawInputHint hint, Path output) throws IOException {
        MediaInfo info = MediaProbe.probe(input, hint);
        EncoderSettings settings = EncoderSettings.like(info.video())
                .size(info.video().width() * SCALE, info.video().height() * SCALE)
                .preset("ultrafast").threads(1).build();
        Path temp = output.resolveSibling("." + output.getFileName() + ".part");
        boolean done = false;
        try (VideoDecoder decoder = VideoDecoder.open(info, pool, stallDeadline);
             VideoWriter writer = VideoWriter.open(temp, VideoWriter.containerFormatFor(output), settings, info,
                     stallDeadline)) {
            DecodedFrame f;
            while ((f = decoder.next()) != null) {
                try (DecodedFrame frame = f; FrameBuffer up = NearestUpscale.of(frame, SCALE, pool)) {
                    writer.write(up, frame.pts());
                }
            }
            writer.finish();
            Files.move(temp, output, StandardCopyOption.ATOMIC_MOVE);
            done = true;
            return writer.framesWritten();
        } finally {
            if (!done) {
                discard(temp);
            }
        }
    }
}
