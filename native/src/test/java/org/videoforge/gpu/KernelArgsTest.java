package org.videoforge.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.junit.jupiter.api.Test;

/** Runs anywhere: the kernelParams array layout that cuLaunchKernel dereferences. */
class KernelArgsTest {

    @Test
    void eachEntryPointsAtItsOwnValueCell() {
        long devicePtr = 0x7f12_3456_7800L;
        try (KernelArgs args = KernelArgs.create().pointer(devicePtr).i32(-7).f32(1.5f)) {
            PointerPointer<Pointer> params = args.kernelParams();
            assertEquals(3, args.count());
            assertEquals(devicePtr, new LongPointer(params.get(0)).get(0));
            assertEquals(-7, new IntPointer(params.get(1)).get(0));
            assertEquals(1.5f, new FloatPointer(params.get(2)).get(0));
            assertNotEquals(devicePtr, params.get(0).address(), "the entry is the address OF the value");
        }
    }

    /** The trap of JavaCPP's one-argument PointerPointer constructor (a cast): a real array here. */
    @Test
    void aSingleArgumentIsStillAnArrayOfOneAddress() {
        long devicePtr = 0x7f00_0000_1000L;
        try (KernelArgs args = KernelArgs.create().pointer(devicePtr)) {
            PointerPointer<Pointer> params = args.kernelParams();
            assertNotEquals(devicePtr, params.address());
            assertEquals(devicePtr, new LongPointer(params.get(0)).get(0));
        }
    }

    @Test
    void noArgumentsMeansNullParams() {
        try (KernelArgs args = KernelArgs.create()) {
            assertNull(args.kernelParams());
        }
    }
}
