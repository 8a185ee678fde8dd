package org.videoforge.codec.nvenc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.videoforge.gpu.CudaDevice;
import org.videoforge.gpu.CudaRuntime;

class NvencProbeTest {
    @Test
    void withoutAGpuTheProbeSaysSoAndNamesTheSoftwareEncoder() {
        assumeFalse(CudaRuntime.available(), "this machine has a GPU");
        NvencStatus s = NvencProbe.probe(0);
        assertFalse(s.available());
        assertTrue(s.detail().startsWith("no CUDA device"), s.detail());
        String note = s.encoderNote("libx264");
        assertTrue(note.startsWith("No NVENC on cuda:0 (no CUDA device") && note.contains("encoding with libx264"), note);
    }

    @Test
    void onTheGpuTheProbeAnswersWithoutThrowingAndAnH100HasNoEncoder() {
        assumeTrue(CudaRuntime.available(), () -> "no CUDA device: " + CudaRuntime.unavailableReason());
        NvencStatus s = NvencProbe.probe(0);
        System.out.println("NVENC probe: " + s + " -> " + s.encoderNote("libx264"));
        String name;
        try (CudaDevice d = CudaDevice.acquire(0)) {
            name = d.name();
        }
        assertTrue(s.gpu().startsWith(name), s.gpu());
        assertFalse(s.detail().isBlank());
        if (name.contains("H100") || name.contains("H200") || name.contains("A100")) {
            // Hopper and A100 data-centre GPUs have NVDEC but no NVENC engines.
            assertFalse(s.available(), name + " reported NVENC: " + s);
            assertTrue(s.encoderNote("libx264").startsWith("No NVENC on " + name), s.encoderNote("libx264"));
        }
    }

    @Test
    void aDeviceIndexBeyondTheGpusIsUnavailableNotAnException() {
        NvencStatus s = NvencProbe.probe(64);
        assertFalse(s.available(), s.toString());
    }
}
