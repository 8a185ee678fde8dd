package org.videoforge.gpu;

import org.videoforge.memory.AddressPointer;

import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.cuda.global.cudart;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.memory.MemoryKind;
import org.videoforge.memory.RawAllocator;

/**
 * Device memory through cudaMalloc/cudaFree on one device, for a {@link org.videoforge.memory.BucketedBufferPool}.
 * Every cudaMalloc is counted in {@link DeviceAllocations}. A refused allocation is VRAM_EXHAUSTED
 * with the size asked for and what the device had free. Creating one touches no CUDA API.
 */
public final class CudaAllocator implements RawAllocator {
    private final int deviceIndex;

    public CudaAllocator(int deviceIndex) {
        this.deviceIndex = deviceIndex;
    }

    @Override
    public MemoryKind kind() {
        return MemoryKind.DEVICE;
    }

    @Override
    public long allocate(long bytes) {
        try (CurrentDevice d = CurrentDevice.select(deviceIndex);
             PointerPointer<?> out = new PointerPointer<>(1)) {
            int err = cudart.cudaMalloc(out, bytes);
            if (err != cudart.cudaSuccess) {
                cudart.cudaGetLastError(); // clear it: an allocation failure must not poison later checks
                ErrorCode code = err == cudart.cudaErrorMemoryAllocation ? ErrorCode.VRAM_EXHAUSTED : ErrorCode.INTERNAL;
                throw new EngineError(code, String.format("cudaMalloc of %.1f MiB on cuda:%d failed: %s; %s",
                        bytes / 1048576.0, deviceIndex, CudaErrors.describe(err), freeMemoryNote()));
            }
            DeviceAllocations.allocated(bytes);
            return out.get(0).address();
        }
    }

    @Override
    public void free(long address) {
        try (CurrentDevice d = CurrentDevice.select(deviceIndex)) {
            CudaErrors.check(cudart.cudaFree(new AddressPointer(address, 0)), "cudaFree on cuda:" + deviceIndex);
            DeviceAllocations.freed();
        }
    }

    private static String freeMemoryNote() {
        try (SizeTPointer free = new SizeTPointer(1); SizeTPointer total = new SizeTPointer(1)) {
            if (cudart.cudaMemGetInfo(free, total) == cudart.cudaSuccess) {
                return String.format("%.1f MiB free of %.1f MiB", free.get() / 1048576.0, total.get() / 1048576.0);
            }
            cudart.cudaGetLastError();
            return "free memory unknown";
        }
    }
}
