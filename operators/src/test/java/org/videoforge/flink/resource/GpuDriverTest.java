package org.videoforge.flink.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.api.common.externalresource.ExternalResourceDriverFactory;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/** The GPU driver's logic against an injected device count (the CUDA path: GpuDriverGpuTest). */
class GpuDriverTest {

    private static DeviceCounter devices(int n, String reason) {
        return new DeviceCounter() {
            @Override
            public int deviceCount() {
                return n;
            }

            @Override
            public String unavailableReason() {
                return reason;
            }
        };
    }

    @Test
    void handsOutTheFirstAmountDevicesEachWithItsIndex() {
        Set<GpuInfo> gpus = new GpuDriver(devices(4, "")).retrieveResourceInfo(2);
        assertEquals(List.of("0", "1"), gpus.stream().map(g -> g.getProperty(GpuInfo.INDEX).orElseThrow())
                .collect(Collectors.toList()));
        for (GpuInfo g : gpus) {
            assertEquals(List.of("index"), new ArrayList<>(g.getKeys()));
            assertTrue(g.getProperty("uuid").isEmpty());
        }
    }

    @Test
    void noUsableDeviceIsACodedErrorWithTheProbesReason() {
        EngineError e = assertThrows(EngineError.class,
                () -> new GpuDriver(devices(0, "libcuda.so.1: cannot open shared object file")).retrieveResourceInfo(1));
        assertEquals(ErrorCode.DEVICE_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("no CUDA device is usable: libcuda.so.1"), e.getMessage());
    }

    @Test
    void fewerDevicesThanConfiguredNamesBothNumbers() {
        EngineError e = assertThrows(EngineError.class, () -> new GpuDriver(devices(1, "")).retrieveResourceInfo(2));
        assertEquals(ErrorCode.DEVICE_UNAVAILABLE, e.code());
        assertTrue(e.getMessage().contains("2 GPU(s) configured"), e.getMessage());
        assertTrue(e.getMessage().contains("sees only 1 CUDA device"), e.getMessage());
    }

    @Test
    void nonPositiveAmountIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new GpuDriver(devices(2, "")).retrieveResourceInfo(0));
    }

    /** What Flink's plugin loader looks for: the factory named in META-INF/services. */
    @Test
    void factoryIsAServiceAndBuildsTheCudaDriver() throws Exception {
        List<String> factories = new ArrayList<>();
        ServiceLoader.load(ExternalResourceDriverFactory.class).forEach(f -> factories.add(f.getClass().getName()));
        assertEquals(List.of(GpuDriverFactory.class.getName()), factories);
        assertInstanceOf(GpuDriver.class, new GpuDriverFactory().createExternalResourceDriver(new Configuration()));
    }

    @Test
    void equalityIsByIndex() {
        ExternalResourceInfo a = new GpuInfo(3);
        assertEquals(new GpuInfo(3), a);
        assertEquals(Set.of(new GpuInfo(0), new GpuInfo(3)).size(), 2);
        assertThrows(IllegalArgumentException.class, () -> new GpuInfo(-1));
    }
}
