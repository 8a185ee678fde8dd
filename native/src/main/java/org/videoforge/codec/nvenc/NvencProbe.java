package org.videoforge.codec.nvenc;

import static org.bytedeco.nvcodec.global.nvencodeapi.NVENCAPI_VERSION;
import static org.bytedeco.nvcodec.global.nvencodeapi.NV_ENCODE_API_FUNCTION_LIST_VER;
import static org.bytedeco.nvcodec.global.nvencodeapi.NV_ENC_DEVICE_TYPE_CUDA;
import static org.bytedeco.nvcodec.global.nvencodeapi.NV_ENC_ERR_NO_ENCODE_DEVICE;
import static org.bytedeco.nvcodec.global.nvencodeapi.NV_ENC_ERR_UNSUPPORTED_DEVICE;
import static org.bytedeco.nvcodec.global.nvencodeapi.NV_ENC_OPEN_ENCODE_SESSION_EX_PARAMS_VER;
import static org.bytedeco.nvcodec.global.nvencodeapi.NV_ENC_SUCCESS;
import static org.bytedeco.nvcodec.global.nvencodeapi.NvEncodeAPICreateInstance;
import static org.bytedeco.nvcodec.global.nvencodeapi.NvEncodeAPIGetMaxSupportedVersion;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.nvcodec.global.nvencodeapi;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENCODE_API_FUNCTION_LIST;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_OPEN_ENCODE_SESSION_EX_PARAMS;
import org.videoforge.gpu.CudaDevice;
import org.videoforge.gpu.CudaRuntime;

/**
 * Asks the driver, through bytedeco nvcodec's NVENC API, whether GPU {@code index} has a video
 * encoder: loads libnvidia-encode, creates the API's function table, and opens (then at once
 * destroys) an encode session on the device's primary CUDA context. Never throws: every way of
 * not having NVENC (no GPU, no encode library, a GPU without encoder engines such as the H100,
 * a driver too old for the API) comes back as an unavailable {@link NvencStatus} saying which.
 */
public final class NvencProbe {
    private NvencProbe() {
    }

    public static NvencStatus probe(int index) {
        if (!CudaRuntime.available()) {
            return new NvencStatus(false, "cuda:" + index, "no CUDA device: " + CudaRuntime.unavailableReason());
        }
        try (CudaDevice device = CudaDevice.acquire(index)) {
            String gpu = device.name() + " (cuda:" + index + ")";
            try {
                Loader.load(nvencodeapi.class);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                return new NvencStatus(false, gpu, "the driver's NVENC library (libnvidia-encode) cannot be loaded: "
                        + e.getMessage());
            }
            int[] max = {0};
            int r = NvEncodeAPIGetMaxSupportedVersion(max);
            if (r != NV_ENC_SUCCESS) {
                return new NvencStatus(false, gpu, "NvEncodeAPIGetMaxSupportedVersion returned " + r);
            }
            int needed = (nvencodeapi.NVENCAPI_MAJOR_VERSION << 4) | nvencodeapi.NVENCAPI_MINOR_VERSION;
            if (max[0] < needed) {
                return new NvencStatus(false, gpu, "the driver supports NVENC API " + version(max[0])
                        + ", this build needs " + version(needed));
            }
            return openSession(device, gpu);
        } catch (RuntimeException e) {
            return new NvencStatus(false, "cuda:" + index, "probe failed: " + e.getMessage());
        }
    }

    private static NvencStatus openSession(CudaDevice device, String gpu) {
        try (NV_ENCODE_API_FUNCTION_LIST api = new NV_ENCODE_API_FUNCTION_LIST();
             NV_ENC_OPEN_ENCODE_SESSION_EX_PARAMS params = new NV_ENC_OPEN_ENCODE_SESSION_EX_PARAMS();
             PointerPointer<?> encoder = new PointerPointer<>(1)) {
            api.version(NV_ENCODE_API_FUNCTION_LIST_VER);
            int r = NvEncodeAPICreateInstance(api);
            if (r != NV_ENC_SUCCESS) {
                return new NvencStatus(false, gpu, "NvEncodeAPICreateInstance returned " + r);
            }
            device.bindToCurrentThread();
            params.version(NV_ENC_OPEN_ENCODE_SESSION_EX_PARAMS_VER)
                    .deviceType(NV_ENC_DEVICE_TYPE_CUDA)
                    .device(device.primaryContext())
                    .apiVersion(NVENCAPI_VERSION);
            r = api.nvEncOpenEncodeSessionEx().call(params, encoder);
            if (r != NV_ENC_SUCCESS) {
                String why = r == NV_ENC_ERR_NO_ENCODE_DEVICE ? "NV_ENC_ERR_NO_ENCODE_DEVICE"
                        : r == NV_ENC_ERR_UNSUPPORTED_DEVICE ? "NV_ENC_ERR_UNSUPPORTED_DEVICE" : "NVENC status " + r;
                return new NvencStatus(false, gpu, "opening an encode session failed: " + why);
            }
            api.nvEncDestroyEncoder().call(encoder.get(0));
            return new NvencStatus(true, gpu, "encode session opened, NVENC API " + version(
                    (nvencodeapi.NVENCAPI_MAJOR_VERSION << 4) | nvencodeapi.NVENCAPI_MINOR_VERSION));
        }
    }

    private static String version(int packed) {
        return (packed >> 4) + "." + (packed & 0xf);
    }
}
