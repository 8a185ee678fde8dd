package org.videoforge.flink.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.videoforge.flink.resource.GpuInfo;
import org.videoforge.inference.BackendKind;

/** The slot's GPU comes from the gpu driver's "index" property; without one, from -d. */
class FrameDevicesTest {

    @Test
    void readsTheIndexTheGpuDriverSets() {
        assertEquals(3, FrameDevices.gpuIndex(Set.of(new GpuInfo(3)), 0));
    }

    @Test
    void fallsBackToTheConfiguredDeviceWithoutGpuInfo() {
        assertEquals(1, FrameDevices.gpuIndex(Set.of(), 1));
    }

    @Test
    void poolKeyNamesTheMemoryTheStagesLeaseFrom() {
        assertEquals("host", FrameDevices.poolKey(PipelineConfig.builder().backend(BackendKind.CPU).build(), 2));
        assertEquals("cuda:2", FrameDevices.poolKey(PipelineConfig.builder().backend(BackendKind.CUDA).build(), 2));
    }
}
