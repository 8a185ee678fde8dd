package org.videoforge.codec;

import org.videoforge.testing.FfmpegCli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.memory.BucketedBufferPool;

/** Truncated or damaged inputs must fail with a code, never decode to a quietly shorter video. */
class CorruptInputTest {
    private static final Set<ErrorCode> DAMAGE = Set.of(ErrorCode.CORRUPT_STREAM, ErrorCode.INPUT_UNREADABLE);

    @TempDir
    static Path dir;
    private static Path faststart;
    private static Path moovAtEnd;
    private static Path videoOnly;

    private final BucketedBufferPool pool = BucketedBufferPool.host("corrupt-test");

    @BeforeAll
    static void inputs() {
        FfmpegCli.assumeInstalled();
        faststart = TestVideos.withAudioAndSubtitles(dir, "faststart.mp4", "-movflags", "+faststart");
        moovAtEnd = TestVideos.withAudioAndSubtitles(dir, "moov-at-end.mp4");
        videoOnly = TestVideos.h264(dir, "video-only.mp4", 2, "-movflags", "+faststart");
    }

    @AfterEach
    void everyLeaseCameBack() {
        assertEquals(0, pool.stats().leasesOut());
        pool.close();
    }

    @Test
    void truncatedFaststartFilesFailOrAreWhole() throws IOException {
        long size = Files.size(faststart);
        List<Long> offsets = new ArrayList<>();
        for (double f : new double[] {0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99}) {
            offsets.add((long) (size * f));
        }
        offsets.add(size - 1);
        int corrupt = 0;
        for (long offset : offsets) {
            Outcome o = decode(truncate(faststart, offset));
            if (o.error == null) {
                assertEquals(48, o.frames, "a truncation at " + offset + " of " + size + " decoded silently short");
            } else {
                assertTrue(DAMAGE.contains(o.error.code()), offset + ": " + o.error.oneLine());
                corrupt += o.error.code() == ErrorCode.CORRUPT_STREAM ? 1 : 0;
            }
        }
        // The index is at the front, so most cuts fall in the media data: those are corrupt streams.
        assertTrue(corrupt >= 8, corrupt + " of " + offsets.size() + " truncations reported as CORRUPT_STREAM");
    }

    @Test
    void truncatedMoovAtEndFilesAreUnreadable() throws IOException {
        long size = Files.size(moovAtEnd);
        for (long offset : new long[] {size / 10, size / 2, size * 9 / 10}) {
            Outcome o = decode(truncate(moovAtEnd, offset));
            assertEquals(ErrorCode.INPUT_UNREADABLE, o.error == null ? null : o.error.code(),
                    "cut at " + offset + ": " + o);
        }
        // The last byte belongs to the index's trailing metadata (the encoder tag): FFmpeg reads the
        // index regardless, and the media data is all there.
        Outcome lastByte = decode(truncate(moovAtEnd, size - 1));
        assertTrue(lastByte.error == null ? lastByte.frames == 48 : DAMAGE.contains(lastByte.error.code()),
                lastByte.toString());
    }

    @Test
    void cutExactlyBetweenPacketsIsCaughtByTheDeclaredFrameCount() throws IOException {
        // At a packet boundary the demuxer just sees the end of file; only the count can tell.
        List<long[]> packets = FfmpegCli.videoPackets(videoOnly);
        assertEquals(48, packets.size());
        long[] p = packets.get(30);
        Outcome o = decode(truncate(videoOnly, p[0] + p[1]));
        assertEquals(ErrorCode.CORRUPT_STREAM, o.error == null ? null : o.error.code(), o.toString());
    }

    @Test
    void damagedVideoPacketsAreCorruptStreams() throws IOException {
        List<long[]> packets = FfmpegCli.videoPackets(videoOnly);
        byte[] original = Files.readAllBytes(videoOnly);
        Random random = new Random(3);
        for (int index : new int[] {0, 12, 24}) {
            long[] p = packets.get(index);
            byte[] damaged = original.clone();
            // H.264 has no checksums: a few junk bytes can decode "validly" to a wrong picture that no
            // decoder can tell from the real one. Junk over half a packet reliably breaks the syntax.
            for (long i = p[0] + p[1] / 2; i < p[0] + p[1]; i++) {
                damaged[(int) i] = (byte) random.nextInt(256);
            }
            Path file = Files.write(dir.resolve("damaged-" + index + ".mp4"), damaged);
            // Repeated: with decoder threads, whether concealed damage was flagged depended on timing.
            for (int attempt = 0; attempt < 4; attempt++) {
                Outcome o = decode(file);
                assertEquals(ErrorCode.CORRUPT_STREAM, o.error == null ? null : o.error.code(),
                        "packet " + index + ", attempt " + attempt + ": " + o);
            }
        }
    }

    @Test
    void aFailedDecoderStaysFailed() throws IOException {
        long[] p = FfmpegCli.videoPackets(videoOnly).get(20);
        MediaInfo info = MediaProbe.probe(truncate(videoOnly, p[0] + 5), null);
        try (VideoDecoder decoder = VideoDecoder.open(info, pool)) {
            EngineError e = assertThrows(EngineError.class, () -> {
                while (true) {
                    try (DecodedFrame f = decoder.next()) {
                        if (f == null) {
                            fail("reached the end of a truncated file");
                        }
                    }
                }
            });
            assertEquals(ErrorCode.CORRUPT_STREAM, e.code());
            assertThrows(IllegalStateException.class, decoder::next);
        }
    }

    private Path truncate(Path source, long length) throws IOException {
        byte[] all = Files.readAllBytes(source);
        byte[] cut = new byte[(int) length];
        System.arraycopy(all, 0, cut, 0, cut.length);
        return Files.write(dir.resolve("cut-" + length + "-" + source.getFileName()), cut);
    }

    private Outcome decode(Path file) {
        long frames = 0;
        try (VideoDecoder decoder = VideoDecoder.open(MediaProbe.probe(file, null), pool)) {
            while (true) {
                try (DecodedFrame f = decoder.next()) {
                    if (f == null) {
                        return new Outcome(frames, null);
                    }
                    frames++;
                }
            }
        } catch (EngineError e) {
            return new Outcome(frames, e);
        }
    }

    private record Outcome(long frames, EngineError error) {
        @Override
        public String toString() {
            return error == null ? frames + " frames, no error" : frames + " frames, then " + error.oneLine();
        }
    }
}
