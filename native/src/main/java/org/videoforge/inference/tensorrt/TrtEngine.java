package org.videoforge.inference.tensorrt;

import java.util.Optional;
import org.bytedeco.tensorrt.global.nvinfer.DataType;
import org.bytedeco.tensorrt.global.nvinfer.ExecutionContextAllocationStrategy;
import org.bytedeco.tensorrt.global.nvinfer.TensorFormat;
import org.bytedeco.tensorrt.global.nvinfer.TensorIOMode;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.inference.ModelSpec;
import org.videoforge.inference.PixelShuffleTail;

/**
 * One deserialized engine, checked against the model's spec (one input and one output of the
 * spec's names and element type, in the layout its settings asked for; or, where it ends before a
 * {@link PixelShuffleTail}, the tail's body as output, planar or in kHWC8); owns the
 * {@code ICudaEngine}. Execution contexts it creates allocate no device memory of their own: the
 * caller gives each {@link #activationBytes()} ({@code kUSER_MANAGED}), so the memory is counted in
 * the caller's budget and certainly freed.
 */
final class TrtEngine implements AutoCloseable {
    private final EngineCacheKey key;
    private final boolean fromCache;
    private final long buildNanos;
    private final Optional<PixelShuffleTail> tail;
    private final String outputName;
    private boolean bodyChannelsLast;
    private ICudaEngine engine;

    private TrtEngine(ICudaEngine engine, EngineCacheKey key, boolean fromCache, long buildNanos, ModelSpec spec,
                      Optional<PixelShuffleTail> tail) {
        this.engine = engine;
        this.key = key;
        this.fromCache = fromCache;
        this.buildNanos = buildNanos;
        this.tail = tail;
        this.outputName = tail.map(PixelShuffleTail::body).orElse(spec.outputName());
    }

    /** Takes ownership of {@code engine} (deleted here if the checks fail). */
    static TrtEngine checked(ICudaEngine engine, EngineCacheKey key, boolean fromCache, long buildNanos, ModelSpec spec,
                             Optional<PixelShuffleTail> tail, String description) {
        TrtEngine e = new TrtEngine(engine, key, fromCache, buildNanos, spec, tail);
        try {
            e.checkTensor(spec.inputName(), TensorIOMode.kINPUT, spec, description);
            e.checkTensor(e.outputName, TensorIOMode.kOUTPUT, spec, description);
            if (engine.getNbIOTensors() != 2) {
                throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "TensorRT engine of model " + description
                        + " has " + engine.getNbIOTensors() + " input/output tensors; exactly one of each is needed");
            }
            return e;
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    private void checkTensor(String name, TensorIOMode mode, ModelSpec spec, String description) {
        if (engine.getTensorIOMode(name).value != mode.value) {
            throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "TensorRT engine of model " + description + " has no "
                    + (mode.value == TensorIOMode.kINPUT.value ? "input" : "output") + " tensor named " + name);
        }
        int want = spec.precision() == Precision.FP16 ? DataType.kHALF.value : DataType.kFLOAT.value;
        int got = engine.getTensorDataType(name).value;
        if (got != want) {
            throw new EngineError(ErrorCode.MODEL_PRECISION_MISMATCH, "TensorRT engine of model " + description
                    + " has tensor " + name + " of TensorRT data type " + got + ", not " + spec.precision());
        }
        int format = engine.getTensorFormat(name).value;
        boolean linear = format == TensorFormat.kLINEAR.value;
        if (tail.isPresent() && name.equals(outputName)) {
            bodyChannelsLast = format == TensorFormat.kHWC8.value;
            if (!linear && !bodyChannelsLast) {
                throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "TensorRT engine of model " + description
                        + " keeps the pixel shuffle's input " + name + " in format " + engine.getTensorFormatDesc(name)
                        + ", neither planar nor kHWC8");
            }
            return;
        }
        if (linear != (key.settings().ioFormat() == EngineSettings.IoFormat.LINEAR)) {
            throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "TensorRT engine of model " + description
                    + " keeps tensor " + name + " in format " + engine.getTensorFormatDesc(name) + ", not the "
                    + key.settings().ioFormat() + " layout it was built for");
        }
    }

    EngineCacheKey key() {
        return key;
    }

    ShapeProfile profile() {
        return key.profile();
    }

    /** True if deserialized from the cache, false if built by this process. */
    boolean fromCache() {
        return fromCache;
    }

    /** How long building it took; 0 for an engine from the cache. */
    long buildNanos() {
        return buildNanos;
    }

    /** The engine's output tensor: the model's, or the body of the tail it ends before. */
    String outputName() {
        return outputName;
    }

    /** The pixel-shuffle tail the engine ends before, which the caller runs after it. */
    Optional<PixelShuffleTail> tail() {
        return tail;
    }

    /** True if the tail's body is in kHWC8 (a pixel's channels together, padded to 8), false if planar. */
    boolean bodyChannelsLast() {
        return bodyChannelsLast;
    }

    /** Channels a pixel of the body takes in memory: 3 s², rounded up to 8 in kHWC8. */
    int bodyChannelsStored() {
        int c = tail.map(PixelShuffleTail::bodyChannels).orElse(0);
        return bodyChannelsLast ? (c + 7) / 8 * 8 : c;
    }

    /** Bytes of the body for the profile's largest batch (the buffer a context writes it to); 0 without a tail. */
    long bodyBytes(Precision p) {
        long[] max = key.profile().max();
        return tail.isEmpty() ? 0 : max[0] * max[2] * max[3] * bodyChannelsStored() * p.bytes();
    }

    /** Device memory one execution context needs for activations (the profile's largest batch). */
    long activationBytes() {
        return Math.max(0, engine().getDeviceMemorySizeForProfileV2(0));
    }

    /** A context without device memory of its own (give it {@link #activationBytes()}); null if refused. */
    IExecutionContext createContext() {
        return engine().createExecutionContext(ExecutionContextAllocationStrategy.kUSER_MANAGED);
    }

    private ICudaEngine engine() {
        if (engine == null) {
            throw new IllegalStateException("TensorRT engine used after close");
        }
        return engine;
    }

    /** Deletes the engine; its execution contexts must be deleted first. */
    @Override
    public void close() {
        if (engine != null) {
            TrtRelease.delete(engine, "a TensorRT engine");
            engine = null;
        }
    }

    @Override
    public String toString() {
        return key.profile() + " (" + (fromCache ? "cached" : "built")
                + (tail.isPresent() ? ", ends before the pixel shuffle, body " + (bodyChannelsLast ? "kHWC8" : "planar") : "")
                + ")";
    }
}
