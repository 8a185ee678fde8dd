package org.videoforge.flink.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.junit.jupiter.api.Test;
import org.videoforge.flink.resource.GpuInfo;
import org.videoforge.inference.BackendKind;

/** The slot's GPU comes from the gpu driver's "index" property; without one, from -d / --devices. */
class FrameDevicesTest {

    @Test
    void readsTheIndexTheGpuDriverSets() {
        for (int subtask = 0; subtask < 3; subtask++) {
            assertEquals(3, FrameDevices.gpuIndex(Set.of(new GpuInfo(3)), List.of(0), subtask));
        }
    }

    @Test
    void slotsOfATaskManagerWithSeveralGpusTakeThemInTurn() {
        Set<ExternalResourceInfo> gpus = Set.of(new GpuInfo(1), new GpuInfo(0));
        assertEquals(List.of(0, 1, 0, 1), IntStream.range(0, 4)
                .mapToObj(k -> FrameDevices.gpuIndex(gpus, List.of(5), k)).toList());
    }

    @Test
    void withoutGpuInfoSlotsSpreadOverTheConfiguredDevices() {
        assertEquals(1, FrameDevices.gpuIndex(Set.of(), List.of(1), 0));
        assertEquals(List.of(2, 3, 2, 3, 2), IntStream.range(0, 5)
                .mapToObj(k -> FrameDevices.gpuIndex(Set.of(), List.of(2, 3), k)).toList());
    }

    @Test
    void devicesMustBeDistinctAndNonNegative() {
        assertEquals(List.of(1, 0), PipelineConfig.builder().devices(List.of(1, 0)).build().devices());
        assertEquals(1, PipelineConfig.builder().devices(List.of(1, 0)).build().device());
        assertThrows(IllegalArgumentException.class, () -> PipelineConfig.builder().devices(List.of(0, 0)));
        assertThrows(IllegalArgumentException.class, () -> PipelineConfig.builder().devices(List.of(-1)));
        assertThrows(IllegalArgumentException.class, () -> PipelineConfig.builder().devices(List.of()));
    }

    @Test
    void poolKeyNamesTheMemoryTheStagesLeaseFrom() {
        assertEquals("host", FrameDevices.poolKey(PipelineConfig.builder().backend(BackendKind.CPU).build(), 2));
        assertEquals("cuda:2", FrameDevices.poolKey(PipelineConfig.builder().backend(BackendKind.CUDA).build(), 2));
    }
}
