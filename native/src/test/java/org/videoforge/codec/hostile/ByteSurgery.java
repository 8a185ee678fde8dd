package org.videoforge.codec.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Finding the parts of a media file worth damaging: ISO-BMFF boxes and Annex B NAL units. */
final class ByteSurgery {
    private ByteSurgery() {
    }

    /** The offset of the first box of type {@code fourcc} (its size field), or -1. A byte search: fine for our own clips. */
    static int box(byte[] file, String fourcc) {
        byte[] type = fourcc.getBytes(StandardCharsets.US_ASCII);
        for (int i = 4; i + 4 <= file.length; i++) {
            if (file[i] == type[0] && file[i + 1] == type[1] && file[i + 2] == type[2] && file[i + 3] == type[3]) {
                return i - 4;
            }
        }
        return -1;
    }

    static int boxSize(byte[] file, int boxOffset) {
        return readInt(file, boxOffset);
    }

    static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    static byte[] putInt(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) (value >>> 24);
        c[at + 1] = (byte) (value >>> 16);
        c[at + 2] = (byte) (value >>> 8);
        c[at + 3] = (byte) value;
        return c;
    }

    static byte[] putIntLittleEndian(byte[] b, int at, int value) {
        byte[] c = b.clone();
        for (int i = 0; i < 4; i++) {
            c[at + i] = (byte) (value >>> (8 * i));
        }
        return c;
    }

    static byte[] flip(byte[] b, int at, int bit) {
        byte[] c = b.clone();
        c[at] ^= (byte) (1 << bit);
        return c;
    }

    static byte[] prefix(byte[] b, int length) {
        return Arrays.copyOf(b, length);
    }

    /** A NAL unit in an Annex B byte stream: offset of its first header byte, its end, its type. */
    record Nal(int start, int end, int type) {
        int length() {
            return end - start;
        }
    }

    /** Every NAL unit after a 00 00 01 start code; H.264 type in the low 5 bits, HEVC in bits 1..6. */
    static List<Nal> nals(byte[] b, boolean hevc) {
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i + 3 < b.length; i++) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 1) {
                starts.add(i + 3);
                i += 2;
            }
        }
        List<Nal> out = new ArrayList<>();
        for (int k = 0; k < starts.size(); k++) {
            int s = starts.get(k);
            int e = k + 1 < starts.size() ? starts.get(k + 1) - 3 : b.length;
            int type = hevc ? (b[s] >> 1) & 0x3f : b[s] & 0x1f;
            out.add(new Nal(s, e, type));
        }
        return out;
    }

    /** The first NAL unit of {@code type}, or null. */
    static Nal first(List<Nal> nals, int type) {
        return nals.stream().filter(n -> n.type() == type).findFirst().orElse(null);
    }
}
