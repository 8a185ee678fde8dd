package org.videoforge.inference.tensorrt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvinfer.BuilderFlag;
import org.bytedeco.tensorrt.global.nvinfer.MemoryPoolType;
import org.bytedeco.tensorrt.global.nvinfer.NetworkDefinitionCreationFlag;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.global.nvinfer.TensorFormat;
import org.bytedeco.tensorrt.global.nvonnxparser;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.IBuilder;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.IHostMemory;
import org.bytedeco.tensorrt.nvinfer.ILayer;
import org.bytedeco.tensorrt.nvinfer.INetworkDefinition;
import org.bytedeco.tensorrt.nvinfer.IOptimizationProfile;
import org.bytedeco.tensorrt.nvinfer.ITensor;
import org.bytedeco.tensorrt.nvinfer.ITimingCache;
import org.bytedeco.tensorrt.nvonnxparser.IParser;
import org.bytedeco.tensorrt.nvonnxparser.IParserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.gpu.CudaDevice;
import org.videoforge.inference.ModelSpec;
import org.videoforge.inference.PixelShuffleTail;

/**
 * Builds serialized TensorRT engines (plans) of one ONNX model on one GPU. The ONNX parser fills a
 * <em>strongly typed</em> network: every tensor keeps the model's element type, so an FP16 model
 * becomes an FP16 engine with FP16 input and output that reads and writes the pipeline's FP16
 * tensors in place (no reformatting, and a build of seconds: TensorRT times only FP16 tactics; the
 * FP16 builder flag on a weakly typed network took 66 s instead of 11 s for Compact x4 1080p on an
 * H200, issue 14). The builder config carries the {@link EngineSettings} (workspace, optimisation
 * level, I/O layout), one optimisation profile ({@link ShapeProfile}) and a timing cache that the
 * caller persists, so that later builds of the same layers skip their kernel measurements.
 *
 * <p>Errors: the parser rejecting the model is MODEL_INVALID with its messages; a network the
 * pipeline cannot drive is MODEL_SHAPE_MISMATCH; a build that fails (as with a TensorRT lacking
 * builder resources for the GPU) is BACKEND_UNAVAILABLE saying so.
 */
final class EngineBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(EngineBuilder.class);
    static final int MESSAGE_TAIL = 800;

    private final TensorRtLogger logger;
    private final CudaDevice device;
    private final String description;
    private final byte[] onnx;
    private final ModelSpec spec;
    private final EngineSettings settings;
    private final Optional<PixelShuffleTail> tail;

    /** A plan, the timing cache after building it, and how long the build took. */
    record Built(byte[] plan, byte[] timingCache, long nanos) {
    }

    EngineBuilder(TensorRtLogger logger, CudaDevice device, String description, byte[] onnx, ModelSpec spec,
                  EngineSettings settings, Optional<PixelShuffleTail> tail) {
        this.logger = logger;
        this.device = device;
        this.description = description;
        this.onnx = onnx;
        this.spec = spec;
        this.settings = settings;
        this.tail = tail;
    }

    /**
     * Builds the plan for {@code profile}, starting from {@code timingCache} (a serialized timing
     * cache of this GPU and TensorRT version, or empty). The device must be bound to the calling thread.
     */
    Built build(ShapeProfile profile, byte[] timingCache) {
        long mark = logger.messages().mark();
        try (ParsedNetwork parsed = ParsedNetwork.parse(logger, device, onnx, description, mark)) {
            INetworkDefinition network = parsed.network;
            IBuilderConfig config = null;
            ITimingCache timings = null;
            IHostMemory plan = null;
            IHostMemory timingsOut = null;
            try {
                boolean dynamic = checkNetwork(network, profile);
                if (settings.ioFormat() == EngineSettings.IoFormat.CHANNELS_LAST) {
                    int format = 1 << (spec.precision() == Precision.FP16 ? TensorFormat.kHWC8 : TensorFormat.kHWC).value;
                    network.getInput(0).setAllowedFormats(format);
                    network.getOutput(0).setAllowedFormats(format);
                }
                if (tail.isPresent()) {
                    endAtBody(network, tail.get(), mark);
                }
                config = parsed.builder.createBuilderConfig();
                config.setMemoryPoolLimit(MemoryPoolType.kWORKSPACE, settings.workspaceBytes());
                config.setBuilderOptimizationLevel(settings.optimizationLevel());
                if (settings.timingCacheOnly()) {
                    config.setFlag(BuilderFlag.kERROR_ON_TIMING_CACHE_MISS);
                }
                timings = timingCache(config, timingCache, mark);
                if (dynamic) {
                    addProfile(parsed.builder, config, profile, mark);
                }
                long t0 = System.nanoTime();
                try {
                    plan = parsed.builder.buildSerializedNetwork(network, config);
                } catch (RuntimeException ex) {
                    throw buildFailed(ex, mark);
                }
                if (plan == null || plan.isNull() || plan.size() <= 0) {
                    throw buildFailed(null, mark);
                }
                long nanos = System.nanoTime() - t0;
                byte[] out = bytes(plan);
                timingsOut = timings.serialize();
                byte[] timingBytes = timingsOut == null || timingsOut.isNull() ? new byte[0] : bytes(timingsOut);
                LOG.info("TensorRT engine built in {} s ({} KiB, {})", String.format(Locale.ROOT, "%.1f", nanos / 1e9),
                        out.length / 1024, profile);
                return new Built(out, timingBytes, nanos);
            } finally {
                TrtRelease.delete(timingsOut, "a serialized TensorRT timing cache");
                TrtRelease.delete(plan, "a serialized TensorRT engine");
                TrtRelease.delete(timings, "a TensorRT timing cache");
                TrtRelease.delete(config, "a TensorRT builder config");
            }
        }
    }

    /** The config's timing cache, from {@code serialized} where TensorRT accepts it, else empty. */
    private ITimingCache timingCache(IBuilderConfig config, byte[] serialized, long mark) {
        ITimingCache cache = null;
        if (serialized.length > 0) {
            try (BytePointer bytes = new BytePointer(serialized)) {
                cache = config.createTimingCache(bytes, serialized.length);
            }
            if (cache == null || cache.isNull()) {
                LOG.warn("TensorRT refused the stored timing cache ({} bytes); starting an empty one", serialized.length);
                cache = null;
            }
        }
        if (cache == null) {
            cache = config.createTimingCache(null, 0);
        }
        if (cache == null || cache.isNull() || !config.setTimingCache(cache, false)) {
            TrtRelease.delete(cache, "a TensorRT timing cache");
            throw new EngineError(ErrorCode.BACKEND_UNAVAILABLE, "TensorRT cannot create a timing cache on " + device
                    + "." + logger.messages().summarySince(mark, MESSAGE_TAIL));
        }
        return cache;
    }

    /**
     * Makes the tail's body the network's output in place of the model's (TensorRT drops the layers
     * that then feed nothing), in the planar layout or, for FP16, TensorRT's kHWC8 where its last
     * convolution writes that without a reformat.
     */
    private void endAtBody(INetworkDefinition network, PixelShuffleTail t, long mark) {
        ITensor body = null;
        for (int i = 0; i < network.getNbLayers() && body == null; i++) {
            ILayer layer = network.getLayer(i);
            for (int j = 0; j < layer.getNbOutputs(); j++) {
                if (t.body().equals(layer.getOutput(j).getName())) {
                    body = layer.getOutput(j);
                }
            }
        }
        if (body == null) {
            throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "TensorRT's network of model " + description
                    + " has no tensor " + t.body() + " to end at; -D" + EngineSettings.SHUFFLE_KERNEL_PROPERTY
                    + "=false builds the whole graph." + logger.messages().summarySince(mark, MESSAGE_TAIL));
        }
        network.unmarkOutput(network.getOutput(0));
        network.markOutput(body);
        int formats = 1 << TensorFormat.kLINEAR.value;
        if (spec.precision() == Precision.FP16) {
            formats |= 1 << TensorFormat.kHWC8.value;
        }
        body.setAllowedFormats(formats);
    }

    private void addProfile(IBuilder builder, IBuilderConfig config, ShapeProfile profile, long mark) {
        IOptimizationProfile p = builder.createOptimizationProfile(); // owned by the builder
        String in = spec.inputName();
        boolean ok;
        try (Dims64 min = TrtDims.of(profile.min()); Dims64 opt = TrtDims.of(profile.opt());
             Dims64 max = TrtDims.of(profile.max())) {
            ok = p.setDimensions(in, OptProfileSelector.kMIN, min)
                    && p.setDimensions(in, OptProfileSelector.kOPT, opt)
                    && p.setDimensions(in, OptProfileSelector.kMAX, max)
                    && config.addOptimizationProfile(p) >= 0;
        }
        if (!ok) {
            throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "TensorRT rejected " + profile + " for model "
                    + description + "." + logger.messages().summarySince(mark, MESSAGE_TAIL));
        }
    }

    /**
     * A builder and the strongly typed network its ONNX parser filled from one model, released
     * together (parser, network, builder) by {@link #close}: what a build and a description share.
     */
    private static final class ParsedNetwork implements AutoCloseable {
        final IBuilder builder;
        final INetworkDefinition network;
        private final IParser parser;

        private ParsedNetwork(IBuilder builder, INetworkDefinition network, IParser parser) {
            this.builder = builder;
            this.network = network;
            this.parser = parser;
        }

        static ParsedNetwork parse(TensorRtLogger logger, CudaDevice device, byte[] onnx, String description,
                                   long mark) {
            IBuilder builder = createBuilder(logger, device, mark);
            INetworkDefinition network = null;
            try {
                network = builder.createNetworkV2(1 << NetworkDefinitionCreationFlag.kSTRONGLY_TYPED.value);
                return new ParsedNetwork(builder, network, EngineBuilder.parse(network, logger, onnx, description, mark));
            } catch (RuntimeException e) {
                TrtRelease.delete(network, "a TensorRT network");
                TrtRelease.delete(builder, "a TensorRT builder");
                throw e;
            }
        }

        @Override
        public void close() {
            TrtRelease.closeQuietly(parser);
            TrtRelease.delete(network, "a TensorRT network");
            TrtRelease.delete(builder, "a TensorRT builder");
        }
    }

    private static IBuilder createBuilder(TensorRtLogger logger, CudaDevice device, long mark) {
        IBuilder builder = nvinfer.createInferBuilder(logger);
        if (builder == null || builder.isNull()) {
            throw new EngineError(ErrorCode.BACKEND_UNAVAILABLE, "TensorRT cannot create a builder on " + device
                    + "." + logger.messages().summarySince(mark, MESSAGE_TAIL) + " Use --backend cuda");
        }
        return builder;
    }

    /** The parser that filled {@code network} from {@code onnx}; MODEL_INVALID if it rejects the model. */
    private static IParser parse(INetworkDefinition network, TensorRtLogger logger, byte[] onnx, String description,
                                 long mark) {
        IParser parser = network == null || network.isNull() ? null : nvonnxparser.createParser(network, logger);
        if (parser == null || parser.isNull()) {
            throw new EngineError(ErrorCode.BACKEND_UNAVAILABLE, "TensorRT cannot create a network or ONNX parser."
                    + logger.messages().summarySince(mark, MESSAGE_TAIL) + " Use --backend cuda");
        }
        boolean parsed;
        try (BytePointer bytes = new BytePointer(onnx)) {
            parsed = parser.parse(bytes, onnx.length);
        }
        if (!parsed) {
            String errors = parserErrors(parser);
            TrtRelease.closeQuietly(parser);
            throw new EngineError(ErrorCode.MODEL_INVALID, "TensorRT's ONNX parser rejected model " + description
                    + ": " + errors + logger.messages().summarySince(mark, MESSAGE_TAIL));
        }
        return parser;
    }

    /**
     * Parses {@code onnx} with TensorRT's ONNX parser into a strongly typed network on device
     * {@code deviceIndex} and describes its inputs and outputs ("name NxCxHxW type", -1 for dynamic
     * axes), building nothing. MODEL_INVALID with the parser's messages if it rejects the model.
     */
    static List<String> parseNetwork(byte[] onnx, String description, int deviceIndex) {
        TensorRtRuntime.require();
        TensorRtLogger logger = TensorRtLogger.get();
        long mark = logger.messages().mark();
        try (CudaDevice device = CudaDevice.acquire(deviceIndex)) {
            device.bindToCurrentThread();
            try (ParsedNetwork parsed = ParsedNetwork.parse(logger, device, onnx, description, mark)) {
                List<String> io = new ArrayList<>();
                for (int i = 0; i < parsed.network.getNbInputs(); i++) {
                    io.add("input " + describe(parsed.network.getInput(i)));
                }
                for (int i = 0; i < parsed.network.getNbOutputs(); i++) {
                    io.add("output " + describe(parsed.network.getOutput(i)));
                }
                return io;
            }
        }
    }

    private static String describe(ITensor t) {
        return t.getName() + " " + ShapeProfile.dims(TrtDims.toArray(t.getDimensions())) + " " + t.getType();
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
        long[] d = TrtDims.toArray(in.getDimensions());
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
        String version = TensorRtRuntime.version();
        String said = logger.messages().summarySince(mark, MESSAGE_TAIL);
        String why = settings.timingCacheOnly() && said.toLowerCase(Locale.ROOT).contains("timing cache")
                ? "the timing cache lacks a timing it needed, and the settings allow no measuring"
                : "builder resources for sm_" + cc + " missing?"
                        + TensorRtRuntime.builderResourceNote(cc).map(n -> "; " + n).orElse("");
        return new EngineError(ErrorCode.BACKEND_UNAVAILABLE, "TensorRT could not build an engine for this GPU ("
                + device.name() + ", sm_" + cc + ", TensorRT " + version + "; " + why + ")"
                + (cause != null ? ": " + cause : "") + "." + said
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

    /**
     * One timing cache holding the measurements of both serialized caches (of one GPU model and
     * TensorRT version): what two processes measured in parallel builds. Where both timed a tactic,
     * {@code theirs} (the stored one) is kept. Empty when TensorRT refuses either.
     */
    static byte[] combine(TensorRtLogger logger, byte[] theirs, byte[] ours) {
        IBuilder builder = null;
        IBuilderConfig config = null;
        ITimingCache a = null;
        ITimingCache b = null;
        IHostMemory out = null;
        try (BytePointer x = new BytePointer(theirs); BytePointer y = new BytePointer(ours)) {
            builder = nvinfer.createInferBuilder(logger);
            config = builder == null || builder.isNull() ? null : builder.createBuilderConfig();
            a = config == null ? null : config.createTimingCache(x, theirs.length);
            b = config == null ? null : config.createTimingCache(y, ours.length);
            if (a == null || a.isNull() || b == null || b.isNull() || !a.combine(b, false)) {
                return new byte[0];
            }
            out = a.serialize();
            return out == null || out.isNull() ? new byte[0] : bytes(out);
        } finally {
            TrtRelease.delete(out, "a serialized TensorRT timing cache");
            TrtRelease.delete(b, "a TensorRT timing cache");
            TrtRelease.delete(a, "a TensorRT timing cache");
            TrtRelease.delete(config, "a TensorRT builder config");
            TrtRelease.delete(builder, "a TensorRT builder");
        }
    }

    /** The bytes TensorRT serialized into {@code memory}. */
    static byte[] bytes(IHostMemory memory) {
        byte[] out = new byte[Math.toIntExact(memory.size())];
        new BytePointer(memory.data()).capacity(out.length).limit(out.length).get(out);
        return out;
    }
}
