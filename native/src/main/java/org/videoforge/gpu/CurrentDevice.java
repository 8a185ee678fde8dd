package org.videoforge.gpu;

import org.bytedeco.cuda.global.cudart;
import org.videoforge.error.ErrorCode;

/**
 * Makes a device current on the calling thread for the length of a try block and restores the
 * previous one, for allocators that may be called from a thread bound to another device.
 */
final class CurrentDevice implements AutoCloseable {
    private final int previous;
    private final int selected;

    private CurrentDevice(int previous, int selected) {
        this.previous = previous;
        this.selected = selected;
    }

    static CurrentDevice select(int index) {
        int[] current = new int[1];
        CudaErrors.check(cudart.cudaGetDevice(current), "cudaGetDevice");
        if (current[0] != index) {
            CudaErrors.check(cudart.cudaSetDevice(index), ErrorCode.DEVICE_UNAVAILABLE, "cudaSetDevice(" + index + ")");
        }
        return new CurrentDevice(current[0], index);
    }

    @Override
    public void close() {
        if (previous != selected) {
            CudaErrors.check(cudart.cudaSetDevice(previous), "cudaSetDevice(" + previous + ") (restore)");
        }
    }
}
