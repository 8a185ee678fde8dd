package org.videoforge.codec.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.codec.DecodedFrame;
import org.videoforge.codec.EncoderSettings;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.codec.OpenHandles;
import org.videoforge.codec.SegmentMuxer;
import org.videoforge.codec.VideoDecoder;
import org.videoforge.codec.VideoWriter;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.VideoCodec;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.testing.FfmpegCli;
import org.videoforge.testing.SyntheticClips;

/**
 * The watchdog: decoding or encoding one frame that overruns its deadline is stopped at the next
 * read of the input or write of the output and reported as STALLED, with everything released; inputs whose reads FFmpeg
 * could block on forever (a FIFO) are refused before FFmpeg touches them.
 */
class StallWatchdogTest {
    @TempDir
    Path dir;
    private final BucketedBufferPool pool = BucketedBufferPool.host("stall-test");

    @AfterEach
    void released() {
        assertEquals(0, pool.stats().leasesOut());
        assertEquals(CaseOutcome.BASELINE_HANDLES, OpenHandles.summary());
        pool.close();
    }

    @Test
    void aFrameThatOverrunsItsDeadlineIsStalled() {
        FfmpegCli.assumeInstalled();
        Path in = dir.resolve("hd.mp4");
        // 1280x720 with B-frames: the first frame needs several packets, and decoding one takes
        // milliseconds -- far past a 1 ms deadline by the time the next packet is read.
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=24:duration=0.5", "-c:v", "libx264",
                "-bf", "3", "-pix_fmt", "yuv420p", in.toString());
        MediaInfo info = MediaProbe.probe(in, null);
        try (VideoDecoder decoder = VideoDecoder.open(info, pool, Duration.ofMillis(1))) {
            EngineError e = assertThrows(EngineError.class, () -> {
                while (true) {
                    try (DecodedFrame f = decoder.next()) {
                        if (f == null) {
                            return;
                        }
                    }
                }
            });
            assertEquals(ErrorCode.STALLED, e.code(), e.oneLine());
            assertTrue(e.getMessage().contains("made no progress for 1 ms"), e.getMessage());
        }
        // The same file with the default deadline decodes completely.
        try (VideoDecoder decoder = VideoDecoder.open(info, pool)) {
            int frames = 0;
            DecodedFrame f;
            while ((f = decoder.next()) != null) {
                f.close();
                frames++;
            }
            assertEquals(12, frames);
        }
    }

    @Test
    void aWriteThatOverrunsItsDeadlineIsStalled() {
        // Opening libx264 for 1280x720 and encoding a frame each take milliseconds: the next write
        // to the file (the header's, or a frame's when the muxer flushes) finds a 1 ms deadline expired.
        EncoderSettings s = EncoderSettings.builder(VideoCodec.H264, 1280, 720).preset("ultrafast").build();
        Path out = dir.resolve(".stalled.mp4.part");
        EngineError e;
        try (FrameBuffer frame = pool.acquire(PixelFormat.NV12.frameBytes(1280, 720))) {
            e = assertThrows(EngineError.class, () -> {
                try (VideoWriter writer = VideoWriter.open(out, "mp4", s, null, Duration.ofMillis(1))) {
                    for (int i = 0; i < 240; i++) {
                        SyntheticClips.fillFrame(frame.hostBytes(), PixelFormat.NV12, 1280, 720, i);
                        writer.write(frame, i);
                    }
                    writer.finish();
                }
            });
        }
        assertEquals(ErrorCode.STALLED, e.code(), e.oneLine());
        assertTrue(e.getMessage().contains(out.toString()), e.getMessage());
    }

    @Test
    void aStalledWriteWhileJoiningSegmentsIsStalled() {
        // A segment as the encode stage writes it (video only), joined with the source's audio and
        // subtitles: with a 1 ms deadline a write finds it expired; with the default it is joined.
        EncoderSettings s = SyntheticClips.h264Settings(640, 360, new org.videoforge.frame.Rational(24, 1))
                .preset("ultrafast").build();
        List<Path> segments = List.of(SyntheticClips.write(dir.resolve("segment-00000.mp4"), s, 48));
        MediaInfo source = MediaProbe.probe(org.videoforge.testing.Samples.sample640x360(), null);
        Path out = dir.resolve(".joined.mp4.part");
        EngineError e = assertThrows(EngineError.class,
                () -> SegmentMuxer.concatenate(segments, source, out, "mp4", Duration.ofMillis(1)));
        assertEquals(ErrorCode.STALLED, e.code(), e.oneLine());
        assertEquals(48, SegmentMuxer.concatenate(segments, source, dir.resolve("joined.mp4"), "mp4"));
    }

    @Test
    void aFifoThatNeverDeliversIsRefusedNotWaitedOn() throws Exception {
        Path fifo = dir.resolve("stalled.mp4");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
        // A writer that opens the FIFO and never writes: a read(2) on it would block forever.
        Thread writer = new Thread(() -> {
            try (OutputStream never = Files.newOutputStream(fifo)) {
                Thread.sleep(60_000);
            } catch (IOException | InterruptedException ignored) {
                // test over
            }
        });
        writer.setDaemon(true);
        writer.start();
        EngineError e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(EngineError.class, () -> MediaProbe.probe(fifo, null)));
        assertEquals(ErrorCode.INPUT_UNREADABLE, e.code(), e.oneLine());
        writer.interrupt();
    }

    @Test
    void aFileSwappedForAFifoAfterTheProbeIsRefusedByTheDecoder() throws Exception {
        FfmpegCli.assumeInstalled();
        Path in = dir.resolve("swapped.mp4");
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x48:rate=12:duration=0.5", "-c:v", "libx264",
                "-pix_fmt", "yuv420p", in.toString());
        MediaInfo info = MediaProbe.probe(in, null);
        Files.delete(in);
        Process mk = new ProcessBuilder("mkfifo", in.toString()).inheritIO().start();
        assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
        EngineError e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(EngineError.class, () -> VideoDecoder.open(info, pool).close()));
        assertEquals(ErrorCode.INPUT_UNREADABLE, e.code(), e.oneLine());
    }
}
