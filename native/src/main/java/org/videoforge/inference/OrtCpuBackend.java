package org.videoforge.inference;

import org.bytedeco.onnxruntime.IoBinding;
import org.bytedeco.onnxruntime.MemoryInfo;
import org.bytedeco.onnxruntime.RunOptions;
import org.bytedeco.onnxruntime.Session;
import org.bytedeco.onnxruntime.SessionOptions;
import org.bytedeco.onnxruntime.Value;
import org.bytedeco.onnxruntime.global.onnxruntime;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryKind;

/**
 * ONNX Runtime on the CPU execution provider, with the input and output tensors bound in place
 * on pooled host buffers (the same IoBinding path the CUDA backend uses on device buffers).
 */
public final class OrtCpuBackend implements InferenceBackend {
    private final SessionOptions options;
    private final Session session;
    private final ModelSpec spec;
    private final MemoryInfo cpu;
    private final RunOptions runOptions = new RunOptions();
    private final IoBinding binding;

    private OrtCpuBackend(SessionOptions options, Session session, ModelSpec spec) {
        this.options = options;
        this.session = session;
        this.spec = spec;
        this.cpu = MemoryInfo.CreateCpu(onnxruntime.OrtArenaAllocator, onnxruntime.OrtMemTypeDefault);
        this.binding = new IoBinding(session);
    }

    /**
     * Loads {@code model}; {@code precision} must match the model's tensor type.
     * {@code intraOpThreads} 0 lets ONNX Runtime use every core.
     */
    public static OrtCpuBackend open(ModelRef model, Precision precision, int intraOpThreads) {
        byte[] bytes = model.load(precision);
        SessionOptions so = OrtSessions.baseOptions(intraOpThreads);
        Session session = null;
        try {
            session = OrtSessions.create(bytes, so, model.reference());
            ModelSpec spec = ModelInspector.inspect(session, model.reference());
            if (spec.precision() != precision) {
                throw new EngineError(ErrorCode.MODEL_PRECISION_MISMATCH, "model " + model + " takes "
                        + spec.precision() + " tensors but -p " + precision.name().toLowerCase() + " was asked for");
            }
            return new OrtCpuBackend(so, session, spec);
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            so.close();
            throw e;
        }
    }

    @Override
    public ModelSpec model() {
        return spec;
    }

    @Override
    public String name() {
        return "onnxruntime-cpu";
    }

    @Override
    public MemoryKind tensorMemory() {
        return MemoryKind.HOST;
    }

    @Override
    public void run(FrameBuffer input, FrameBuffer output, int batch, int height, int width) {
        Precision p = spec.precision();
        int s = spec.scale();
        long inBytes = p.tensorBytes(batch, height, width);
        long outBytes = p.tensorBytes(batch, height * s, width * s);
        if (input.capacity() < inBytes || output.capacity() < outBytes) {
            throw new IllegalArgumentException("tensor buffers too small for " + batch + "x" + width + "x" + height);
        }
        int type = ModelInspector.elementType(p);
        try (Value in = Value.CreateTensor(cpu.asOrtMemoryInfo(), input.pointer(), inBytes,
                     new long[] {batch, 3, height, width}, 4, type);
             Value out = Value.CreateTensor(cpu.asOrtMemoryInfo(), output.pointer(), outBytes,
                     new long[] {batch, 3, (long) height * s, (long) width * s}, 4, type)) {
            binding.BindInput(spec.inputName(), in);
            binding.BindOutput(spec.outputName(), out);
            session.Run(runOptions, binding);
            binding.ClearBoundInputs();
            binding.ClearBoundOutputs();
        } catch (RuntimeException e) {
            throw new EngineError(ErrorCode.INFERENCE_FAILED, "ONNX Runtime failed on a " + width + "x" + height
                    + " frame: " + OrtSessions.firstLine(e.getMessage()), e);
        }
    }

    @Override
    public void close() {
        binding.close();
        runOptions.close();
        cpu.close();
        session.close();
        options.close();
    }
}
