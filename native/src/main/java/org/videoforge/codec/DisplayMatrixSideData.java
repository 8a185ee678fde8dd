package org.videoforge.codec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_new;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.memory.AddressPointer;

/** A stream's display matrix (rotation / flip of phone video) in its codec parameters' side data. */
final class DisplayMatrixSideData {
    private static final int BYTES = 9 * Integer.BYTES;

    private DisplayMatrixSideData() {
    }

    /** The 9 entries, or null when the stream has none (or a malformed one). */
    static int[] read(AVCodecParameters par) {
        AVPacketSideData sd = av_packet_side_data_get(par.coded_side_data(), par.nb_coded_side_data(),
                AV_PKT_DATA_DISPLAYMATRIX);
        if (sd == null || sd.isNull() || sd.size() < BYTES || sd.data() == null) {
            return null;
        }
        int[] m = new int[9];
        new IntPointer(sd.data()).get(m);
        return m;
    }

    /** Adds {@code matrix} to {@code par}, which owns the copy. */
    static void write(AVCodecParameters par, int[] matrix) {
        // av_packet_side_data_new grows par's array in place: it takes the fields' addresses.
        long base = par.address();
        PointerPointer<?> array = new PointerPointer<>(new AddressPointer(
                base + Loader.offsetof(AVCodecParameters.class, "coded_side_data"), Long.BYTES));
        IntPointer count = new IntPointer(new AddressPointer(
                base + Loader.offsetof(AVCodecParameters.class, "nb_coded_side_data"), Integer.BYTES));
        AVPacketSideData sd = av_packet_side_data_new(array, count, AV_PKT_DATA_DISPLAYMATRIX, BYTES, 0);
        if (sd == null || sd.isNull()) {
            throw new EngineError(ErrorCode.INTERNAL, "out of memory adding the display matrix");
        }
        new IntPointer(sd.data()).put(matrix);
    }
}
