package org.videoforge.gpu;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.cuda.global.cudart;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * Whether this JVM can use CUDA at all: the CUDA runtime JNI bindings load (which needs the
 * driver's {@code libcuda} and the toolkit's {@code libcudart}) and the driver reports at least
 * one device. Probed once and cached; safe to call on a CPU-only machine, where it simply says
 * no. Nothing else in this package touches {@code cudart} before this has said yes.
 */
public final class CudaRuntime {
    private static final Probe PROBE = Probe.run();

    private CudaRuntime() {
    }

    /** True if the CUDA runtime loads and sees at least one device. Never throws. */
    public static boolean available() {
        return PROBE.deviceCount > 0;
    }

    /** Number of CUDA devices; 0 when the runtime is unavailable. */
    public static int deviceCount() {
        return PROBE.deviceCount;
    }

    /** Why {@link #available()} is false ("" when it is true). */
    public static String unavailableReason() {
        return PROBE.reason;
    }

    /** Throws DEVICE_UNAVAILABLE unless {@code index} names a device this process can use. */
    public static void requireDevice(int index) {
        if (!available()) {
            throw new EngineError(ErrorCode.DEVICE_UNAVAILABLE,
                    "CUDA device " + index + " requested but no CUDA device is usable: " + unavailableReason());
        }
        if (index < 0 || index >= deviceCount()) {
            throw new EngineError(ErrorCode.DEVICE_UNAVAILABLE, "CUDA device index " + index
                    + " is out of range: this machine has " + deviceCount() + " CUDA device"
                    + (deviceCount() == 1 ? "" : "s") + " (valid: 0.." + (deviceCount() - 1) + ")");
        }
    }

    /** JavaCPP wraps the dynamic linker's message ("libcuda.so.1: cannot open ...") in its own. */
    private static String rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() != null ? c.getMessage() : c.toString();
    }

    private static final class Probe {
        final int deviceCount;
        final String reason;

        Probe(int deviceCount, String reason) {
            this.deviceCount = deviceCount;
            this.reason = reason;
        }

        static Probe run() {
            try {
                Loader.load(cudart.class);
            } catch (Throwable t) {
                // UnsatisfiedLinkError (no libcudart/libcuda), NoClassDefFoundError, or anything else
                // the loader throws: all mean "no CUDA here", never a crash.
                return new Probe(0, "the CUDA runtime libraries cannot be loaded (" + rootCause(t) + ")");
            }
            try {
                int[] count = new int[1];
                int err = cudart.cudaGetDeviceCount(count);
                if (err != cudart.cudaSuccess) {
                    return new Probe(0, "cudaGetDeviceCount failed: " + CudaErrors.describe(err));
                }
                if (count[0] <= 0) {
                    return new Probe(0, "the CUDA driver reports no devices");
                }
                return new Probe(count[0], "");
            } catch (Throwable t) {
                return new Probe(0, "the CUDA runtime failed to start (" + t + ")");
            }
        }
    }
}
