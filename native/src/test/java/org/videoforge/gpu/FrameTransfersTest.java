package org.videoforge.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.videoforge.frame.PixelFormat;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryKind;
import org.videoforge.memory.SharedPools;

class FrameTransfersTest {

    /** Runs anywhere: wrong memory kinds and sizes are refused before any CUDA call and not counted. */
    @Test
    void misuseIsRejectedAndNotCounted() {
        long copies = HostCopies.count();
        try (BucketedBufferPool device = ColorKernelsSourceTest.fakePool(MemoryKind.DEVICE);
             BucketedBufferPool host = BucketedBufferPool.host("h");
             FrameBuffer d = device.acquire(4096);
             FrameBuffer h = host.acquire(4096)) {
            assertThrows(IllegalArgumentException.class, () -> FrameTransfers.upload(d, d, 100, null));
            assertThrows(IllegalArgumentException.class, () -> FrameTransfers.upload(h, h, 100, null));
            assertThrows(IllegalArgumentException.class, () -> FrameTransfers.download(h, d, 100, null));
            assertThrows(IllegalArgumentException.class, () -> FrameTransfers.upload(h, d, 8192, null));
            assertThrows(IllegalArgumentException.class, () -> FrameTransfers.download(d, h, 0, null));
        }
        assertEquals(copies, HostCopies.count());
    }

    @Test
    void roundTripThroughPinnedAndPageableMemoryIsExactAndCounted() {
        Gpu.assume();
        int w = 1920;
        int h = 1080;
        long bytes = PixelFormat.P010.frameBytes(w, h);
        byte[] data = new byte[(int) bytes];
        new Random(3).nextBytes(data);
        try (CudaDevice dev = CudaDevice.acquire(0);
             CudaStream s = CudaStream.create(dev);
             SharedPools.Handle devicePool = DevicePools.device(0, 0);
             SharedPools.Handle pinnedPool = DevicePools.pinned(0);
             BucketedBufferPool pageable = BucketedBufferPool.host("pageable");
             FrameBuffer device = devicePool.pool().acquire(bytes)) {
            for (BucketedBufferPool hostPool : new BucketedBufferPool[] {pinnedPool.pool(), pageable}) {
                try (FrameBuffer src = hostPool.acquire(bytes); FrameBuffer dst = hostPool.acquire(bytes)) {
                    src.hostBytes().put(data);
                    long copies = HostCopies.count();
                    long moved = HostCopies.bytes();
                    long uploads = HostCopies.uploads();
                    FrameTransfers.upload(src, device, bytes, s);
                    FrameTransfers.download(device, dst, bytes, s);
                    s.synchronize();
                    assertEquals(copies + 2, HostCopies.count(), "one upload + one download");
                    assertEquals(uploads + 1, HostCopies.uploads());
                    assertEquals(moved + 2 * bytes, HostCopies.bytes());
                    byte[] back = new byte[data.length];
                    ByteBuffer b = dst.hostBytes();
                    b.get(back);
                    assertEquals(ByteBuffer.wrap(data), ByteBuffer.wrap(back), "round trip through " + hostPool.kind()
                            + (hostPool == pageable ? " pageable" : " pinned") + " memory");
                }
            }
        }
    }
}
