package org.videoforge.inference.tensorrt;

import java.util.Locale;
import java.util.Objects;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * How TensorRT engines are built, beyond the model, GPU and profile: everything here changes the
 * plan, so it is part of the {@link EngineCacheKey}. Networks are always strongly typed (every
 * tensor keeps the ONNX model's element type: an FP16 model runs FP16 end to end with FP16 input
 * and output, an FP32 model FP32 with TF32 convolutions, TensorRT's default). Immutable.
 *
 * <p>Defaults come from system properties: {@code -Dvideoforge.tensorrt.optimizationLevel} (0..5,
 * TensorRT's builder optimisation level, default 3 as TensorRT's own) and
 * {@code -Dvideoforge.tensorrt.workspaceMiB} (builder workspace, default 1024) and
 * {@code -Dvideoforge.tensorrt.shuffleKernel} (default true: {@link #shuffleInKernel}).
 */
public final class EngineSettings {
    public static final String OPTIMIZATION_LEVEL_PROPERTY = "videoforge.tensorrt.optimizationLevel";
    public static final String WORKSPACE_PROPERTY = "videoforge.tensorrt.workspaceMiB";
    public static final String SHUFFLE_KERNEL_PROPERTY = "videoforge.tensorrt.shuffleKernel";
    static final int DEFAULT_OPTIMIZATION_LEVEL = 3;
    static final long DEFAULT_WORKSPACE_MIB = 1024;

    /** TensorRT's defaults: level 3, 1 GiB of workspace, NCHW input and output, the whole graph in the engine. */
    public static final EngineSettings DEFAULTS =
            new EngineSettings(DEFAULT_OPTIMIZATION_LEVEL, DEFAULT_WORKSPACE_MIB, IoFormat.LINEAR, false, false);

    /**
     * Memory layout of the engine's input and output tensors. The pipeline's tensors are planar
     * NCHW ({@link #LINEAR}); {@link #CHANNELS_LAST} (TensorRT's {@code kHWC8} for FP16: pixels of 8
     * channels, 3 used; {@code kHWC} for FP32) exists to measure whether colour kernels writing that
     * layout would save TensorRT's own reformatting (bench {@code TensorRtBenchmark}).
     */
    public enum IoFormat {
        LINEAR,
        CHANNELS_LAST
    }

    private final int optimizationLevel;
    private final long workspaceMib;
    private final IoFormat ioFormat;
    private final boolean timingCacheOnly;
    private final boolean shuffleInKernel;

    private EngineSettings(int optimizationLevel, long workspaceMib, IoFormat ioFormat, boolean timingCacheOnly,
                           boolean shuffleInKernel) {
        if (optimizationLevel < 0 || optimizationLevel > 5) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "TensorRT's builder optimization level is 0..5, not "
                    + optimizationLevel);
        }
        if (workspaceMib < 16) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "a TensorRT builder workspace of " + workspaceMib
                    + " MiB is too small (16 at least)");
        }
        this.optimizationLevel = optimizationLevel;
        this.workspaceMib = workspaceMib;
        this.ioFormat = Objects.requireNonNull(ioFormat, "ioFormat");
        this.timingCacheOnly = timingCacheOnly;
        this.shuffleInKernel = shuffleInKernel;
    }

    /** The defaults, with the system properties above applied. INVALID_ARGUMENT for a bad value. */
    public static EngineSettings fromSystemProperties() {
        return DEFAULTS.withOptimizationLevel((int) longProperty(OPTIMIZATION_LEVEL_PROPERTY, DEFAULT_OPTIMIZATION_LEVEL))
                .withWorkspaceMib(longProperty(WORKSPACE_PROPERTY, DEFAULT_WORKSPACE_MIB))
                .withShuffleInKernel(booleanProperty(SHUFFLE_KERNEL_PROPERTY, true));
    }

    private static boolean booleanProperty(String name, boolean fallback) {
        String v = System.getProperty(name, String.valueOf(fallback)).trim().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "-D" + name + " must be true or false, not " + v);
        }
        return Boolean.parseBoolean(v);
    }

    private static long longProperty(String name, long fallback) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "-D" + name + " must be a whole number, not " + v);
        }
    }

    public EngineSettings withOptimizationLevel(int level) {
        return new EngineSettings(level, workspaceMib, ioFormat, timingCacheOnly, shuffleInKernel);
    }

    public EngineSettings withWorkspaceMib(long mib) {
        return new EngineSettings(optimizationLevel, mib, ioFormat, timingCacheOnly, shuffleInKernel);
    }

    public EngineSettings withIoFormat(IoFormat format) {
        return new EngineSettings(optimizationLevel, workspaceMib, format, timingCacheOnly, shuffleInKernel);
    }

    /**
     * Builds only from timings already in the timing cache ({@code kERROR_ON_TIMING_CACHE_MISS}): a
     * build that would have to time a tactic fails. For reproducible fleet builds from a shared
     * timing cache, and the deterministic way to see a failed build's error.
     */
    public EngineSettings withTimingCacheOnly(boolean only) {
        return new EngineSettings(optimizationLevel, workspaceMib, ioFormat, only, shuffleInKernel);
    }

    /**
     * Engines of a model ending in a pixel shuffle ({@link org.videoforge.inference.PixelShuffleTail})
     * end before it, and a kernel of ours does the shuffle and the residual add in one pass over the
     * output (planar input and output only). TensorRT spends a resize, four layout kernels and an add
     * on that tail; the backend turns this off for models without one, so their keys do not change.
     */
    public EngineSettings withShuffleInKernel(boolean inKernel) {
        return new EngineSettings(optimizationLevel, workspaceMib, ioFormat, timingCacheOnly, inKernel);
    }

    public boolean shuffleInKernel() {
        return shuffleInKernel;
    }

    public int optimizationLevel() {
        return optimizationLevel;
    }

    public long workspaceBytes() {
        return workspaceMib << 20;
    }

    public IoFormat ioFormat() {
        return ioFormat;
    }

    public boolean timingCacheOnly() {
        return timingCacheOnly;
    }

    /** The stable text hashed into engine cache keys. */
    public String canonical() {
        return "typed=strong;opt=" + optimizationLevel + ";workspace=" + workspaceMib + "MiB;io="
                + ioFormat.name().toLowerCase(Locale.ROOT) + (timingCacheOnly ? ";timing-cache-only" : "")
                + (shuffleInKernel ? ";shuffle=kernel" : "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EngineSettings && canonical().equals(((EngineSettings) o).canonical());
    }

    @Override
    public int hashCode() {
        return canonical().hashCode();
    }

    @Override
    public String toString() {
        return "optimization level " + optimizationLevel + ", workspace " + workspaceMib + " MiB, "
                + ioFormat.name().toLowerCase(Locale.ROOT) + " I/O" + (timingCacheOnly ? ", timing cache only" : "")
                + (shuffleInKernel ? ", pixel shuffle in a kernel" : "");
    }
}
