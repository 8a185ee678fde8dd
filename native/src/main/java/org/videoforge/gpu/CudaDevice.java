package org.videoforge.gpu;

import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.videoforge.error.ErrorCode;

/**
 * A counted reference to one CUDA device and its primary context, shared by every stage and
 * slot of this process that works on that device. The first {@link #acquire} initialises the
 * runtime's primary context (cudaSetDevice + cudaFree(NULL), with the {@link HostWait} flag) and
 * retains it through the driver
 * API, so NVDEC and NVRTC modules (driver API users) and the runtime share one context; the
 * last {@link #close} releases that retain. Each {@code acquire} returns its own handle: close
 * it exactly once (closing again is harmless).
 *
 * <p>CUDA's current device is per thread and Flink calls a stage's methods from its task thread,
 * not the thread that opened it: call {@link #bindToCurrentThread()} before CUDA work on a thread.
 */
public final class CudaDevice implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CudaDevice.class);
    private static final Map<Integer, Shared> OPEN = new HashMap<>();

    private final Shared shared;
    private boolean closed;

    private CudaDevice(Shared shared) {
        this.shared = shared;
    }

    /**
     * A handle on device {@code index}. DEVICE_UNAVAILABLE if there is no usable CUDA device of that
     * index (the message names how many there are).
     */
    public static CudaDevice acquire(int index) {
        CudaRuntime.requireDevice(index);
        synchronized (OPEN) {
            Shared s = OPEN.get(index);
            if (s == null) {
                s = Shared.open(index);
                OPEN.put(index, s);
            }
            s.references++;
            return new CudaDevice(s);
        }
    }

    public int index() {
        return shared.index;
    }

    /** The device's name, e.g. "NVIDIA H100 80GB HBM3". */
    public String name() {
        return shared.name;
    }

    /** major * 10 + minor, e.g. 90 for an H100. */
    public int computeCapability() {
        return shared.computeCapability;
    }

    public long totalMemory() {
        return shared.totalMemory;
    }

    /** Device memory free right now, as the driver sees it (all processes). */
    public long freeMemory() {
        bindToCurrentThread();
        try (SizeTPointer free = new SizeTPointer(1); SizeTPointer total = new SizeTPointer(1)) {
            CudaErrors.check(cudart.cudaMemGetInfo(free, total), "cudaMemGetInfo on cuda:" + shared.index);
            return free.get();
        }
    }

    /** The primary context, retained for as long as any handle is open; do not release it. */
    public CUctx_st primaryContext() {
        return shared.context;
    }

    /** Makes this device (and its primary context) current on the calling thread. */
    public void bindToCurrentThread() {
        checkOpen();
        shared.bind();
    }

    @Override
    public String toString() {
        return "cuda:" + shared.index + " " + shared.name + " (sm_" + shared.computeCapability + ", "
                + shared.totalMemory / (1 << 20) + " MiB)";
    }

    @Override
    public void close() {
        synchronized (OPEN) {
            if (closed) {
                return;
            }
            closed = true;
            if (--shared.references == 0) {
                OPEN.remove(shared.index);
                shared.release();
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("cuda:" + shared.index + " handle used after close");
        }
    }

    /** The per-device state behind all handles; guarded by OPEN. */
    private static final class Shared {
        final int index;
        final int driverOrdinal;
        final CUctx_st context;
        final String name;
        final int computeCapability;
        final long totalMemory;
        int references;

        private Shared(int index, int driverOrdinal, CUctx_st context, String name, int computeCapability,
                       long totalMemory) {
            this.index = index;
            this.driverOrdinal = driverOrdinal;
            this.context = context;
            this.name = name;
            this.computeCapability = computeCapability;
            this.totalMemory = totalMemory;
        }

        static Shared open(int index) {
            String where = "cuda:" + index;
            CudaErrors.check(cudart.cudaSetDevice(index), ErrorCode.DEVICE_UNAVAILABLE, "cudaSetDevice(" + index + ")");
            HostWait wait = HostWait.configured();
            int err = cudart.cudaSetDeviceFlags(wait.flag());
            if (err != cudart.cudaSuccess) {
                // The context exists already (another library of this process made it first): it keeps its flags.
                LOG.warn("{}: host threads wait for the GPU as the existing context says, not {}: {}", where, wait,
                        CudaErrors.describe(err));
            }
            CudaErrors.check(cudart.cudaFree(null), ErrorCode.DEVICE_UNAVAILABLE,
                    "creating the primary context of " + where + " (cudaFree(NULL))");
            int[] flags = new int[1];
            CudaErrors.check(cudart.cudaGetDeviceFlags(flags), "cudaGetDeviceFlags on " + where);
            LOG.info("{}: host threads wait for the GPU with scheduling flag {} (asked: {})", where,
                    flags[0] & cudart.cudaDeviceScheduleMask, wait);
            String name;
            int cc;
            long total;
            try (cudaDeviceProp p = new cudaDeviceProp()) {
                CudaErrors.check(cudart.cudaGetDeviceProperties(p, index), "cudaGetDeviceProperties(" + index + ")");
                name = p.name().getString();
                cc = p.major() * 10 + p.minor();
                total = p.totalGlobalMem();
            }
            CudaErrors.checkDriver(cudart.cuInit(0), "cuInit");
            int[] ordinal = new int[1];
            CudaErrors.checkDriver(cudart.cuDeviceGet(ordinal, index), "cuDeviceGet(" + index + ")");
            CUctx_st ctx = new CUctx_st();
            CudaErrors.checkDriver(cudart.cuDevicePrimaryCtxRetain(ctx, ordinal[0]),
                    "cuDevicePrimaryCtxRetain(" + where + ")");
            return new Shared(index, ordinal[0], ctx, name, cc, total);
        }

        void bind() {
            CudaErrors.check(cudart.cudaSetDevice(index), ErrorCode.DEVICE_UNAVAILABLE, "cudaSetDevice(" + index + ")");
            // cudaSetDevice makes the primary context current for the runtime; driver-API users
            // (cuLaunchKernel, cuModuleLoadData, NVDEC) need it current as the driver context too.
            CudaErrors.checkDriver(cudart.cuCtxSetCurrent(context), "cuCtxSetCurrent(cuda:" + index + ")");
        }

        void release() {
            // The runtime keeps its own reference to the primary context, so memory allocated
            // through it stays valid; this drops only the driver-API retain taken in open().
            CudaErrors.checkDriver(cudart.cuDevicePrimaryCtxRelease(driverOrdinal),
                    "cuDevicePrimaryCtxRelease(cuda:" + index + ")");
        }
    }
}
