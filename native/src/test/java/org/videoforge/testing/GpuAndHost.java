package org.videoforge.testing;

import org.videoforge.device.CudaFrameDevice;
import org.videoforge.device.HostFrameDevice;
import org.videoforge.gpu.CudaDevice;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.gpu.CudaStream;
import org.videoforge.gpu.FrameTransfers;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryKind;

/**
 * Test support: the GPU path's and the CPU path's frame devices side by side, and synchronous copies
 * between host buffers and either, so a test can run the same operations on both and compare.
 */
public final class GpuAndHost implements AutoCloseable {
    public final CudaFrameDevice gpu;
    public final HostFrameDevice cpu;
    private final CudaDevice device;
    private final CudaStream transfers;

    private GpuAndHost() {
        gpu = CudaFrameDevice.open(0, 0);
        cpu = new HostFrameDevice();
        device = CudaDevice.acquire(0);
        transfers = CudaStream.create(device);
    }

    /** Device 0 with both frame devices, or null where no CUDA device is usable. */
    public static GpuAndHost openIfAvailable() {
        return CudaRuntime.available() ? new GpuAndHost() : null;
    }

    /** Copies {@code bytes} of host buffer {@code host} into {@code dst} (device or host) and waits. */
    public void put(FrameBuffer host, FrameBuffer dst, long bytes) {
        if (dst.kind() == MemoryKind.HOST) {
            dst.hostBytes().put(0, host.hostBytes(), 0, (int) bytes);
        } else {
            FrameTransfers.upload(host, dst, bytes, transfers);
            transfers.synchronize();
        }
    }

    /** Copies {@code bytes} of {@code src} (device or host) into host buffer {@code host} and waits. */
    public void get(FrameBuffer src, FrameBuffer host, long bytes) {
        if (src.kind() == MemoryKind.HOST) {
            host.hostBytes().put(0, src.hostBytes(), 0, (int) bytes);
        } else {
            FrameTransfers.download(src, host, bytes, transfers);
            transfers.synchronize();
        }
    }

    @Override
    public void close() {
        transfers.close();
        device.close();
        cpu.close();
        gpu.close();
    }
}
