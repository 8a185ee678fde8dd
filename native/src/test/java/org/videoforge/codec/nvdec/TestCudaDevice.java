package org.videoforge.codec.nvdec;

import static org.bytedeco.cuda.global.cudart.CU_STREAM_NON_BLOCKING;
import static org.bytedeco.cuda.global.cudart.cuCtxPopCurrent;
import static org.bytedeco.cuda.global.cudart.cuCtxPushCurrent;
import static org.bytedeco.cuda.global.cudart.cuDeviceGet;
import static org.bytedeco.cuda.global.cudart.cuDevicePrimaryCtxRelease;
import static org.bytedeco.cuda.global.cudart.cuDevicePrimaryCtxRetain;
import static org.bytedeco.cuda.global.cudart.cuInit;
import static org.bytedeco.cuda.global.cudart.cuStreamCreate;
import static org.bytedeco.cuda.global.cudart.cuStreamDestroy;
import static org.bytedeco.cuda.global.cudart.cudaFree;
import static org.bytedeco.cuda.global.cudart.cudaMalloc;
import static org.bytedeco.cuda.global.cudart.cudaMemcpy;
import static org.bytedeco.cuda.global.cudart.cudaMemcpyDeviceToHost;

import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryBudget;
import org.videoforge.memory.MemoryKind;
import org.videoforge.memory.RawAllocator;

/**
 * GPU 0 for tests, set up with the driver API alone (independent of the engine's CudaDevice):
 * its retained primary context and a device pool over cudaMalloc.
 */
final class TestCudaDevice implements AutoCloseable {
    final int device;
    final CUctx_st context;
    final BucketedBufferPool pool;

    private TestCudaDevice(int device, CUctx_st context) {
        this.device = device;
        this.context = context;
        this.pool = new BucketedBufferPool("nvdec-test-device", new CudaMallocAllocator(context),
                MemoryBudget.unlimited("nvdec-test-device"));
    }

    static TestCudaDevice open() {
        check(cuInit(0), "cuInit");
        int[] device = {0};
        check(cuDeviceGet(device, 0), "cuDeviceGet(0)");
        CUctx_st context = new CUctx_st();
        check(cuDevicePrimaryCtxRetain(context, device[0]), "cuDevicePrimaryCtxRetain");
        return new TestCudaDevice(device[0], context);
    }

    /** A device buffer's first {@code bytes} bytes, copied to the host. */
    byte[] download(FrameBuffer buffer, long bytes) {
        try (Current c = new Current(context); BytePointer host = new BytePointer(bytes)) {
            check(cudaMemcpy(host, buffer.pointer(), bytes, cudaMemcpyDeviceToHost), "cudaMemcpy D2H");
            byte[] out = new byte[(int) bytes];
            host.get(out);
            return out;
        }
    }

    /** A non-blocking stream of this device; destroy with {@link #destroy}. */
    CUstream_st newStream() {
        try (Current c = new Current(context)) {
            CUstream_st s = new CUstream_st();
            check(cuStreamCreate(s, CU_STREAM_NON_BLOCKING), "cuStreamCreate");
            return s;
        }
    }

    void destroy(CUstream_st stream) {
        try (Current c = new Current(context)) {
            check(cuStreamDestroy(stream), "cuStreamDestroy");
        }
    }

    @Override
    public void close() {
        pool.close();
        cuDevicePrimaryCtxRelease(device);
    }

    static void check(int result, String what) {
        if (result != 0) {
            throw new IllegalStateException(what + " failed: CUresult/cudaError " + result);
        }
    }

    /** Pushes the context for a block. */
    static final class Current implements AutoCloseable {
        Current(CUctx_st context) {
            check(cuCtxPushCurrent(context), "cuCtxPushCurrent");
        }

        @Override
        public void close() {
            check(cuCtxPopCurrent(new CUctx_st()), "cuCtxPopCurrent");
        }
    }

    /** cudaMalloc / cudaFree with the test context current, whichever thread allocates or frees. */
    static final class CudaMallocAllocator implements RawAllocator {
        private final CUctx_st context;

        CudaMallocAllocator(CUctx_st context) {
            this.context = context;
        }

        @Override
        public MemoryKind kind() {
            return MemoryKind.DEVICE;
        }

        @Override
        public long allocate(long bytes) {
            try (Current c = new Current(context); PointerPointer<Pointer> out = new PointerPointer<>(1)) {
                check(cudaMalloc(out, bytes), "cudaMalloc(" + bytes + ")");
                return out.get(0).address();
            }
        }

        @Override
        public void free(long address) {
            try (Current c = new Current(context)) {
                check(cudaFree(new Pointer() {
                    {
                        this.address = address;
                    }
                }), "cudaFree");
            }
        }
    }
}
