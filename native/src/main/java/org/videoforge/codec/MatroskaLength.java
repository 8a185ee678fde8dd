package org.videoforge.codec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * Matroska has no frame count, and FFmpeg reads a file cut between two blocks as a clean end.
 * But the Segment element declares its size once the muxer finishes (FFmpeg, mkvmerge): a file
 * shorter than EBML header + Segment is truncated. A live-written file (size "unknown") proves nothing.
 */
final class MatroskaLength {
    private static final long EBML_ID = 0x1A45DFA3L;
    private static final long SEGMENT_ID = 0x18538067L;

    private MatroskaLength() {
    }

    /** Throws CORRUPT_STREAM when {@code file} ends before its Segment's declared end. */
    static void checkComplete(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(64);
            Cursor c = new Cursor(head);
            if (c.id() != EBML_ID) {
                return;
            }
            long headerSize = c.size();
            if (headerSize < 0 || c.pos + headerSize > head.length - 12) {
                return;
            }
            c.pos += (int) headerSize;
            if (c.id() != SEGMENT_ID) {
                return;
            }
            long segmentSize = c.size();
            long actual = Files.size(file);
            if (segmentSize >= 0 && c.pos + segmentSize > actual) {
                throw new EngineError(ErrorCode.CORRUPT_STREAM, file + ": the Matroska segment declares "
                        + (c.pos + segmentSize) + " bytes but the file has " + actual + ": it is truncated");
            }
        } catch (IOException e) {
            throw new EngineError(ErrorCode.INPUT_UNREADABLE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** EBML variable-length integers: the leading zero bits of the first byte give the length. */
    private static final class Cursor {
        private final byte[] b;
        private int pos;

        Cursor(byte[] b) {
            this.b = b;
        }

        /** An element ID, marker bits kept; -1 when malformed. */
        long id() {
            return read(false);
        }

        /** An element size, marker bit removed; -1 for "unknown" (all ones) or malformed. */
        long size() {
            return read(true);
        }

        private long read(boolean stripMarker) {
            if (pos >= b.length) {
                return -1;
            }
            int first = b[pos] & 0xff;
            int length = Integer.numberOfLeadingZeros(first) - 23;
            if (first == 0 || pos + length > b.length) {
                return -1;
            }
            long value = stripMarker ? first & (0xff >> length) : first;
            boolean allOnes = value == (0xff >> length);
            for (int i = 1; i < length; i++) {
                int next = b[pos + i] & 0xff;
                allOnes &= next == 0xff;
                value = (value << 8) | next;
            }
            pos += length;
            return stripMarker && allOnes ? -1 : value;
        }
    }
}
