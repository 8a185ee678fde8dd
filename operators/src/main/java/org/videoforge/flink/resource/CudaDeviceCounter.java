package org.videoforge.flink.resource;

import org.videoforge.gpu.CudaRuntime;

/** Counts GPUs through the CUDA runtime and driver ({@link CudaRuntime}'s one probe per process). */
public final class CudaDeviceCounter implements DeviceCounter {
    @Override
    public int deviceCount() {
        return CudaRuntime.deviceCount();
    }

    @Override
    public String unavailableReason() {
        return CudaRuntime.unavailableReason();
    }
}
