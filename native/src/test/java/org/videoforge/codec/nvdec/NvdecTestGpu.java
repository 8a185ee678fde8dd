package org.videoforge.codec.nvdec;

import static org.bytedeco.cuda.global.cudart.cuDeviceGetCount;
import static org.bytedeco.cuda.global.cudart.cuInit;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.nvcodec.global.nvcuvid;

/** Whether this machine has an NVIDIA GPU with a driver that NVDEC tests can use. */
final class NvdecTestGpu {
    private static Boolean present;
    private static String why;

    private NvdecTestGpu() {
    }

    /** Loads cudart and nvcuvid (catching the link errors of a machine without a driver), then asks for devices. */
    static synchronized boolean present() {
        if (present == null) {
            try {
                Loader.load(cudart.class);
                Loader.load(nvcuvid.class);
                int r = cuInit(0);
                int[] count = {0};
                if (r == 0) {
                    r = cuDeviceGetCount(count);
                }
                present = r == 0 && count[0] > 0;
                why = "cuInit/cuDeviceGetCount -> " + r + ", " + count[0] + " devices";
            } catch (Throwable t) {
                present = false;
                why = t.toString();
            }
        }
        return present;
    }

    /** Skips the calling test unless a GPU and NVDEC are here. */
    static void assumePresent() {
        assumeTrue(present(), () -> "no NVIDIA GPU / driver: " + why);
    }
}
