package org.videoforge.flink.pipeline;

import java.util.Set;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.videoforge.device.FrameDevice;
import org.videoforge.device.CudaFrameDevice;
import org.videoforge.device.HostFrameDevice;
import org.videoforge.inference.BackendKind;

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

    /** The GPU this slot was given, or the configured device when Flink assigned none. */
    public static int gpuIndex(RuntimeContext ctx, PipelineConfig config) {
        Set<ExternalResourceInfo> gpus = ctx.getExternalResourceInfos(GPU_RESOURCE);
        for (ExternalResourceInfo gpu : gpus) {
            return gpu.getProperty("index").map(Integer::parseInt).orElse(config.device());
        }
        return config.device();
    }
}
