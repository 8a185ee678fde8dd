package org.videoforge.flink.pipeline;

import java.util.Set;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.videoforge.device.FrameDevice;
import org.videoforge.device.CudaFrameDevice;
import org.videoforge.device.HostFrameDevice;
import org.videoforge.gpu.DevicePools;
import org.videoforge.inference.BackendKind;
import org.videoforge.memory.SharedPools;

/**
 * Opens the {@link FrameDevice} a stage works on. On a cluster the GPU index comes from Flink's
 * external resource {@code gpu} (one GPU per slot); locally it is {@code -d}.
 */
public final class FrameDevices {
    /** Flink external resource name of GPUs (flink-conf: external-resources: gpu). */
    public static final String GPU_RESOURCE = "gpu";

    private FrameDevices() {
    }

    public static FrameDevice open(PipelineConfig config, int gpuIndex) {
        if (config.backend() == BackendKind.CPU) {
            return new HostFrameDevice();
        }
        return CudaFrameDevice.open(gpuIndex, config.vramLimitBytes());
    }

    /** The key of the shared pool {@link #open} leases from: "host" or "cuda:N". */
    public static String poolKey(PipelineConfig config, int gpuIndex) {
        return config.backend() == BackendKind.CPU ? SharedPools.HOST : DevicePools.deviceKey(gpuIndex);
    }

    /** The GPU this slot was given, or the configured device when Flink assigned none. */
    public static int gpuIndex(RuntimeContext ctx, PipelineConfig config) {
        return gpuIndex(ctx.getExternalResourceInfos(GPU_RESOURCE), config.device());
    }

    /**
     * The device index of the first of {@code gpus} (property "index", as the gpu driver sets it:
     * org.videoforge.flink.resource.GpuInfo), or {@code fallback} when there are none.
     */
    static int gpuIndex(Set<ExternalResourceInfo> gpus, int fallback) {
        for (ExternalResourceInfo gpu : gpus) {
            return gpu.getProperty("index").map(Integer::parseInt).orElse(fallback);
        }
        return fallback;
    }
}
