package org.videoforge.inference;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.onnxruntime.IoBinding;
import org.bytedeco.onnxruntime.MemoryInfo;
import org.bytedeco.onnxruntime.RunOptions;
import org.bytedeco.onnxruntime.Value;
import org.videoforge.frame.Precision;
import org.videoforge.gpu.CudaAllocator;
import org.videoforge.gpu.CudaErrors;
import org.videoforge.gpu.CudaStream;
import org.videoforge.memory.AddressPointer;
import org.videoforge.memory.FrameBuffer;

/**
 * Fixed-address input and output tensors for ONNX Runtime's CUDA graphs ({@code enable_cuda_graph}):
 * a captured graph replays with the device addresses it was captured with, but pooled frame
 * tensors move from frame to frame. So each tensor shape gets one slot: its own input and output
 * buffers (allocated once, counted like every cudaMalloc) and its own graph id ({@code gpu_graph_id});
 * a run copies the frame's tensor into the slot's input and the slot's output into the frame's
 * output, device to device on the inference stream (cheap next to the kernel launches a graph saves).
 */
final class CudaGraphSlots implements AutoCloseable {
    /** One captured shape. */
    private static final class Slot {
        final long batch;
        final long height;
        final long width;
        final long inBytes;
        final long outBytes;
        final long inAddress;
        final long outAddress;
        final Value in;
        final Value out;
        final RunOptions options = new RunOptions();

        Slot(long batch, long height, long width, long inBytes, long outBytes, long inAddress, long outAddress,
             Value in, Value out, int graphId) {
            this.batch = batch;
            this.height = height;
            this.width = width;
            this.inBytes = inBytes;
            this.outBytes = outBytes;
            this.inAddress = inAddress;
            this.outAddress = outAddress;
            this.in = in;
            this.out = out;
            options.AddConfigEntry("gpu_graph_id", Integer.toString(graphId));
        }
    }

    private final CudaAllocator allocator;
    private final MemoryInfo cuda;
    private final List<Slot> slots = new ArrayList<>();
    private Slot bound;

    CudaGraphSlots(int deviceIndex, MemoryInfo cuda) {
        this.allocator = new CudaAllocator(deviceIndex);
        this.cuda = cuda;
    }

    /**
     * Copies {@code input} in, runs the graph of this shape (captured on its first runs), copies the
     * result to {@code output}; returns when the output is complete.
     */
    void run(org.bytedeco.onnxruntime.Session session, IoBinding binding, ModelSpec spec, FrameBuffer input,
             FrameBuffer output, int batch, int height, int width, CudaStream stream) {
        Slot s = slotFor(spec, batch, height, width);
        if (bound != s) {
            binding.ClearBoundInputs();
            binding.ClearBoundOutputs();
            binding.BindInput(spec.inputName(), s.in);
            binding.BindOutput(spec.outputName(), s.out);
            bound = s;
        }
        copy(s.inAddress, input.address(), s.inBytes, stream);
        session.Run(s.options, binding);
        copy(output.address(), s.outAddress, s.outBytes, stream);
        stream.synchronize();
    }

    private Slot slotFor(ModelSpec spec, int batch, int height, int width) {
        for (Slot s : slots) {
            if (s.batch == batch && s.height == height && s.width == width) {
                return s;
            }
        }
        Precision p = spec.precision();
        int scale = spec.scale();
        long inBytes = p.tensorBytes(batch, height, width);
        long outBytes = p.tensorBytes(batch, height * scale, width * scale);
        int type = ModelInspector.elementType(p);
        long inAddress = allocator.allocate(inBytes);
        long outAddress = 0;
        Value in = null;
        try {
            outAddress = allocator.allocate(outBytes);
            in = Value.CreateTensor(cuda.asOrtMemoryInfo(), new AddressPointer(inAddress, inBytes), inBytes,
                    new long[] {batch, 3, height, width}, 4, type);
            Value out = Value.CreateTensor(cuda.asOrtMemoryInfo(), new AddressPointer(outAddress, outBytes), outBytes,
                    new long[] {batch, 3, (long) height * scale, (long) width * scale}, 4, type);
            Slot s = new Slot(batch, height, width, inBytes, outBytes, inAddress, outAddress, in, out, slots.size());
            slots.add(s);
            return s;
        } catch (RuntimeException e) {
            if (in != null) {
                in.close();
            }
            allocator.free(inAddress);
            if (outAddress != 0) {
                allocator.free(outAddress);
            }
            throw e;
        }
    }

    private static void copy(long dst, long src, long bytes, CudaStream stream) {
        CudaErrors.check(cudart.cudaMemcpyAsync(new AddressPointer(dst, bytes), new AddressPointer(src, bytes), bytes,
                cudart.cudaMemcpyDeviceToDevice, stream.handle()), "cudaMemcpyAsync device->device of " + bytes + " bytes");
    }

    @Override
    public void close() {
        for (Slot s : slots) {
            s.options.close();
            s.in.close();
            s.out.close();
            allocator.free(s.inAddress);
            allocator.free(s.outAddress);
        }
        slots.clear();
    }
}
