package org.videoforge.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.SharedPools;

class NvrtcProgramTest {
    private static final String SOURCE = String.join("\n",
            "extern \"C\" __global__ void iota(int* out, int n) {",
            "  int i = blockIdx.x * blockDim.x + threadIdx.x;",
            "  if (i < n) out[i] = i * 3;",
            "}",
            "extern \"C\" __global__ void one_arg(int* out) { out[threadIdx.x] = 100 + threadIdx.x; }",
            "extern \"C\" __global__ void mul_add(float* out, float a, float b, float c) { out[0] = a * b + c; }",
            "");

    @Test
    void theNewestSupportedArchitectureNotAboveTheDeviceIsChosen() {
        int[] supported = {75, 80, 86, 87, 89, 90, 100, 120};
        assertEquals(90, NvrtcProgram.chooseArchitecture(90, supported));
        assertEquals(89, NvrtcProgram.chooseArchitecture(89, supported));
        assertEquals(120, NvrtcProgram.chooseArchitecture(121, supported));
        EngineError tooOld = assertThrows(EngineError.class, () -> NvrtcProgram.chooseArchitecture(61, supported));
        assertEquals(ErrorCode.DEVICE_UNAVAILABLE, tooOld.code());
        assertTrue(NvrtcProgram.options("compute_90").containsAll(java.util.List.of(
                "--gpu-architecture=compute_90", "--fmad=false", "-default-device")));
    }

    @Test
    void aCompileErrorIsInternalWithTheNvrtcLog() {
        Gpu.assume();
        try (CudaDevice d = CudaDevice.acquire(0)) {
            EngineError e = assertThrows(EngineError.class,
                    () -> NvrtcProgram.compile(d, "extern \"C\" __global__ void broken() { undeclared_thing = 1; }",
                            "broken.cu"));
            assertEquals(ErrorCode.INTERNAL, e.code());
            assertTrue(e.getMessage().contains("undeclared_thing"), e.getMessage());
        }
    }

    @Test
    void kernelsRunWithPointerIntAndFloatArgumentsIncludingASingleOne() {
        Gpu.assume();
        int n = 1000;
        try (CudaDevice d = CudaDevice.acquire(0);
             CudaStream s = CudaStream.create(d);
             NvrtcProgram program = NvrtcProgram.compile(d, SOURCE, "test.cu");
             SharedPools.Handle dev = DevicePools.device(0, 0);
             SharedPools.Handle pinned = DevicePools.pinned(0);
             FrameBuffer out = dev.pool().acquire(4L * n);
             FrameBuffer host = pinned.pool().acquire(4L * n)) {
            System.out.println("loaded " + program.target() + " on " + d);
            try (KernelArgs args = KernelArgs.create().pointer(out.address()).i32(n)) {
                program.kernel("iota").launch((n + 127) / 128, 1, 128, 1, s, args);
            }
            FrameTransfers.download(out, host, 4L * n, s);
            s.synchronize();
            ByteBuffer b = host.hostBytes();
            for (int i = 0; i < n; i++) {
                assertEquals(i * 3, b.getInt(4 * i), "iota[" + i + "]");
            }

            try (KernelArgs args = KernelArgs.create().pointer(out.address())) {
                program.kernel("one_arg").launch(1, 1, 32, 1, s, args);
            }
            FrameTransfers.download(out, host, 4L * 32, s);
            s.synchronize();
            for (int i = 0; i < 32; i++) {
                assertEquals(100 + i, b.getInt(4 * i), "one_arg[" + i + "]");
            }

            // a*b+c where a fused multiply-add and two roundings differ: --fmad=false must give Java's answer.
            float a = 1 + 0x1p-12f;
            float c = -(1 + 0x1p-11f);
            try (KernelArgs args = KernelArgs.create().pointer(out.address()).f32(a).f32(a).f32(c)) {
                program.kernel("mul_add").launch(1, 1, 1, 1, s, args);
            }
            FrameTransfers.download(out, host, 4, s);
            s.synchronize();
            assertEquals(a * a + c, b.getFloat(0), "IEEE multiply then add, no FMA contraction");
        }
    }

    @Test
    void anUnknownKernelNameIsInternal() {
        Gpu.assume();
        try (CudaDevice d = CudaDevice.acquire(0); NvrtcProgram program = NvrtcProgram.compile(d, SOURCE, "test.cu")) {
            EngineError e = assertThrows(EngineError.class, () -> program.kernel("no_such_kernel"));
            assertEquals(ErrorCode.INTERNAL, e.code());
        }
    }
}
