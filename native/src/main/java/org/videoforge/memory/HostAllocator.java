package org.videoforge.memory;

import org.bytedeco.javacpp.Pointer;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/** Native host memory through JavaCPP's malloc/free, so FFmpeg and ONNX Runtime can use it in place. */
public final class HostAllocator implements RawAllocator {
    @Override
    public MemoryKind kind() {
        return MemoryKind.HOST;
    }

    @Override
    public long allocate(long bytes) {
        Pointer p = Pointer.malloc(bytes);
        if (p == null || p.isNull()) {
            throw new EngineError(ErrorCode.INTERNAL, "host allocation of " + bytes + " bytes failed");
        }
        return p.address();
    }

    @Override
    public void free(long address) {
        Pointer.free(new AddressPointer(address, 0));
    }
}
