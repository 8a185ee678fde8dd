package org.videoforge.gpu;

import org.videoforge.memory.AddressPointer;

import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.cuda.global.cudart;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.memory.MemoryKind;
import org.videoforge.memory.RawAllocator;

/**
 * Page-locked host memory (cudaMallocHost/cudaFreeHost): the staging buffers of host<->device
 * copies, which then run asynchronously at full bus speed. Host memory, so {@link #kind()} is HOST
 * and {@link org.videoforge.memory.FrameBuffer#hostBytes()} works on it.
 */
public final class PinnedHostAllocator implements RawAllocator {
    private final int deviceIndex;

    /** Pinned memory registered while {@code deviceIndex} is current (its context maps it). */
    public PinnedHostAllocator(int deviceIndex) {
        this.deviceIndex = deviceIndex;
    }

    @Override
    public MemoryKind kind() {
        return MemoryKind.HOST;
    }

    @Override
    public long allocate(long bytes) {
        try (CurrentDevice d = CurrentDevice.select(deviceIndex);
             PointerPointer<?> out = new PointerPointer<>(1)) {
            int err = cudart.cudaMallocHost(out, bytes);
            if (err != cudart.cudaSuccess) {
                cudart.cudaGetLastError();
                throw new EngineError(ErrorCode.INTERNAL, String.format("cudaMallocHost of %.1f MiB failed: %s",
                        bytes / 1048576.0, CudaErrors.describe(err)));
            }
            return out.get(0).address();
        }
    }

    @Override
    public void free(long address) {
        try (CurrentDevice d = CurrentDevice.select(deviceIndex)) {
            CudaErrors.check(cudart.cudaFreeHost(new AddressPointer(address, 0)), "cudaFreeHost");
        }
    }
}
