package org.videoforge.inference.tensorrt;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.onnxruntime.Session;
import org.bytedeco.onnxruntime.SessionOptions;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvinfer.BuilderFlag;
import org.bytedeco.tensorrt.global.nvinfer.DataType;
import org.bytedeco.tensorrt.global.nvinfer.ExecutionContextAllocationStrategy;
import org.bytedeco.tensorrt.global.nvinfer.MemoryPoolType;
import org.bytedeco.tensorrt.global.nvinfer.NetworkDefinitionCreationFlag;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.global.nvinfer.TensorFormat;
import org.bytedeco.tensorrt.global.nvinfer.TensorIOMode;
import org.bytedeco.tensorrt.global.nvonnxparser;
import org.bytedeco.tensorrt.nvinfer.Dims4;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvinfer.IRuntime;
import org.bytedeco.tensorrt.nvinfer.ITensor;
import org.bytedeco.tensorrt.nvonnxparser.IParser;
import org.bytedeco.tensorrt.nvonnxparser.IParserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.gpu.CudaAllocator;
import org.videoforge.gpu.CudaDevice;
import org.videoforge.gpu.CudaStream;
import org.videoforge.inference.InferenceBackend;
import org.videoforge.inference.ModelInspector;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.ModelSpec;
import org.videoforge.inference.OrtSessions;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.MemoryKind;

/**
 * TensorRT engines built from the ONNX model, on device tensors read and written in place.
 *
 * <p>An engine is specific to a GPU, a TensorRT version, a precision and an input shape range, and
 * building one takes seconds to minutes, so engines are kept in an {@link EngineCache} keyed on all
 * of those ({@link EngineCacheKey}) and built only on a miss: ONNX parser into an explicit-batch
 * network, builder config with the FP16 flag for {@link Precision#FP16} models, the workspace limit
 * ({@code -Dvideoforge.tensorrt.workspaceMiB}, default 1024) and one optimization profile from
 * {@link ShapeProfile} (the video's frame size, batch 1..maxBatch), then
 * {@code buildSerializedNetwork}. A cache entry TensorRT cannot deserialize is deleted and rebuilt.
 * Concurrent opens of the same key in one JVM build once; the others then hit the cache.
 *
 * <p>{@link #open} builds or loads the engine for a known frame size at once; {@link #openDeferred}
 * (what {@code InferenceBackends} uses, knowing no frame size) does so on the first {@link #run},
 * and again whenever the frame size changes (another video), so the first frame of a new size may
 * take as long as a build on a cold cache.
 *
 * <p>Execution: one execution context per engine, whose activation memory this backend allocates
 * itself ({@code kUSER_MANAGED}, cudaMalloc; VRAM_EXHAUSTED if refused) so that it is certainly
 * freed on close; per run {@code setInputShape}, {@code setTensorAddress} on the input and output
 * {@link FrameBuffer} addresses, {@code enqueueV3} on this backend's {@link #stream()}, and a
 * synchronisation. Preprocessing queued on {@link #stream()} before {@link #run} is ordered before
 * inference; work on any other stream must be complete. Not thread-safe: one owner, as every backend.
 *
 * <p>Errors: no TensorRT libraries is BACKEND_UNAVAILABLE naming the missing library; the ONNX parser
 * rejecting the model is MODEL_INVALID with the parser's messages; an engine build that fails (as
 * with the Maven redistributable, which lacks the per-architecture builder resources) is
 * BACKEND_UNAVAILABLE saying so; runtime failures are INFERENCE_FAILED with TensorRT's own log lines.
 * Model inspection (scale, names, precision) is ONNX Runtime's, as for the other backends, so every
 * backend agrees on what a model is.
 */
public final class TensorRtBackend implements InferenceBackend {
    private static final Logger LOG = LoggerFactory.getLogger(TensorRtBackend.class);

    /** Builder workspace limit in MiB. */
    public static final String WORKSPACE_PROPERTY = "videoforge.tensorrt.workspaceMiB";
    static final long DEFAULT_WORKSPACE_MIB = 1024;
    private static final int MESSAGE_TAIL = 800;

    /** One lock per cache entry: concurrent opens of one engine in this JVM build it once. */
    private static final ConcurrentHashMap<String, Object> BUILD_LOCKS = new ConcurrentHashMap<>();

    private final String description;
    private final byte[] onnx;
    private final String modelSha256;
    private final ModelSpec spec;
    private final int maxBatch;
    private final EngineCache cache;
    private final CudaDevice device;
    private final CudaStream stream;
    private final CudaAllocator scratchAllocator;
    private final TensorRtLogger logger;
    private final String tensorRtVersion;
    private IRuntime runtime;
    private Engine engine;
    private boolean closed;

    /** The engine of one frame size, its execution context and the context's device memory. */
    private static final class Engine {
        final EngineCacheKey key;
        final boolean fromCache;
        ICudaEngine cudaEngine;
        IExecutionContext context;
        long scratch;
        long scratchBytes;
        int boundBatch;

        Engine(EngineCacheKey key, boolean fromCache) {
            this.key = key;
            this.fromCache = fromCache;
        }
    }

    private TensorRtBackend(String description, byte[] onnx, ModelSpec spec, int maxBatch, EngineCache cache,
                            CudaDevice device, CudaStream stream, TensorRtLogger logger) {
        this.description = description;
        this.onnx = onnx;
        this.modelSha256 = EngineCacheKey.sha256Hex(onnx);
        this.spec = spec;
        this.maxBatch = maxBatch;
        this.cache = cache;
        this.device = device;
        this.stream = stream;
        this.scratchAllocator = new CudaAllocator(device.index());
        this.logger = logger;
        this.tensorRtVersion = TensorRtRuntime.version();
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
        TensorRtBackend backend = openDeferred(model, precision, deviceIndex, maxBatch, cache);
        try {
            backend.prepare(height, width);
            return backend;
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * Loads {@code model} on CUDA device {@code deviceIndex}, leaving the engine to the first
     * {@link #run} (or {@link #prepare}), when the frame size is known.
     */
    public static TensorRtBackend openDeferred(ModelRef model, Precision precision, int deviceIndex, int maxBatch,
                                               EngineCache cache) {
        TensorRtRuntime.require();
        Objects.requireNonNull(cache, "cache");
        if (maxBatch < 1 || maxBatch > ShapeProfile.MAX_BATCH) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "maximum batch " + maxBatch + " is out of range (1.."
                    + ShapeProfile.MAX_BATCH + ")");
        }
        byte[] bytes = model.load(precision);
        ModelSpec spec = inspect(bytes, model.reference());
        if (spec.precision() != precision) {
            throw new EngineError(ErrorCode.MODEL_PRECISION_MISMATCH, "model " + model + " takes "
                    + spec.precision() + " tensors but -p " + precision.name().toLowerCase(Locale.ROOT)
                    + " was asked for");
        }
        if (!spec.dynamicBatch() && maxBatch > 1) {
            throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "model " + model + " has a fixed batch of 1;"
                    + " a maximum batch of " + maxBatch + " needs a model with a dynamic batch axis");
        }
        CudaDevice device = CudaDevice.acquire(deviceIndex);
        CudaStream stream = null;
        try {
            stream = CudaStream.create(device);
            TensorRtLogger logger = TensorRtLogger.get();
            TensorRtBackend b = new TensorRtBackend(model.reference(), bytes, spec, maxBatch, cache, device, stream,
                    logger);
            LOG.info("TensorRT {} backend on {} for model {} ({}), engines cached in {}", b.tensorRtVersion, device,
                    model, spec, cache.directory());
            return b;
        } catch (RuntimeException e) {
            if (stream != null) {
                stream.close();
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

    /** Makes the engine for {@code height x width} frames current now (cache or build). */
    public void prepare(int height, int width) {
        checkOpen();
        device.bindToCurrentThread();
        ensureEngine(height, width);
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

    /** The stream TensorRT runs on; queue preprocessing here to need no synchronisation. */
    public CudaStream stream() {
        return stream;
    }

    public CudaDevice device() {
        return device;
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** The current engine's profile; empty before the first run/prepare. */
    public Optional<ShapeProfile> profile() {
        return engine == null ? Optional.empty() : Optional.of(engine.key.profile());
    }

    /** The current engine's cache key; empty before the first run/prepare. */
    public Optional<EngineCacheKey> engineKey() {
        return engine == null ? Optional.empty() : Optional.of(engine.key);
    }

    /** True if the current engine was deserialized from the cache rather than built by this backend. */
    public boolean engineFromCache() {
        return engine != null && engine.fromCache;
    }

    @Override
    public void run(FrameBuffer input, FrameBuffer output, int batch, int height, int width) {
        checkOpen();
        Precision p = spec.precision();
        int s = spec.scale();
        if (input.kind() != MemoryKind.DEVICE || output.kind() != MemoryKind.DEVICE) {
            throw new IllegalArgumentException("the TensorRT backend needs device tensors, got input " + input.kind()
                    + " and output " + output.kind());
        }
        if (batch < 1 || batch > maxBatch) {
            throw new IllegalArgumentException("batch " + batch + " is outside 1.." + maxBatch
                    + " (the maximum batch this backend was opened with)");
        }
        if (input.capacity() < p.tensorBytes(batch, height, width)
                || output.capacity() < p.tensorBytes(batch, height * s, width * s)) {
            throw new IllegalArgumentException("tensor buffers too small for " + batch + "x" + width + "x" + height);
        }
        device.bindToCurrentThread();
        Engine e = ensureEngine(height, width);
        TrtMessages messages = logger.messages();
        long mark = messages.mark();
        try {
            if (e.boundBatch != batch) {
                try (Dims4 shape = new Dims4(batch, 3, height, width)) {
                    if (!e.context.setInputShape(spec.inputName(), shape)) {
                        throw inferenceFailed("rejected input shape " + batch + "x3x" + height + "x" + width, mark);
                    }
                }
                long[] out = dims(e.context.getTensorShape(spec.outputName()));
                long[] want = {batch, 3, (long) height * s, (long) width * s};
                if (!java.util.Arrays.equals(out, want)) {
                    throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "TensorRT gives model " + description
                            + " an output of " + ShapeProfile.dims(out) + " for input " + batch + "x3x" + height + "x"
                            + width + "; ONNX Runtime's inspection expects " + ShapeProfile.dims(want));
                }
                e.boundBatch = batch;
            }
            if (!e.context.setTensorAddress(spec.inputName(), new Address(input.address()))
                    || !e.context.setTensorAddress(spec.outputName(), new Address(output.address()))) {
                throw inferenceFailed("rejected a tensor address", mark);
            }
            if (!e.context.enqueueV3(stream.handle())) {
                throw inferenceFailed("could not enqueue the inference (enqueueV3)", mark);
            }
            stream.synchronize();
        } catch (EngineError err) {
            if (err.code() == ErrorCode.INTERNAL) { // a CUDA error surfacing at synchronisation
                throw new EngineError(ErrorCode.INFERENCE_FAILED, "TensorRT failed on a " + width + "x" + height
                        + " batch of " + batch + ": " + err.getMessage() + messages.summarySince(mark, MESSAGE_TAIL),
                        err);
            }
            throw err;
        } catch (RuntimeException err) {
            throw new EngineError(ErrorCode.INFERENCE_FAILED, "TensorRT failed on a " + width + "x" + height
                    + " batch of " + batch + ": " + err + messages.summarySince(mark, MESSAGE_TAIL), err);
        }
    }

    private EngineError inferenceFailed(String what, long mark) {
        return new EngineError(ErrorCode.INFERENCE_FAILED, "TensorRT " + what + " for model " + description + "."
                + logger.messages().summarySince(mark, MESSAGE_TAIL));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            device.bindToCurrentThread();
            releaseEngine();
            TrtRelease.delete(runtime, "the TensorRT runtime");
            runtime = null;
        } finally {
            try {
                stream.close();
            } finally {
                device.close();
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("TensorRT backend used after close");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Engines: cache, build, activate

    private Engine ensureEngine(int height, int width) {
        if (engine != null && engine.key.profile().isFor(height, width)) {
            return engine;
        }
        ShapeProfile profile = ShapeProfile.forVideo(spec, height, width, maxBatch);
        releaseEngine();
        engine = loadOrBuild(profile);
        return engine;
    }

    private Engine loadOrBuild(ShapeProfile profile) {
        EngineCacheKey key = EngineCacheKey.ofModelDigest(modelSha256, device.name(), device.computeCapability(),
                tensorRtVersion, spec.precision(), profile);
        Object lock = BUILD_LOCKS.computeIfAbsent(cache.path(key).toString(), k -> new Object());
        synchronized (lock) {
            Optional<byte[]> cached = cache.load(key);
            if (cached.isPresent()) {
                ICudaEngine e = deserialize(cached.get());
                if (e != null) {
                    LOG.info("TensorRT engine for {} loaded from cache: {}", profile, cache.path(key));
                    return activate(e, key, true);
                }
                LOG.warn("TensorRT cannot deserialize cached engine {}; deleting it and rebuilding", cache.path(key));
                cache.remove(key);
            }
            byte[] plan = build(profile);
            try {
                cache.store(key, plan);
            } catch (UncheckedIOException e) {
                LOG.warn("{}; the engine is used but will be rebuilt next time", e.getMessage());
            }
            long mark = logger.messages().mark();
            ICudaEngine e = deserialize(plan);
            if (e == null) {
                throw new EngineError(ErrorCode.BACKEND_UNAVAILABLE, "TensorRT built an engine for model " + description
                        + " on " + device + " that it cannot load." + logger.messages().summarySince(mark, MESSAGE_TAIL)
                        + " Use --backend cuda");
            }
            return activate(e, key, false);
        }
    }

    private IRuntime runtime() {
        if (runtime == null) {
            long mark = logger.messages().mark();
            IRuntime rt = nvinfer.createInferRuntime(logger);
            if (rt == null || rt.isNull()) {
                throw new EngineError(ErrorCode.BACKEND_UNAVAILABLE, "TensorRT cannot create a runtime on " + device
                        + "." + logger.messages().summarySince(mark, MESSAGE_TAIL) + " Use --backend cuda");
            }
            runtime = rt;
        }
        return runtime;
    }

    /** The engine in {@code plan}, or null (logged) if TensorRT refuses it. */
    private ICudaEngine deserialize(byte[] plan) {
        IRuntime rt = runtime();
        long mark = logger.messages().mark();
        try (BytePointer bytes = new BytePointer(plan)) {
            ICudaEngine e = rt.deserializeCudaEngine(bytes, plan.length);
            if (e == null || e.isNull()) {
                LOG.warn("TensorRT could not deserialize a {}-byte engine.{}", plan.length,
                        logger.messages().summarySince(mark, MESSAGE_TAIL));
                return null;
            }
            return e;
        } catch (RuntimeException ex) {
            LOG.warn("TensorRT could not deserialize a {}-byte engine: {}", plan.length, ex.toString());
            return null;
        }
    }

    /** Checks the engine's IO against the spec and creates its execution context; owns {@code e} from here. */
    private Engine activate(ICudaEngine e, EngineCacheKey key, boolean fromCache) {
        Engine en = new Engine(key, fromCache);
        en.cudaEngine = e;
        try {
            checkEngineTensor(e, spec.inputName(), TensorIOMode.kINPUT);
            checkEngineTensor(e, spec.outputName(), TensorIOMode.kOUTPUT);
            if (e.getNbIOTensors() != 2) {
                throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "TensorRT engine of model " + description
                        + " has " + e.getNbIOTensors() + " input/output tensors; exactly one of each is needed");
            }
            en.scratchBytes = Math.max(0, e.getDeviceMemorySizeForProfileV2(0));
            if (en.scratchBytes > 0) {
                en.scratch = scratchAllocator.allocate(en.scratchBytes); // VRAM_EXHAUSTED when refused
            }
            long mark = logger.messages().mark();
            IExecutionContext context = e.createExecutionContext(ExecutionContextAllocationStrategy.kUSER_MANAGED);
            if (context == null || context.isNull()) {
                throw new EngineError(ErrorCode.INFERENCE_FAILED, "TensorRT cannot create an execution context for"
                        + " model " + description + " on " + device + "."
                        + logger.messages().summarySince(mark, MESSAGE_TAIL));
            }
            en.context = context;
            if (en.scratchBytes > 0) {
                context.setDeviceMemoryV2(new Address(en.scratch), en.scratchBytes);
            }
            LOG.info("TensorRT engine ready: {} ({}), activation memory {} MiB", key.profile(),
                    fromCache ? "cached" : "built", en.scratchBytes >> 20);
            return en;
        } catch (RuntimeException ex) {
            release(en);
            throw ex;
        }
    }

    private void checkEngineTensor(ICudaEngine e, String name, TensorIOMode mode) {
        if (e.getTensorIOMode(name).value != mode.value) {
            throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "TensorRT engine of model " + description + " has no "
                    + (mode.value == TensorIOMode.kINPUT.value ? "input" : "output") + " tensor named " + name);
        }
        int want = spec.precision() == Precision.FP16 ? DataType.kHALF.value : DataType.kFLOAT.value;
        int got = e.getTensorDataType(name).value;
        if (got != want) {
            throw new EngineError(ErrorCode.MODEL_PRECISION_MISMATCH, "TensorRT engine of model " + description
                    + " has tensor " + name + " of TensorRT data type " + got + ", not " + spec.precision());
        }
        if (e.getTensorFormat(name).value != TensorFormat.kLINEAR.value) {
            throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "TensorRT engine of model " + description
                    + " keeps tensor " + name + " in format " + e.getTensorFormatDesc(name) + ", not linear NCHW");
        }
    }

    private void releaseEngine() {
        if (engine != null) {
            Engine e = engine;
            engine = null;
            release(e);
        }
    }

    /** Context, then its device memory, then the engine. */
    private void release(Engine e) {
        TrtRelease.delete(e.context, "a TensorRT execution context");
        e.context = null;
        if (e.scratch != 0) {
            scratchAllocator.free(e.scratch);
            e.scratch = 0;
        }
        TrtRelease.delete(e.cudaEngine, "a TensorRT engine");
        e.cudaEngine = null;
    }

    /** Parses the ONNX model and builds a serialized engine for {@code profile}. */
    private byte[] build(ShapeProfile profile) {
        TrtMessages messages = logger.messages();
        long mark = messages.mark();
        IBuilder builder = null;
        INetworkDefinition network = null;
        IParser parser = null;
        IBuilderConfig config = null;
        IHostMemory plan = null;
        try {
            builder = nvinfer.createInferBuilder(logger);
            if (builder == null || builder.isNull()) {
                throw new EngineError(ErrorCode.BACKEND_UNAVAILABLE, "TensorRT cannot create a builder on " + device
                        + "." + messages.summarySince(mark, MESSAGE_TAIL) + " Use --backend cuda");
            }
            network = builder.createNetworkV2(1 << NetworkDefinitionCreationFlag.kEXPLICIT_BATCH.value);
            parser = nvonnxparser.createParser(network, logger);
            if (network == null || network.isNull() || parser == null || parser.isNull()) {
                throw new EngineError(ErrorCode.BACKEND_UNAVAILABLE, "TensorRT cannot create a network or ONNX parser."
                        + messages.summarySince(mark, MESSAGE_TAIL) + " Use --backend cuda");
            }
            boolean parsed;
            try (BytePointer bytes = new BytePointer(onnx)) {
                parsed = parser.parse(bytes, onnx.length);
            }
            if (!parsed) {
                throw new EngineError(ErrorCode.MODEL_INVALID, "TensorRT's ONNX parser rejected model " + description
                        + ": " + parserErrors(parser) + messages.summarySince(mark, MESSAGE_TAIL));
            }
            boolean dynamic = checkNetwork(network, profile);
            config = builder.createBuilderConfig();
            config.setMemoryPoolLimit(MemoryPoolType.kWORKSPACE, workspaceBytes());
            if (spec.precision() == Precision.FP16) {
                config.setFlag(BuilderFlag.kFP16);
            }
            if (dynamic) {
                IOptimizationProfile p = builder.createOptimizationProfile(); // owned by the builder
                String in = spec.inputName();
                boolean ok;
                try (Dims64 min = dims4(profile.min()); Dims64 opt = dims4(profile.opt());
                     Dims64 max = dims4(profile.max())) {
                    ok = p.setDimensions(in, OptProfileSelector.kMIN, min)
                            && p.setDimensions(in, OptProfileSelector.kOPT, opt)
                            && p.setDimensions(in, OptProfileSelector.kMAX, max)
                            && config.addOptimizationProfile(p) >= 0;
                }
                if (!ok) {
                    throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "TensorRT rejected " + profile + " for model "
                            + description + "." + messages.summarySince(mark, MESSAGE_TAIL));
                }
            }
            LOG.info("building a TensorRT {} engine for model {} on {}, {} (takes a while; cached afterwards)",
                    spec.precision(), description, device, profile);
            long t0 = System.nanoTime();
            try {
                plan = builder.buildSerializedNetwork(network, config);
            } catch (RuntimeException ex) {
                throw buildFailed(ex, mark);
            }
            if (plan == null || plan.isNull() || plan.size() <= 0) {
                throw buildFailed(null, mark);
            }
            byte[] out = new byte[Math.toIntExact(plan.size())];
            new BytePointer(plan.data()).capacity(out.length).limit(out.length).get(out);
            LOG.info("TensorRT engine built in {} s ({} KiB)", String.format(Locale.ROOT, "%.1f",
                    (System.nanoTime() - t0) / 1e9), out.length / 1024);
            return out;
        } finally {
            TrtRelease.delete(plan, "a serialized TensorRT engine");
            TrtRelease.closeQuietly(parser);
            TrtRelease.delete(network, "a TensorRT network");
            TrtRelease.delete(config, "a TensorRT builder config");
            TrtRelease.delete(builder, "a TensorRT builder");
        }
    }

    /**
     * Parses {@code onnx} with TensorRT's ONNX parser on device {@code deviceIndex} and describes the
     * network's inputs and outputs ("name NxCxHxW type", -1 for dynamic axes), building nothing.
     * MODEL_INVALID with the parser's messages if it rejects the model. For diagnostics and tests.
     */
    static List<String> parseNetwork(byte[] onnx, String description, int deviceIndex) {
        TensorRtRuntime.require();
        TensorRtLogger logger = TensorRtLogger.get();
        long mark = logger.messages().mark();
        try (CudaDevice device = CudaDevice.acquire(deviceIndex)) {
            device.bindToCurrentThread();
            IBuilder builder = null;
            INetworkDefinition network = null;
            IParser parser = null;
            try {
                builder = nvinfer.createInferBuilder(logger);
                if (builder == null || builder.isNull()) {
                    throw new EngineError(ErrorCode.BACKEND_UNAVAILABLE, "TensorRT cannot create a builder on " + device
                            + "." + logger.messages().summarySince(mark, MESSAGE_TAIL));
                }
                network = builder.createNetworkV2(1 << NetworkDefinitionCreationFlag.kEXPLICIT_BATCH.value);
                parser = nvonnxparser.createParser(network, logger);
                boolean parsed;
                try (BytePointer bytes = new BytePointer(onnx)) {
                    parsed = parser.parse(bytes, onnx.length);
                }
                if (!parsed) {
                    throw new EngineError(ErrorCode.MODEL_INVALID, "TensorRT's ONNX parser rejected model " + description
                            + ": " + parserErrors(parser) + logger.messages().summarySince(mark, MESSAGE_TAIL));
                }
                List<String> io = new ArrayList<>();
                for (int i = 0; i < network.getNbInputs(); i++) {
                    io.add("input " + describe(network.getInput(i)));
                }
                for (int i = 0; i < network.getNbOutputs(); i++) {
                    io.add("output " + describe(network.getOutput(i)));
                }
                return io;
            } finally {
                TrtRelease.closeQuietly(parser);
                TrtRelease.delete(network, "a TensorRT network");
                TrtRelease.delete(builder, "a TensorRT builder");
            }
        }
    }

    private static String describe(ITensor t) {
        return t.getName() + " " + ShapeProfile.dims(dims(t.getDimensions())) + " " + t.getType();
    }

    /** Checks the parsed network against the spec and profile; true if its input has dynamic axes. */
    private boolean checkNetwork(INetworkDefinition network, ShapeProfile profile) {
        if (network.getNbInputs() != 1 || network.getNbOutputs() != 1) {
            throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "TensorRT parses model " + description + " into "
                    + network.getNbInputs() + " inputs and " + network.getNbOutputs() + " outputs; one of each is needed");
        }
        ITensor in = network.getInput(0);
        ITensor out = network.getOutput(0);
        if (!spec.inputName().equals(in.getName()) || !spec.outputName().equals(out.getName())) {
            throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "TensorRT names model " + description + "'s tensors "
                    + in.getName() + " -> " + out.getName() + ", ONNX Runtime " + spec.inputName() + " -> "
                    + spec.outputName());
        }
        long[] d = dims(in.getDimensions());
        if (d.length != 4) {
            throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "TensorRT sees model " + description
                    + "'s input as rank " + d.length + "; NCHW rank 4 is needed");
        }
        long[] min = profile.min();
        long[] max = profile.max();
        boolean dynamic = false;
        for (int i = 0; i < 4; i++) {
            if (d[i] < 0) {
                dynamic = true;
            } else if (d[i] != min[i] || d[i] != max[i]) {
                throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "model " + description + " has a fixed input of "
                        + ShapeProfile.dims(d) + ", which cannot take " + profile);
            }
        }
        return dynamic;
    }

    private EngineError buildFailed(Throwable cause, long mark) {
        int cc = device.computeCapability();
        String resources = TensorRtRuntime.builderResourceNote(cc).map(n -> "; " + n).orElse("");
        return new EngineError(ErrorCode.BACKEND_UNAVAILABLE, "TensorRT could not build an engine for this GPU ("
                + device.name() + ", sm_" + cc + ", TensorRT " + tensorRtVersion + "; builder resources for sm_" + cc
                + " missing?" + resources + ")" + (cause != null ? ": " + cause : "") + "."
                + logger.messages().summarySince(mark, MESSAGE_TAIL)
                + " A full TensorRT 10 install for this GPU can build it; otherwise use --backend cuda", cause);
    }

    private static String parserErrors(IParser parser) {
        int n = parser.getNbErrors();
        if (n <= 0) {
            return "no error reported";
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < Math.min(n, 8); i++) {
            IParserError err = parser.getError(i);
            if (err == null) {
                continue;
            }
            String node = err.nodeName();
            String op = err.nodeOperator();
            lines.add((node != null && !node.isEmpty() ? "node " + node + (op != null && !op.isEmpty() ? " (" + op + ")" : "")
                    + ": " : "") + err.desc());
        }
        return String.join("; ", lines) + (n > 8 ? "; and " + (n - 8) + " more" : "");
    }

    static long workspaceBytes() {
        long mib = DEFAULT_WORKSPACE_MIB;
        String v = System.getProperty(WORKSPACE_PROPERTY);
        if (v != null) {
            try {
                mib = Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new EngineError(ErrorCode.INVALID_ARGUMENT, "-D" + WORKSPACE_PROPERTY + " must be a number of"
                        + " MiB, not " + v);
            }
        }
        return Math.max(16, mib) << 20;
    }

    private static Dims64 dims4(long[] d) {
        return new Dims4(d[0], d[1], d[2], d[3]);
    }

    /** The dims of a by-value Dims64 TensorRT returned, which is then closed. */
    private static long[] dims(Dims64 d) {
        try (Dims64 dims = d) {
            int n = Math.max(0, dims.nbDims());
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = dims.d(i);
            }
            return out;
        }
    }

    /** A non-owning view of a device address, for setTensorAddress / setDeviceMemoryV2. */
    private static final class Address extends Pointer {
        Address(long address) {
            this.address = address;
        }
    }

    @Override
    public String toString() {
        return "tensorrt " + tensorRtVersion + " on " + device + " for " + description;
    }
}
