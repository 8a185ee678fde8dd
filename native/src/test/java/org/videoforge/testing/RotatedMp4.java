package org.videoforge.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Phone video: an MP4 whose track header carries a 90-degree display matrix. Written by patching
 * the matrix of the first "tkhd" box, since the ffmpeg 5.1 CLI cannot set one.
 */
public final class RotatedMp4 {
    /** {a b u, c d v, x y w}: a,b,c,d,x,y in 16.16, u,v,w in 2.30 -- a 90-degree turn, as FFmpeg reads it: -90. */
    private static final int[] ROTATE_90 = {0, 0x10000, 0, -0x10000, 0, 0, 0, 0, 0x40000000};

    private RotatedMp4() {
    }

    /** Writes {@code mp4} with its first track turned by 90 degrees to {@code out}. */
    public static Path write(Path mp4, Path out) throws IOException {
        byte[] b = Files.readAllBytes(mp4);
        int tkhd = indexOf(b, "tkhd".getBytes(StandardCharsets.US_ASCII)) - 4;
        if (tkhd < 0 || b[tkhd + 8] != 0) {
            throw new IllegalArgumentException(mp4 + " has no version-0 tkhd box");
        }
        // size type ver/flags created modified track reserved duration reserved[8] layer alt volume reserved
        int matrix = tkhd + 8 + 4 + 4 + 4 + 4 + 4 + 4 + 8 + 2 + 2 + 2 + 2;
        ByteBuffer buf = ByteBuffer.wrap(b); // big-endian, as ISO-BMFF
        for (int i = 0; i < 9; i++) {
            buf.putInt(matrix + 4 * i, ROTATE_90[i]);
        }
        return Files.write(out, b);
    }

    private static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= b.length; i++) {
            for (int k = 0; k < what.length; k++) {
                if (b[i + k] != what[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
