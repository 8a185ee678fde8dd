package org.videoforge.flink.resource;

import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.flink.api.common.externalresource.ExternalResourceDriver;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * Discovers the GPUs of a TaskManager for Flink's external resource framework: asked for
 * {@code amount} GPUs, it returns devices 0..amount-1 of those CUDA can see (on Kubernetes the
 * device plugin has already narrowed them to the pod's own). Fewer usable devices than configured
 * is an error: Flink logs it as a warning and the TaskManager offers no GPU information, so that a
 * misconfigured host is visible in its log instead of silently sharing one GPU between slots.
 */
public final class GpuDriver implements ExternalResourceDriver {
    private final DeviceCounter devices;

    public GpuDriver(DeviceCounter devices) {
        this.devices = devices;
    }

    @Override
    public Set<GpuInfo> retrieveResourceInfo(long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("external-resource.gpu.amount must be positive, was " + amount);
        }
        int count = devices.deviceCount();
        if (count == 0) {
            throw new EngineError(ErrorCode.DEVICE_UNAVAILABLE, "external resource gpu: " + amount
                    + " GPU(s) configured but no CUDA device is usable: " + devices.unavailableReason());
        }
        if (count < amount) {
            throw new EngineError(ErrorCode.DEVICE_UNAVAILABLE, "external resource gpu: " + amount
                    + " GPU(s) configured (external-resource.gpu.amount) but this TaskManager sees only " + count
                    + " CUDA device" + (count == 1 ? "" : "s"));
        }
        Set<GpuInfo> gpus = new LinkedHashSet<>();
        for (int i = 0; i < amount; i++) {
            gpus.add(new GpuInfo(i));
        }
        return gpus;
    }
}
