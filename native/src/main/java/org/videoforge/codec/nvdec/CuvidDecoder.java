package org.videoforge.codec.nvdec;

import static org.bytedeco.nvcodec.global.nvcuvid.cudaVideoChromaFormat_420;
import static org.bytedeco.nvcodec.global.nvcuvid.cudaVideoCreate_PreferCUVID;
import static org.bytedeco.nvcodec.global.nvcuvid.cudaVideoDeinterlaceMode_Weave;
import static org.bytedeco.nvcodec.global.nvcuvid.cudaVideoSurfaceFormat_NV12;
import static org.bytedeco.nvcodec.global.nvcuvid.cudaVideoSurfaceFormat_P016;
import static org.bytedeco.nvcodec.global.nvcuvid.cuvidCreateDecoder;
import static org.bytedeco.nvcodec.global.nvcuvid.cuvidDecodePicture;
import static org.bytedeco.nvcodec.global.nvcuvid.cuvidDestroyDecoder;
import static org.bytedeco.nvcodec.global.nvcuvid.cuvidGetDecodeStatus;
import static org.bytedeco.nvcodec.global.nvcuvid.cuvidMapVideoFrame64;
import static org.bytedeco.nvcodec.global.nvcuvid.cuvidUnmapVideoFrame64;

import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.nvcodec.nvcuvid.CUVIDDECODECREATEINFO;
import org.bytedeco.nvcodec.nvcuvid.CUVIDEOFORMAT;
import org.bytedeco.nvcodec.nvcuvid.CUVIDGETDECODESTATUS;
import org.bytedeco.nvcodec.nvcuvid.CUVIDPARSERDISPINFO;
import org.bytedeco.nvcodec.nvcuvid.CUVIDPICPARAMS;
import org.bytedeco.nvcodec.nvcuvid.CUVIDPROCPARAMS;
import org.bytedeco.nvcodec.nvcuvid.CUvideodecoder;
import org.videoforge.error.ErrorCode;

/**
 * One NVDEC decoder (CUvideodecoder) for one sequence format, and the small native structs its
 * per-picture calls reuse. It outputs whole coded-size surfaces: target size = coded size and no
 * display area, so NVDEC's post-processing neither scales nor crops (the Video Codec SDK's
 * NvDecoder default); the display rectangle is cut out when the surface is copied. The CUDA
 * context must be current for every call.
 */
final class CuvidDecoder implements AutoCloseable {
    /** Post-processing output surfaces (the SDK's choice); a surface is unmapped right after its copy. */
    private static final int OUTPUT_SURFACES = 2;

    final int codedWidth;
    final int codedHeight;
    final int displayLeft;
    final int displayTop;
    final int displayRight;
    final int displayBottom;
    final int bitDepthMinus8;
    final int decodeSurfaces;

    private CUvideodecoder handle;
    private final CUVIDPROCPARAMS processing = zeroed(new CUVIDPROCPARAMS());
    private final CUVIDGETDECODESTATUS status = zeroed(new CUVIDGETDECODESTATUS());
    private final LongPointer mappedSurface = new LongPointer(1);
    private final IntPointer mappedPitch = new IntPointer(1);

    private CuvidDecoder(CUVIDEOFORMAT f, int bitDepthMinus8, int decodeSurfaces) {
        this.codedWidth = f.coded_width();
        this.codedHeight = f.coded_height();
        this.displayLeft = f.display_area_left();
        this.displayTop = f.display_area_top();
        this.displayRight = f.display_area_right();
        this.displayBottom = f.display_area_bottom();
        this.bitDepthMinus8 = bitDepthMinus8;
        this.decodeSurfaces = decodeSurfaces;
    }

    /**
     * cuvidCreateDecoder for the sequence {@code f} (4:2:0, checked by the caller).
     *
     * @throws org.videoforge.error.EngineError VRAM_EXHAUSTED, UNSUPPORTED_CODEC (NVDEC refuses
     *         the size or format) or DEVICE_UNAVAILABLE
     */
    static CuvidDecoder create(int cudaCodec, CUVIDEOFORMAT f, int bitDepthMinus8, int surfaces, String source) {
        CuvidDecoder d = new CuvidDecoder(f, bitDepthMinus8, surfaces);
        try (CUVIDDECODECREATEINFO info = zeroed(new CUVIDDECODECREATEINFO())) {
            info.ulWidth(d.codedWidth)
                    .ulHeight(d.codedHeight)
                    .ulNumDecodeSurfaces(surfaces)
                    .CodecType(cudaCodec)
                    .ChromaFormat(cudaVideoChromaFormat_420)
                    .ulCreationFlags(cudaVideoCreate_PreferCUVID)
                    .bitDepthMinus8(bitDepthMinus8)
                    .ulMaxWidth(d.codedWidth)
                    .ulMaxHeight(d.codedHeight)
                    .OutputFormat(bitDepthMinus8 > 0 ? cudaVideoSurfaceFormat_P016 : cudaVideoSurfaceFormat_NV12)
                    .DeinterlaceMode(cudaVideoDeinterlaceMode_Weave)
                    .ulTargetWidth(d.codedWidth)
                    .ulTargetHeight(d.codedHeight)
                    .ulNumOutputSurfaces(OUTPUT_SURFACES);
            CUvideodecoder created = new CUvideodecoder();
            CudaResults.checkCreate(cuvidCreateDecoder(created, info), ErrorCode.DEVICE_UNAVAILABLE,
                    source + ": cuvidCreateDecoder(" + d.codedWidth + "x" + d.codedHeight + ", "
                            + (8 + bitDepthMinus8) + "-bit, " + surfaces + " surfaces) failed");
            d.handle = created;
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** Whether a repeated sequence header {@code f} can keep using this decoder. */
    boolean accepts(CUVIDEOFORMAT f, int bitDepthMinus8, int surfacesNeeded) {
        return f.coded_width() == codedWidth && f.coded_height() == codedHeight
                && f.display_area_left() == displayLeft && f.display_area_top() == displayTop
                && f.display_area_right() == displayRight && f.display_area_bottom() == displayBottom
                && bitDepthMinus8 == this.bitDepthMinus8 && surfacesNeeded <= decodeSurfaces;
    }

    /** Submits one picture (cuvidDecodePicture); returns the CUresult. */
    int decode(CUVIDPICPARAMS picture) {
        return cuvidDecodePicture(handle, picture);
    }

    /**
     * Maps a displayed picture (progressive output: weave) for reading on {@code stream};
     * returns the CUresult, and on success {@link #mappedSurface()} / {@link #mappedPitch()}.
     */
    int map(CUVIDPARSERDISPINFO info, CUstream_st stream) {
        Pointer.memset(processing, 0, processing.sizeof());
        processing.progressive_frame(info.progressive_frame())
                .second_field(info.repeat_first_field() + 1)
                .top_field_first(info.top_field_first())
                .unpaired_field(info.repeat_first_field() < 0 ? 1 : 0)
                .output_stream(stream);
        return cuvidMapVideoFrame64(handle, info.picture_index(), mappedSurface, mappedPitch, processing);
    }

    long mappedSurface() {
        return mappedSurface.get();
    }

    long mappedPitch() {
        return Integer.toUnsignedLong(mappedPitch.get());
    }

    int unmap(long surface) {
        return cuvidUnmapVideoFrame64(handle, surface);
    }

    /** cuvidDecodeStatus_* of a decoded picture, or -1 when the driver cannot say. */
    int decodeStatus(int pictureIndex) {
        Pointer.memset(status, 0, status.sizeof());
        return cuvidGetDecodeStatus(handle, pictureIndex, status) == 0 ? status.decodeStatus() : -1;
    }

    static <T extends Pointer> T zeroed(T struct) {
        Pointer.memset(struct, 0, struct.sizeof());
        return struct;
    }

    @Override
    public void close() {
        try {
            if (handle != null) {
                cuvidDestroyDecoder(handle);
            }
        } finally {
            handle = null;
            processing.close();
            status.close();
            mappedSurface.close();
            mappedPitch.close();
        }
    }
}
