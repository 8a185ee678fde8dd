package org.videoforge.inference;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.onnxruntime.CUDAProviderOptions;
import org.bytedeco.onnxruntime.IoBinding;
import org.bytedeco.onnxruntime.MemoryInfo;
import org.bytedeco.onnxruntime.RunOptions;
import org.bytedeco.onnxruntime.Session;
import org.bytedeco.onnxruntime.SessionOptions;
import org.bytedeco.onnxruntime.StringStringMap;
import org.bytedeco.onnxruntime.StringVector;
import org.bytedeco.onnxruntime.Value;
import org.bytedeco.onnxruntime.global.onnxruntime;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.gpu.CudaDevice;
import org.videoforge.gpu.CudaEvent;
import org.videoforge.gpu.CudaStream;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryKind;

/**
 * ONNX Runtime on the CUDA execution provider, with input and output tensors bound in place on
 * pooled device buffers (IoBinding, as {@link OrtCpuBackend} does on host buffers): no tensor
 * crosses to the host. ONNX Runtime runs on this backend's own {@link #stream()} (its
 * {@code user_compute_stream}), so preprocessing queued on that stream before {@link #run} is
 * ordered before inference without a host synchronisation; work on any other stream must be
 * complete before {@code run}. Every run happens on this backend's own inference thread, so
 * {@link #submit} returns at once and the caller prepares the next frame while ONNX Runtime
 * launches and the GPU computes this one. (Not ONNX Runtime's
 * {@code disable_synchronize_execution_providers} instead: with it, 1.24.1 frees pinned host
 * buffers from a CUDA stream callback, where CUDA forbids that, and aborts the process with CUDA
 * error 800 -- seen on the H100.) Convolutions use cuDNN's exhaustive algorithm search and maximum
 * workspace; FP16 models run NHWC ({@code prefer_nhwc}), the tensor-core layout, with cuDNN's fused
 * convolution + bias ({@code fuse_conv_bias}). FP32 keeps ONNX
 * Runtime's default {@code use_tf32=1} (like PyTorch's default for convolutions).
 */
public final class OrtCudaBackend implements InferenceBackend {
    static final String CUDA_PROVIDER = "CUDAExecutionProvider";

    private final CudaDevice device;
    private final CudaStream stream;
    private final SessionOptions options;
    private final Session session;
    private final ModelSpec spec;
    private final MemoryInfo cuda;
    private final RunOptions runOptions = new RunOptions();
    private final IoBinding binding;
    /** Bracket each run to time it on the GPU; used by the inference thread only. */
    private final CudaEvent runStart;
    private final CudaEvent runEnd;
    private final ExecutorService runner;

    private OrtCudaBackend(CudaDevice device, CudaStream stream, SessionOptions options, Session session,
                           ModelSpec spec, IoBinding binding, CudaEvent runStart, CudaEvent runEnd) {
        this.device = device;
        this.stream = stream;
        this.options = options;
        this.session = session;
        this.spec = spec;
        this.cuda = new MemoryInfo("Cuda", onnxruntime.OrtDeviceAllocator, device.index(), onnxruntime.OrtMemTypeDefault);
        this.binding = binding;
        this.runStart = runStart;
        this.runEnd = runEnd;
        this.runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "videoforge-inference-cuda" + device.index());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Loads {@code model} on CUDA device {@code deviceIndex}; {@code precision} must match the model.
     * BACKEND_UNAVAILABLE if this ONNX Runtime build has no CUDA execution provider or the provider
     * cannot start (CUDA/cuDNN libraries missing); DEVICE_UNAVAILABLE if there is no such device.
     */
    public static OrtCudaBackend open(ModelRef model, Precision precision, int deviceIndex) {
        return open(model, precision, deviceIndex, Map.of());
    }

    /**
     * As {@link #open(ModelRef, Precision, int)}, with CUDA provider options (names as in ONNX
     * Runtime's CUDA EP documentation) that replace or add to this backend's defaults; for measuring.
     */
    public static OrtCudaBackend open(ModelRef model, Precision precision, int deviceIndex,
                                      Map<String, String> providerOptions) {
        requireCudaProvider();
        byte[] bytes = model.load(precision);
        CudaDevice device = CudaDevice.acquire(deviceIndex);
        CudaStream stream = null;
        SessionOptions so = null;
        Session session = null;
        IoBinding binding = null;
        CudaEvent runStart = null;
        CudaEvent runEnd = null;
        try {
            stream = CudaStream.create(device);
            so = OrtSessions.baseOptions(0);
            appendCudaProvider(so, deviceIndex, precision, stream.address(), providerOptions);
            session = OrtSessions.create(bytes, so, model.reference());
            ModelSpec spec = ModelInspector.inspect(session, model.reference());
            if (spec.precision() != precision) {
                throw new EngineError(ErrorCode.MODEL_PRECISION_MISMATCH, "model " + model + " takes "
                        + spec.precision() + " tensors but -p " + precision.name().toLowerCase() + " was asked for");
            }
            binding = new IoBinding(session);
            runStart = CudaEvent.create(device);
            runEnd = CudaEvent.create(device);
            return new OrtCudaBackend(device, stream, so, session, spec, binding, runStart, runEnd);
        } catch (RuntimeException e) {
            if (runEnd != null) {
                runEnd.close();
            }
            if (runStart != null) {
                runStart.close();
            }
            if (binding != null) {
                binding.close();
            }
            if (session != null) {
                session.close();
            }
            if (so != null) {
                so.close();
            }
            if (stream != null) {
                stream.close();
            }
            device.close();
            throw e;
        }
    }

    /** True if this ONNX Runtime build was compiled with the CUDA execution provider. */
    public static boolean cudaProviderCompiledIn() {
        try (StringVector providers = onnxruntime.GetAvailableProviders()) {
            for (long i = 0; i < providers.size(); i++) {
                if (CUDA_PROVIDER.equals(providers.get(i).getString())) {
                    return true;
                }
            }
            return false;
        }
    }

    static void requireCudaProvider() {
        if (!cudaProviderCompiledIn()) {
            throw new EngineError(ErrorCode.BACKEND_UNAVAILABLE, "this ONNX Runtime build ("
                    + onnxruntime.GetVersionString().getString() + ") has no " + CUDA_PROVIDER
                    + "; put the GPU build of the onnxruntime natives on the classpath, or use --backend cpu");
        }
    }

    /**
     * Appends the CUDA execution provider to {@code so}. {@code computeStream} (a cudaStream_t, or 0
     * for ONNX Runtime's own) is passed as {@code user_compute_stream} through
     * UpdateCUDAProviderOptionsWithValue, which also sets {@code has_user_compute_stream}.
     */
    static void appendCudaProvider(SessionOptions so, int deviceIndex, Precision precision, long computeStream) {
        appendCudaProvider(so, deviceIndex, precision, computeStream, Map.of());
    }

    /** As above; {@code overrides} (provider option name to value) replace or add to the defaults. */
    static void appendCudaProvider(SessionOptions so, int deviceIndex, Precision precision, long computeStream,
                                   Map<String, String> overrides) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("device_id", Integer.toString(deviceIndex));
        options.put("cudnn_conv_algo_search", "EXHAUSTIVE");
        options.put("cudnn_conv_use_max_workspace", "1");
        options.put("prefer_nhwc", precision == Precision.FP16 ? "1" : "0");
        if (precision == Precision.FP16) {
            // cuDNN's fused convolution + bias (its frontend graph API): Compact x4 1080p FP16 on the
            // H100 went from 20.5 to 13.3 ms a frame (docs/BENCHMARKS.md). FP32 is left out: with it
            // ONNX Runtime 1.24.1 gave wrong FP32 outputs there (8 dB PSNR against the CPU backend).
            options.put("fuse_conv_bias", "1");
        }
        options.putAll(overrides);
        try (CUDAProviderOptions cuda = new CUDAProviderOptions(); StringStringMap m = new StringStringMap()) {
            options.forEach((k, v) -> m.put(new BytePointer(k), v));
            cuda.Update(m);
            if (computeStream != 0) {
                cuda.UpdateWithValue("user_compute_stream", new org.bytedeco.javacpp.Pointer() {
                    {
                        address = computeStream;
                    }
                });
            }
            so.AppendExecutionProvider_CUDA_V2(cuda.asOrtCUDAProviderOptionsV2());
        } catch (RuntimeException e) {
            throw new EngineError(ErrorCode.BACKEND_UNAVAILABLE, "ONNX Runtime's CUDA execution provider cannot be used"
                    + " on cuda:" + deviceIndex + ": " + OrtSessions.firstLine(e.getMessage())
                    + " (needs the CUDA runtime, cuBLAS and cuDNN libraries on the library path)", e);
        }
    }

    @Override
    public ModelSpec model() {
        return spec;
    }

    @Override
    public String name() {
        return "onnxruntime-cuda";
    }

    @Override
    public MemoryKind tensorMemory() {
        return MemoryKind.DEVICE;
    }

    /** The stream ONNX Runtime computes on; queue preprocessing here to need no synchronisation. */
    public CudaStream stream() {
        return stream;
    }

    public CudaDevice device() {
        return device;
    }

    @Override
    public void run(FrameBuffer input, FrameBuffer output, int batch, int height, int width) {
        submit(input, output, batch, height, width).await();
    }

    /**
     * Queues the run on this backend's inference thread (runs leave in submission order); the
     * PendingRun reports the run's GPU time, taken between CUDA events around it.
     */
    @Override
    public PendingRun submit(FrameBuffer input, FrameBuffer output, int batch, int height, int width) {
        Precision p = spec.precision();
        int s = spec.scale();
        long inBytes = p.tensorBytes(batch, height, width);
        long outBytes = p.tensorBytes(batch, height * s, width * s);
        if (input.kind() != MemoryKind.DEVICE || output.kind() != MemoryKind.DEVICE) {
            throw new IllegalArgumentException("the CUDA backend needs device tensors, got input " + input.kind()
                    + " and output " + output.kind());
        }
        if (input.capacity() < inBytes || output.capacity() < outBytes) {
            throw new IllegalArgumentException("tensor buffers too small for " + batch + "x" + width + "x" + height);
        }
        Future<Long> run = runner.submit(() -> runNow(input, output, inBytes, outBytes, batch, height, width));
        return new QueuedRun(run, width, height, batch);
    }

    /** One run, on the inference thread: returns when the output is ready, with its GPU nanoseconds. */
    private long runNow(FrameBuffer input, FrameBuffer output, long inBytes, long outBytes, int batch, int height,
                        int width) {
        int s = spec.scale();
        int type = ModelInspector.elementType(spec.precision());
        device.bindToCurrentThread();
        try (Value in = Value.CreateTensor(cuda.asOrtMemoryInfo(), input.pointer(), inBytes,
                     new long[] {batch, 3, height, width}, 4, type);
             Value out = Value.CreateTensor(cuda.asOrtMemoryInfo(), output.pointer(), outBytes,
                     new long[] {batch, 3, (long) height * s, (long) width * s}, 4, type)) {
            binding.BindInput(spec.inputName(), in);
            binding.BindOutput(spec.outputName(), out);
            runStart.record(stream);
            session.Run(runOptions, binding); // returns after synchronising its stream
            runEnd.record(stream);
            runEnd.synchronize();
            binding.ClearBoundInputs();
            binding.ClearBoundOutputs();
            return (long) (runEnd.millisSince(runStart) * 1_000_000.0);
        } catch (RuntimeException e) {
            throw new EngineError(ErrorCode.INFERENCE_FAILED, "ONNX Runtime (CUDA) failed on a " + width + "x"
                    + height + " batch of " + batch + ": " + OrtSessions.firstLine(e.getMessage()), e);
        }
    }

    /** A run on the inference thread. */
    private static final class QueuedRun implements PendingRun {
        private final Future<Long> run;
        private final String what;

        QueuedRun(Future<Long> run, int width, int height, int batch) {
            this.run = run;
            this.what = width + "x" + height + " batch of " + batch;
        }

        @Override
        public boolean isDone() {
            return run.isDone();
        }

        @Override
        public long await() {
            try {
                return run.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new EngineError(ErrorCode.INFERENCE_FAILED, "ONNX Runtime (CUDA) failed on a " + what, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EngineError(ErrorCode.CANCELLED, "interrupted waiting for inference on a " + what, e);
            }
        }
    }

    @Override
    public void close() {
        runner.shutdown();
        // A run still queued or computing uses the session and events below: let it end first,
        // even if this thread is interrupted meanwhile (Flink interrupts tasks it cancels).
        boolean interrupted = false;
        boolean ended = false;
        while (!ended) {
            try {
                ended = runner.awaitTermination(1, TimeUnit.MINUTES);
                if (!ended) {
                    throw new IllegalStateException("an ONNX Runtime (CUDA) run did not end within a minute of close");
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        runStart.close();
        runEnd.close();
        binding.close();
        runOptions.close();
        cuda.close();
        session.close();
        options.close();
        stream.close();
        device.close();
    }
}
