package org.videoforge.inference.tensorrt;

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

/**
 * One deserialized engine, checked against the model's spec (one input and one output of the
 * spec's names and element type, in the layout its settings asked for); owns the
 * {@code ICudaEngine}. Execution contexts it creates allocate no device memory of their own: the
 * caller gives each {@link #activationBytes()} ({@code kUSER_MANAGED}), so the memory is counted in
 * the caller's budget and certainly freed.
 */
final class TrtEngine implements AutoCloseable {
    private final EngineCacheKey key;
    private final boolean fromCache;
    private final long buildNanos;
    private ICudaEngine engine;

    private TrtEngine(ICudaEngine engine, EngineCacheKey key, boolean fromCache, long buildNanos) {
        this.engine = engine;
        this.key = key;
        this.fromCache = fromCache;
        this.buildNanos = buildNanos;
    }

    /** Takes ownership of {@code engine} (deleted here if the checks fail). */
    static TrtEngine checked(ICudaEngine engine, EngineCacheKey key, boolean fromCache, long buildNanos, ModelSpec spec,
                             String description) {
        TrtEngine e = new TrtEngine(engine, key, fromCache, buildNanos);
        try {
            e.checkTensor(spec.inputName(), TensorIOMode.kINPUT, spec, description);
            e.checkTensor(spec.outputName(), TensorIOMode.kOUTPUT, spec, description);
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
        return key.profile() + " (" + (fromCache ? "cached" : "built") + ")";
    }
}
