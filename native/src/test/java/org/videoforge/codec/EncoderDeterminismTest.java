package org.videoforge.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoCodec;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.testing.SyntheticClips;

/**
 * The same frames with the same settings give the same bytes, every time: what makes a segment
 * redone after a failure identical to the first attempt (see X264Cpu). Before the AVX-512 cap,
 * 12 encodes of these frames on an AVX-512 machine gave 5 to 9 different files.
 */
class EncoderDeterminismTest {
    @TempDir
    Path dir;

    @Test
    void repeatedEncodesOfTheSameFramesAreIdentical() throws Exception {
        Set<String> digests = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            digests.add(md5(encode(dir.resolve("run" + i + ".mp4"))));
        }
        assertEquals(1, digests.size(), "distinct outputs of one input: " + digests);
    }

    private static Path encode(Path file) {
        int w = 192;
        int h = 128;
        EncoderSettings s = EncoderSettings.builder(VideoCodec.H264, w, h).pixelFormat(PixelFormat.NV12)
                .color(SyntheticClips.H264_COLOR).frameRate(new Rational(16, 1)).timeBase(new Rational(1, 16))
                .threads(1).build();
        try (BucketedBufferPool pool = BucketedBufferPool.host("determinism");
             FrameBuffer frame = pool.acquire(PixelFormat.NV12.frameBytes(w, h));
             VideoWriter writer = VideoWriter.open(file, "mp4", s, null)) {
            for (int i = 0; i < 32; i++) {
                SyntheticClips.fillFrame(frame.hostBytes(), PixelFormat.NV12, w, h, i);
                writer.write(frame, i);
            }
            writer.finish();
        }
        return file;
    }

    private static String md5(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
    }
}
