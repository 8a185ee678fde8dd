package org.videoforge.flink.pipeline;

import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.flink.core.FrameDevices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.flink.api.common.operators.SlotSharingGroup;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.videoforge.inference.BackendKind;

/** Where the frame path asks for a GPU per slot, and where it must not (nothing would grant it). */
class SlotPlacementTest {

    private static StreamExecutionEnvironment env(String target) {
        Configuration conf = new Configuration();
        conf.set(DeploymentOptions.TARGET, target);
        return new StreamExecutionEnvironment(conf);
    }

    @Test
    void gpuBackendOnAClusterAsksForOneGpuPerSlot() {
        SlotSharingGroup group = UpscalePipeline.slotFor(env("remote"),
                PipelineConfig.builder().backend(BackendKind.CUDA).build());
        assertEquals(UpscalePipeline.SLOT_GROUP, group.getName());
        assertEquals(1.0, group.getExternalResources().get(FrameDevices.GPU_RESOURCE), 0.0);
        assertTrue(group.getCpuCores().isPresent());
    }

    @Test
    void embeddedClusterAndCpuBackendAskForNothing() {
        assertFalse(UpscalePipeline.slotFor(env("local"), PipelineConfig.builder().backend(BackendKind.CUDA).build())
                .getExternalResources().containsKey(FrameDevices.GPU_RESOURCE));
        assertFalse(UpscalePipeline.slotFor(env("remote"), PipelineConfig.builder().backend(BackendKind.CPU).build())
                .getExternalResources().containsKey(FrameDevices.GPU_RESOURCE));
    }
}
