package org.videoforge.flink.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.videoforge.error.EngineError;
import org.videoforge.gpu.CudaDevice;
import org.videoforge.gpu.CudaRuntime;

/** The driver on the real CUDA probe: runs where a GPU is usable, skips elsewhere. */
class GpuDriverGpuTest {

    @Test
    void everyDeviceCudaCountsIsHandedOutAndOpens() {
        assumeTrue(CudaRuntime.available(), () -> "no CUDA device: " + CudaRuntime.unavailableReason());
        int n = CudaRuntime.deviceCount();
        Set<GpuInfo> gpus = new GpuDriver(new CudaDeviceCounter()).retrieveResourceInfo(n);
        assertEquals(n, gpus.size());
        for (GpuInfo gpu : gpus) {
            int index = Integer.parseInt(gpu.getProperty(GpuInfo.INDEX).orElseThrow());
            try (CudaDevice device = CudaDevice.acquire(index)) {
                assertEquals(index, device.index());
                System.out.println(gpu + ": " + device);
            }
        }
        assertThrows(EngineError.class, () -> new GpuDriver(new CudaDeviceCounter()).retrieveResourceInfo(n + 1));
    }
}
