package org.videoforge.inference.tensorrt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bytedeco.onnxruntime.Session;
import org.bytedeco.onnxruntime.SessionOptions;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.gpu.CudaDevice;
import org.videoforge.gpu.CudaEvent;
import org.videoforge.gpu.CudaStream;
import org.videoforge.gpu.DevicePools;
import org.videoforge.gpu.TensorKernels;
import org.videoforge.inference.InferenceBackend;
import org.videoforge.inference.ModelInspector;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.ModelSpec;
import org.videoforge.inference.OrtSessions;
import org.videoforge.inference.PendingRun;
import org.videoforge.inference.PixelShuffleTail;
import org.videoforge.memory.AddressPointer;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryKind;
import org.videoforge.memory.SharedPools;

/**
 * TensorRT engines built from the ONNX model, run on device tensors read and written in place.
 *
 * <p>Engines come from {@link TensorRtEngines} (the engine cache, or a build: strongly typed, so
 * FP16 models run FP16 with FP16 input and output). One engine serves one input size, for batches
 * of 1..{@link #maxBatch()} ({@link ShapeProfile}); the backend keeps the engines of the last
 * sizes it ran ({@link RecentEngines}) and makes a missing one on the first run of its size, so that
 * run may take as long as a build on a cold cache. {@link #prepare} makes it ahead of time.
 *
 * <p>Execution: per engine and stream one execution context, whose activation memory is a lease
 * from the device's pool, so it counts against {@code --vram-limit} (VRAM_EXHAUSTED, not an
 * out-of-memory inside TensorRT); per run {@code setInputShape} when the batch changes,
 * {@code setTensorAddress} on the input and output buffers and {@code enqueueV3}.
 * {@link #submit} returns once the run is queued on the GPU (no thread hop: TensorRT enqueues
 * asynchronously), with CUDA events around it for its GPU time. Preprocessing queued on
 * {@link #stream()} before a run is ordered before it; work on any other stream must be complete.
 * With {@link TensorRtOptions#withStreams 2 streams}, runs alternate between two contexts on two
 * streams. Not thread-safe: one owner, as every backend.
 *
 * <p>A model that ends in a pixel shuffle ({@link PixelShuffleTail}: Real-ESRGAN's Compact models)
 * gets engines that end before it, and the shuffle (with the residual add) runs after the engine on
 * the same stream as one of our kernels ({@link TensorKernels#pixelShuffle}), from a buffer each
 * context owns; {@link EngineSettings#shuffleInKernel} false keeps the whole graph in the engine.
 *
 * <p>Errors: no TensorRT libraries is BACKEND_UNAVAILABLE naming the missing library; the ONNX
 * parser rejecting the model is MODEL_INVALID with the parser's messages; a build that fails is
 * BACKEND_UNAVAILABLE saying so; runtime failures are INFERENCE_FAILED with TensorRT's own log
 * lines. Model inspection (scale, names, precision) is ONNX Runtime's, as for the other backends,
 * so every backend agrees on what a model is.
 */
public final class TensorRtBackend implements InferenceBackend {
    private static final Logger LOG = LoggerFactory.getLogger(TensorRtBackend.class);

    private final String description;
    private final ModelSpec spec;
    private final int maxBatch;
    private final EngineSettings.IoFormat ioFormat;
    private final CudaDevice device;
    private final SharedPools.Handle pool;
    private final TensorRtEngines engines;
    private final TensorRtLogger logger;
    private final List<CudaStream> streams;
    private final RecentEngines recent;
    /** The tail the engines end before, and its kernel; empty and null for whole-graph engines. */
    private final Optional<PixelShuffleTail> tail;
    private final TensorKernels tailKernels;
    private int nextStream;
    private boolean closed;

    private TensorRtBackend(String description, ModelSpec spec, int maxBatch, EngineSettings.IoFormat ioFormat,
                            CudaDevice device, SharedPools.Handle pool, TensorRtEngines engines, List<CudaStream> streams,
                            Optional<PixelShuffleTail> tail, TensorKernels tailKernels) {
        this.description = description;
        this.spec = spec;
        this.maxBatch = maxBatch;
        this.ioFormat = ioFormat;
        this.device = device;
        this.pool = pool;
        this.engines = engines;
        this.logger = TensorRtLogger.get();
        this.streams = streams;
        this.tail = tail;
        this.tailKernels = tailKernels;
        this.recent = new RecentEngines(engines, spec, maxBatch, streams.size(), pool, this::synchronizeStreams,
                description);
    }

    /**
     * Loads {@code model} on CUDA device {@code deviceIndex} and makes its engine for
     * {@code height x width} frames in batches of 1..{@code maxBatch} now: from {@code cache}, or
     * built and stored there. {@code precision} must match the model.
     */
    public static TensorRtBackend open(ModelRef model, Precision precision, int deviceIndex, int height, int width,
                                       int maxBatch, EngineCache cache) {
        TensorRtRuntime.require();
        // Reject a bad size before loading anything (the model-specific checks follow in prepare).
        if (height < 1 || width < 1) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "frame size " + width + "x" + height + " is not positive");
        }
        TensorRtBackend backend = open(model, precision, deviceIndex,
                TensorRtOptions.defaults().withMaxBatch(maxBatch).withCache(cache));
        try {
            backend.prepare(height, width);
            return backend;
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /** As {@link #open(ModelRef, Precision, int, TensorRtOptions)} with batches of 1..{@code maxBatch}. */
    public static TensorRtBackend openDeferred(ModelRef model, Precision precision, int deviceIndex, int maxBatch,
                                               EngineCache cache) {
        TensorRtRuntime.require();
        return open(model, precision, deviceIndex, TensorRtOptions.defaults().withMaxBatch(maxBatch).withCache(cache));
    }

    /**
     * Loads {@code model} on CUDA device {@code deviceIndex}, leaving engines to the first run of
     * each size (or {@link #prepare}). {@code precision} must match the model.
     */
    public static TensorRtBackend open(ModelRef model, Precision precision, int deviceIndex, TensorRtOptions options) {
        TensorRtRuntime.require();
        if (options.maxBatch() < 1 || options.maxBatch() > ShapeProfile.MAX_BATCH) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "maximum batch " + options.maxBatch()
                    + " is out of range (1.." + ShapeProfile.MAX_BATCH + ")");
        }
        byte[] bytes = model.load(precision);
        ModelSpec spec = inspect(bytes, model.reference());
        if (spec.precision() != precision) {
            throw new EngineError(ErrorCode.MODEL_PRECISION_MISMATCH, "model " + model + " takes "
                    + spec.precision() + " tensors but -p " + precision.name().toLowerCase(Locale.ROOT)
                    + " was asked for");
        }
        int maxBatch = options.maxBatchFor(spec.dynamicBatch());
        if (!spec.dynamicBatch() && maxBatch > 1) {
            throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "model " + model + " has a fixed batch of 1;"
                    + " a maximum batch of " + maxBatch + " needs a model with a dynamic batch axis");
        }
        EngineSettings settings = options.settings();
        Optional<PixelShuffleTail> tail = settings.shuffleInKernel() && settings.ioFormat() == EngineSettings.IoFormat.LINEAR
                ? PixelShuffleTail.find(bytes).filter(t -> t.scale() == spec.scale() && TensorKernels.shuffles(t.scale()))
                : Optional.empty();
        settings = settings.withShuffleInKernel(tail.isPresent()); // so other models' cache keys stay as they were
        CudaDevice device = CudaDevice.acquire(deviceIndex);
        SharedPools.Handle pool = null;
        List<CudaStream> streams = new ArrayList<>();
        TensorRtEngines engines = null;
        TensorKernels tailKernels = null;
        try {
            device.bindToCurrentThread();
            // The device's shared pool: whoever opened it first (the pipeline's frame device) set the budget.
            pool = DevicePools.device(deviceIndex, 0);
            for (int i = 0; i < options.streams(); i++) {
                streams.add(CudaStream.create(device));
            }
            engines = new TensorRtEngines(model.reference(), bytes, spec, device, settings, tail, options.cache(),
                    options.notices());
            tailKernels = tail.isPresent() ? TensorKernels.load(device) : null;
            TensorRtBackend b = new TensorRtBackend(model.reference(), spec, maxBatch, settings.ioFormat(),
                    device, pool, engines, streams, tail, tailKernels);
            LOG.info("{} on {} for model {} ({}), batches up to {}, {} stream(s), {}; engines cached in {}",
                    TensorRtRuntime.describe(), device, model, spec, maxBatch, streams.size(), settings,
                    options.cache().directory());
            return b;
        } catch (RuntimeException e) {
            if (tailKernels != null) {
                tailKernels.close();
            }
            if (engines != null) {
                engines.close();
            }
            streams.forEach(CudaStream::close);
            if (pool != null) {
                pool.close();
            }
            device.close();
            throw e;
        }
    }

    /** The model's spec as ONNX Runtime reads it (the same inspection every backend uses). */
    static ModelSpec inspect(byte[] bytes, String description) {
        try (SessionOptions so = OrtSessions.baseOptions(1);
             Session session = OrtSessions.create(bytes, so, description)) {
            return ModelInspector.inspect(session, description);
        }
    }

    /**
     * Makes the engine for {@code height x width} frames current now (cache or build) with its
     * contexts and activation memory (VRAM_EXHAUSTED here if the budget has no room).
     */
    public void prepare(int height, int width) {
        checkOpen();
        device.bindToCurrentThread();
        RecentEngines.Loaded l = recent.engineFor(height, width);
        for (int i = 0; i < streams.size(); i++) {
            recent.context(l, i);
        }
    }

    @Override
    public ModelSpec model() {
        return spec;
    }

    @Override
    public String name() {
        return "tensorrt";
    }

    @Override
    public MemoryKind tensorMemory() {
        return MemoryKind.DEVICE;
    }

    /** The (first) stream TensorRT runs on; queue preprocessing here to need no synchronisation. */
    public CudaStream stream() {
        return streams.get(0);
    }

    public CudaDevice device() {
        return device;
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** The current engine's profile; empty before the first run/prepare. */
    public Optional<ShapeProfile> profile() {
        return current().map(TrtEngine::profile);
    }

    /** The current engine's cache key; empty before the first run/prepare. */
    public Optional<EngineCacheKey> engineKey() {
        return current().map(TrtEngine::key);
    }

    /** True if the current engine was deserialized from the cache rather than built by this backend. */
    public boolean engineFromCache() {
        return current().map(TrtEngine::fromCache).orElse(false);
    }

    /** How long building the current engine took, in nanoseconds; 0 if it came from the cache. */
    public long engineBuildNanos() {
        return current().map(TrtEngine::buildNanos).orElse(0L);
    }

    /** Activation memory of the current engine's context on one stream, in bytes; 0 before the first run. */
    public long activationBytes() {
        return current().map(TrtEngine::activationBytes).orElse(0L);
    }

    /** The pixel-shuffle tail this backend's engines end before (run as a kernel after them); empty if none. */
    public Optional<PixelShuffleTail> shuffleTail() {
        return tail;
    }

    /** Bytes of an input tensor of {@code batch x height x width}: NCHW, or 8 channels a pixel in FP16 channels-last. */
    public long inputBytes(int batch, int height, int width) {
        return ioBytes(batch, height, width);
    }

    /** Bytes of the output tensor for input {@code batch x height x width}. */
    public long outputBytes(int batch, int height, int width) {
        return ioBytes(batch, height * spec.scale(), width * spec.scale());
    }

    private long ioBytes(int batch, int height, int width) {
        Precision p = spec.precision();
        if (ioFormat == EngineSettings.IoFormat.CHANNELS_LAST && p == Precision.FP16) {
            return 8L * batch * height * width * p.bytes(); // kHWC8: channels padded to 8
        }
        return p.tensorBytes(batch, height, width);
    }

    private Optional<TrtEngine> current() {
        return Optional.ofNullable(recent.current()).map(l -> l.engine);
    }

    @Override
    public void run(FrameBuffer input, FrameBuffer output, int batch, int height, int width) {
        submit(input, output, batch, height, width).await();
    }

    /** Queues the run on the GPU and returns; the PendingRun reports its GPU time. */
    @Override
    public PendingRun submit(FrameBuffer input, FrameBuffer output, int batch, int height, int width) {
        checkOpen();
        if (input.kind() != MemoryKind.DEVICE || output.kind() != MemoryKind.DEVICE) {
            throw new IllegalArgumentException("the TensorRT backend needs device tensors, got input " + input.kind()
                    + " and output " + output.kind());
        }
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch " + batch + " is outside 1.." + maxBatch
                    + " (the maximum batch this backend was opened with)");
        }
        if (input.capacity() < inputBytes(batch, height, width) || output.capacity() < outputBytes(batch, height, width)) {
            throw new IllegalArgumentException("tensor buffers too small for " + batch + "x" + width + "x" + height);
        }
        device.bindToCurrentThread();
        RecentEngines.Loaded l = recent.engineFor(height, width);
        int lane = nextStream;
        nextStream = (nextStream + 1) % streams.size();
        RecentEngines.Context c = recent.context(l, lane);
        CudaStream stream = streams.get(lane);
        String what = width + "x" + height + " batch of " + batch;
        long mark = logger.messages().mark();
        CudaEvent start = null;
        CudaEvent end = null;
        try {
            bindBatch(l.engine, c, batch, height, width, mark);
            FrameBuffer engineOut = c.body != null ? c.body : output;
            if (!c.context.setTensorAddress(spec.inputName(), new AddressPointer(input.address(), input.capacity()))
                    || !c.context.setTensorAddress(l.engine.outputName(),
                    new AddressPointer(engineOut.address(), engineOut.capacity()))) {
                throw inferenceFailed("rejected a tensor address", mark);
            }
            start = CudaEvent.create(device);
            end = CudaEvent.create(device);
            start.record(stream);
            if (!c.context.enqueueV3(stream.handle())) {
                throw inferenceFailed("could not enqueue the inference (enqueueV3)", mark);
            }
            if (c.body != null) {
                shuffle(l.engine, c.body, input, output, batch, height, width, stream);
            }
            end.record(stream);
            return new EnqueuedRun(start, end, what, mark);
        } catch (RuntimeException err) {
            closeQuietly(start);
            closeQuietly(end);
            throw failed(err, what, mark);
        }
    }

    /** Queues the tail's kernel over each frame of the batch: body (+ input) to the caller's output. */
    private void shuffle(TrtEngine engine, FrameBuffer body, FrameBuffer input, FrameBuffer output, int batch,
                         int height, int width, CudaStream stream) {
        PixelShuffleTail t = engine.tail().orElseThrow();
        Precision p = spec.precision();
        int pixels = height * width;
        int stored = engine.bodyChannelsStored();
        int channelStride = engine.bodyChannelsLast() ? 1 : pixels;
        int pixelStride = engine.bodyChannelsLast() ? stored : 1;
        long bodyFrame = (long) stored * pixels * p.bytes();
        long inFrame = p.tensorBytes(1, height, width);
        long outFrame = p.tensorBytes(1, height * t.scale(), width * t.scale());
        for (int n = 0; n < batch; n++) {
            tailKernels.pixelShuffle(body.address() + n * bodyFrame, input.address() + n * inFrame,
                    output.address() + n * outFrame, width, height, t.scale(), channelStride, pixelStride,
                    t.residual(), p, stream);
        }
    }

    /** Sets the context's input shape for {@code batch} frames and checks the output shape TensorRT infers. */
    private void bindBatch(TrtEngine engine, RecentEngines.Context c, int batch, int height, int width, long mark) {
        if (c.boundBatch == batch) {
            return;
        }
        try (Dims64 shape = TrtDims.of(new long[] {batch, 3, height, width})) {
            if (!c.context.setInputShape(spec.inputName(), shape)) {
                throw inferenceFailed("rejected input shape " + batch + "x3x" + height + "x" + width, mark);
            }
        }
        int s = spec.scale();
        long[] out = TrtDims.toArray(c.context.getTensorShape(engine.outputName()));
        long[] want = engine.tail().isPresent() ? new long[] {batch, 3L * s * s, height, width}
                : new long[] {batch, 3, (long) height * s, (long) width * s};
        if (!Arrays.equals(out, want)) {
            throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "TensorRT gives model " + description
                    + " an output of " + ShapeProfile.dims(out) + " for input " + batch + "x3x" + height + "x"
                    + width + "; ONNX Runtime's inspection expects " + ShapeProfile.dims(want));
        }
        c.boundBatch = batch;
    }

    /** A run queued on one stream, between two events. */
    private final class EnqueuedRun implements PendingRun {
        private final CudaEvent start;
        private final CudaEvent end;
        private final String what;
        private final long mark;
        private boolean awaited;

        EnqueuedRun(CudaEvent start, CudaEvent end, String what, long mark) {
            this.start = start;
            this.end = end;
            this.what = what;
            this.mark = mark;
        }

        @Override
        public boolean isDone() {
            return awaited || end.isComplete();
        }

        @Override
        public long await() {
            if (awaited) {
                throw new IllegalStateException("a TensorRT run was awaited twice");
            }
            awaited = true;
            try {
                device.bindToCurrentThread();
                end.synchronize();
                return (long) (end.millisSince(start) * 1_000_000.0);
            } catch (RuntimeException err) {
                throw failed(err, what, mark);
            } finally {
                start.close();
                end.close();
            }
        }
    }

    /** Coded errors pass (a CUDA error surfacing at synchronisation, INTERNAL, becomes INFERENCE_FAILED). */
    private EngineError failed(RuntimeException err, String what, long mark) {
        if (err instanceof EngineError e && e.code() != ErrorCode.INTERNAL) {
            return e;
        }
        String message = err instanceof EngineError ? err.getMessage() : err.toString();
        return new EngineError(ErrorCode.INFERENCE_FAILED, "TensorRT failed on a " + what + ": " + message
                + logger.messages().summarySince(mark, EngineBuilder.MESSAGE_TAIL), err);
    }

    private EngineError inferenceFailed(String what, long mark) {
        return new EngineError(ErrorCode.INFERENCE_FAILED, "TensorRT " + what + " for model " + description + "."
                + logger.messages().summarySince(mark, EngineBuilder.MESSAGE_TAIL));
    }

    /** Waits for every run queued on this backend's streams. */
    private void synchronizeStreams() {
        for (CudaStream s : streams) {
            s.synchronize();
        }
    }

    private static void closeQuietly(CudaEvent e) {
        if (e != null) {
            try {
                e.close();
            } catch (RuntimeException ignored) {
                // the run failed already; its error is the one that matters
            }
        }
    }

    /** Waits for runs still queued, then frees contexts, engines, streams and the device. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            device.bindToCurrentThread();
            synchronizeStreams();
        } finally {
            try {
                recent.close();
                engines.close();
                if (tailKernels != null) {
                    tailKernels.close();
                }
            } finally {
                streams.forEach(CudaStream::close);
                pool.close();
                device.close();
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("TensorRT backend used after close");
        }
    }

    @Override
    public String toString() {
        return "tensorrt on " + device + " for " + description;
    }
}
