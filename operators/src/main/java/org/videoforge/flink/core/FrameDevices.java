package org.videoforge.flink.core;

import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.videoforge.device.FrameDevice;
import org.videoforge.device.CudaFrameDevice;
import org.videoforge.device.HostFrameDevice;
import org.videoforge.flink.resource.GpuInfo;
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

    /** The GPU of this slot (its chain's subtask): see {@link #gpuIndex(Set, List, int)}. */
    public static int gpuIndex(RuntimeContext ctx, PipelineConfig config) {
        return gpuIndex(ctx.getExternalResourceInfos(GPU_RESOURCE), config.devices(),
                ctx.getTaskInfo().getIndexOfThisSubtask());
    }

    /**
     * The GPU of subtask {@code subtask}: of the GPUs Flink's external resource gave this
     * TaskManager (property {@link GpuInfo#INDEX}, as the GPU driver sets it), or else of
     * the {@code configured} ones ({@code -d} / {@code --devices}), number {@code subtask} modulo
     * their count. With one slot and one GPU per TaskManager (the cluster configuration) that is the
     * TaskManager's GPU; on the embedded cluster, whose one TaskManager runs every slot, slot k gets
     * the k-th configured GPU. (Flink hands external resources to TaskManagers, not slots: a
     * TaskManager with several slots and GPUs whose subtask numbers are not consecutive may put two
     * slots on one GPU.)
     */
    static int gpuIndex(Set<ExternalResourceInfo> gpus, List<Integer> configured, int subtask) {
        List<Integer> given = gpus.stream()
                .flatMap(g -> g.getProperty(GpuInfo.INDEX).map(Integer::parseInt).stream())
                .sorted()
                .toList();
        List<Integer> candidates = given.isEmpty() ? configured : given;
        return candidates.get(subtask % candidates.size());
    }
}
