package org.videoforge.gpu;

import org.bytedeco.cuda.global.cudart;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryKind;

/**
 * The only way frame data crosses between host and device: asynchronous copies on a stream,
 * each counted in {@link HostCopies}. With pinned host buffers ({@link DevicePools#pinned}) the
 * copy overlaps other work; with pageable ones CUDA stages it and the call returns later. Either
 * way the data is usable only after the stream is synchronised (or by later work on it).
 */
public final class FrameTransfers {
    private FrameTransfers() {
    }

    /** Queues a copy of the first {@code bytes} of {@code host} into {@code device}. */
    public static void upload(FrameBuffer host, FrameBuffer device, long bytes, CudaStream stream) {
        check(host, MemoryKind.HOST, "upload source", bytes);
        check(device, MemoryKind.DEVICE, "upload destination", bytes);
        CudaErrors.check(cudart.cudaMemcpyAsync(device.pointer(), host.pointer(), bytes,
                cudart.cudaMemcpyHostToDevice, stream.handle()), "cudaMemcpyAsync host->device of " + bytes + " bytes");
        HostCopies.upload(bytes);
    }

    /** Queues a copy of the first {@code bytes} of {@code device} into {@code host}. */
    public static void download(FrameBuffer device, FrameBuffer host, long bytes, CudaStream stream) {
        check(device, MemoryKind.DEVICE, "download source", bytes);
        check(host, MemoryKind.HOST, "download destination", bytes);
        CudaErrors.check(cudart.cudaMemcpyAsync(host.pointer(), device.pointer(), bytes,
                cudart.cudaMemcpyDeviceToHost, stream.handle()), "cudaMemcpyAsync device->host of " + bytes + " bytes");
        HostCopies.download(bytes);
    }

    private static void check(FrameBuffer b, MemoryKind kind, String role, long bytes) {
        if (b.kind() != kind) {
            throw new IllegalArgumentException(role + " must be " + kind + " memory, not " + b.kind());
        }
        if (bytes <= 0 || bytes > b.capacity()) {
            throw new IllegalArgumentException("cannot copy " + bytes + " bytes: " + role + " holds " + b.capacity());
        }
    }
}
