package org.videoforge.codec.nvdec;

import static org.bytedeco.nvcodec.global.nvcuvid.cudaVideoChromaFormat_420;
import static org.bytedeco.nvcodec.global.nvcuvid.cudaVideoCodec_H264;
import static org.bytedeco.nvcodec.global.nvcuvid.cudaVideoCodec_HEVC;
import static org.bytedeco.nvcodec.global.nvcuvid.cudaVideoSurfaceFormat_NV12;
import static org.bytedeco.nvcodec.global.nvcuvid.cudaVideoSurfaceFormat_P016;
import static org.bytedeco.nvcodec.global.nvcuvid.cuvidGetDecoderCaps;

import java.util.Objects;
import java.util.Optional;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.nvcodec.nvcuvid.CUVIDDECODECAPS;
import org.videoforge.codec.MediaInfo;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.VideoCodec;
import org.videoforge.frame.VideoStreamInfo;

/**
 * What the GPU's NVDEC engines can decode (cuvidGetDecoderCaps), and whether a probed input is
 * within it. Safe to call on any machine: without an NVIDIA driver nothing is usable.
 */
public final class NvdecCapabilities {
    private NvdecCapabilities() {
    }

    /** cuvidGetDecoderCaps' answer for one codec and bit depth at 4:2:0. */
    public record Caps(VideoCodec codec, int bitDepth, boolean supported, int minWidth, int minHeight,
                       int maxWidth, int maxHeight, long maxMacroblocks, int engines, int outputFormatMask) {

        /** Whether NVDEC can write {@code cudaVideoSurfaceFormat_NV12} (8-bit) surfaces. */
        public boolean outputsNv12() {
            return (outputFormatMask & (1 << cudaVideoSurfaceFormat_NV12)) != 0;
        }

        /** Whether NVDEC can write {@code cudaVideoSurfaceFormat_P016} (10/12/16-bit in 16-bit words) surfaces. */
        public boolean outputsP016() {
            return (outputFormatMask & (1 << cudaVideoSurfaceFormat_P016)) != 0;
        }

        /** Why a {@code width}x{@code height} stream cannot be decoded, or empty when it can. */
        public Optional<EngineError> refusal(int width, int height) {
            String name = codec + " " + bitDepth + "-bit 4:2:0";
            if (!supported) {
                ErrorCode code = bitDepth > 8 ? ErrorCode.UNSUPPORTED_PIXEL_FORMAT : ErrorCode.UNSUPPORTED_CODEC;
                return Optional.of(new EngineError(code, "this GPU's NVDEC cannot decode " + name));
            }
            if (!(bitDepth > 8 ? outputsP016() : outputsNv12())) {
                return Optional.of(new EngineError(ErrorCode.UNSUPPORTED_PIXEL_FORMAT, "this GPU's NVDEC cannot output "
                        + (bitDepth > 8 ? "P016" : "NV12") + " surfaces for " + name + " (output format mask 0x"
                        + Integer.toHexString(outputFormatMask) + ")"));
            }
            // NVDEC's limits are on the coded size, which rounds up to whole macroblocks / coding blocks.
            long macroblocks = (long) ((width + 15) / 16) * ((height + 15) / 16);
            if (width < minWidth || height < minHeight || width > maxWidth || height > maxHeight
                    || macroblocks > maxMacroblocks) {
                return Optional.of(new EngineError(ErrorCode.UNSUPPORTED_CODEC, "this GPU's NVDEC decodes " + name
                        + " from " + minWidth + "x" + minHeight + " to " + maxWidth + "x" + maxHeight + " (at most "
                        + maxMacroblocks + " macroblocks), not " + width + "x" + height));
            }
            return Optional.empty();
        }
    }

    /**
     * NVDEC's capabilities on the device of {@code context}; empty when they cannot be asked (no
     * driver, no libnvcuvid, no context, or the call failed).
     */
    public static Optional<Caps> query(VideoCodec codec, int bitDepth, CUctx_st context) {
        if (codec == null || context == null || context.isNull() || !NvdecRuntime.available()) {
            return Optional.empty();
        }
        try {
            return Optional.of(fetch(codec, bitDepth, context));
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }

    /**
     * Why NVDEC cannot be used on this machine at all (no NVIDIA driver, no libnvcuvid, cuInit
     * failed), for logs when falling back to the CPU decoder; empty when the driver loaded.
     */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(NvdecRuntime.unavailableReason());
    }

    /** Whether NVDEC on {@code context}'s device can decode the probed video: codec, bit depth and size. */
    public static boolean usable(MediaInfo info, CUctx_st context) {
        if (info == null) {
            return false;
        }
        VideoStreamInfo v = info.video();
        return query(v.codec(), v.pixelFormat().bitDepth(), context)
                .map(caps -> caps.refusal(v.width(), v.height()).isEmpty())
                .orElse(false);
    }

    /**
     * Throws the EngineError that says why the video cannot be decoded on this device:
     * DEVICE_UNAVAILABLE (NVDEC cannot be asked), UNSUPPORTED_CODEC or UNSUPPORTED_PIXEL_FORMAT.
     */
    static Caps requireUsable(MediaInfo info, CUctx_st context) {
        VideoStreamInfo v = info.video();
        Caps caps;
        try {
            caps = fetch(v.codec(), v.pixelFormat().bitDepth(), context);
        } catch (LinkageError e) {
            throw new EngineError(ErrorCode.DEVICE_UNAVAILABLE, "cannot ask NVDEC about " + info.path() + ": " + e, e);
        }
        Optional<EngineError> refusal = caps.refusal(v.width(), v.height());
        if (refusal.isPresent()) {
            EngineError e = refusal.get();
            throw new EngineError(e.code(), info.path() + ": " + e.getMessage());
        }
        return caps;
    }

    /** Asks the driver; DEVICE_UNAVAILABLE when it cannot answer. The context is made current for the call. */
    static Caps fetch(VideoCodec codec, int bitDepth, CUctx_st context) {
        Objects.requireNonNull(codec, "codec");
        NvdecRuntime.require("querying decoder capabilities");
        try (ContextScope scope = ContextScope.enter(context, "querying NVDEC capabilities");
             CUVIDDECODECAPS caps = new CUVIDDECODECAPS()) {
            Pointer.memset(caps, 0, caps.sizeof());
            caps.eCodecType(cudaCodecOf(codec)).eChromaFormat(cudaVideoChromaFormat_420).nBitDepthMinus8(bitDepth - 8);
            CudaResults.check(cuvidGetDecoderCaps(caps), ErrorCode.DEVICE_UNAVAILABLE,
                    "cuvidGetDecoderCaps(" + codec + ", " + bitDepth + "-bit) failed");
            return new Caps(codec, bitDepth, caps.bIsSupported() != 0,
                    Short.toUnsignedInt(caps.nMinWidth()), Short.toUnsignedInt(caps.nMinHeight()),
                    caps.nMaxWidth(), caps.nMaxHeight(), Integer.toUnsignedLong(caps.nMaxMBCount()),
                    Byte.toUnsignedInt(caps.nNumNVDECs()), Short.toUnsignedInt(caps.nOutputFormatMask()));
        }
    }

    static int cudaCodecOf(VideoCodec codec) {
        switch (codec) {
            case H264:
                return cudaVideoCodec_H264;
            case HEVC:
                return cudaVideoCodec_HEVC;
            default:
                throw new EngineError(ErrorCode.UNSUPPORTED_CODEC, "NVDEC is not wired up for " + codec);
        }
    }
}
