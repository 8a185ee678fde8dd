package org.videoforge.inference.tensorrt;

import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * How a {@link TensorRtBackend} is opened: the largest batch its engines take, the engine cache,
 * the {@link EngineSettings}, how many execution contexts it keeps in flight on their own streams,
 * and where its "building an engine" notices go. Immutable; {@link #defaults()} then the
 * {@code with...} methods.
 */
public final class TensorRtOptions {
    /** Execution contexts in flight, each on its own stream: {@code -Dvideoforge.tensorrt.streams} (1 or 2). */
    public static final String STREAMS_PROPERTY = "videoforge.tensorrt.streams";
    private static final Logger LOG = LoggerFactory.getLogger(TensorRtBackend.class);

    private final int maxBatch;
    private final boolean batchAsModelAllows;
    private final EngineCache cache;
    private final EngineSettings settings;
    private final int streams;
    private final Consumer<String> notices;

    private TensorRtOptions(int maxBatch, boolean batchAsModelAllows, EngineCache cache, EngineSettings settings,
                            int streams, Consumer<String> notices) {
        this.maxBatch = maxBatch;
        this.batchAsModelAllows = batchAsModelAllows;
        this.cache = cache;
        this.settings = settings;
        this.streams = streams;
        this.notices = notices;
    }

    /**
     * Batch 1, the default cache directory ({@link EngineCache#defaultCache()}), settings from the
     * system properties ({@link EngineSettings#fromSystemProperties()}), streams from
     * {@value #STREAMS_PROPERTY} (default 1), notices logged at WARN (the CLI's default level
     * shows them). INVALID_ARGUMENT for a bad property.
     */
    public static TensorRtOptions defaults() {
        return fromSystemProperties(1);
    }

    /**
     * As {@link #defaults()} with two execution contexts unless {@value #STREAMS_PROPERTY} says
     * otherwise: what the pipeline's inference stage opens, as it finishes each frame's
     * preprocessing before the run (the contract of {@link #withStreams}). On an H200 two were
     * never slower beyond noise (model stage +5%; end to end +10% in one call, level in another:
     * docs/BENCHMARKS.md), for one more context's activation memory, which {@code --vram-limit}
     * counts; {@code -Dvideoforge.tensorrt.streams=1} gives it back.
     */
    public static TensorRtOptions forPipeline() {
        return fromSystemProperties(2);
    }

    private static TensorRtOptions fromSystemProperties(int defaultStreams) {
        String s = System.getProperty(STREAMS_PROPERTY, String.valueOf(defaultStreams)).trim();
        if (!s.equals("1") && !s.equals("2")) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "-D" + STREAMS_PROPERTY + " must be 1 or 2, not " + s);
        }
        return new TensorRtOptions(1, false, EngineCache.defaultCache(), EngineSettings.fromSystemProperties(),
                Integer.parseInt(s), LOG::warn);
    }

    /** Engines for batches of 1..{@code n}; a model with a fixed batch of 1 then fails to open if n > 1. */
    public TensorRtOptions withMaxBatch(int n) {
        return new TensorRtOptions(n, false, cache, settings, streams, notices);
    }

    /**
     * Engines for batches of up to {@code n} where the model has a dynamic batch axis, else 1 (the
     * pipeline's {@code --max-batch}, which a fixed-batch model ignores).
     */
    public TensorRtOptions withBatchesUpTo(int n) {
        return new TensorRtOptions(n, true, cache, settings, streams, notices);
    }

    public TensorRtOptions withCache(EngineCache c) {
        return new TensorRtOptions(maxBatch, batchAsModelAllows, Objects.requireNonNull(c, "cache"), settings, streams,
                notices);
    }

    public TensorRtOptions withSettings(EngineSettings s) {
        return new TensorRtOptions(maxBatch, batchAsModelAllows, cache, Objects.requireNonNull(s, "settings"), streams,
                notices);
    }

    /**
     * Runs alternate between {@code n} (1 or 2) execution contexts, each on its own stream with
     * its own activation memory, so that with two runs in flight the GPU can overlap the end of one
     * with the start of the next. With 2, work queued on {@link TensorRtBackend#stream()} is ordered
     * before every other run only: callers must finish their preprocessing first (the pipeline does).
     */
    public TensorRtOptions withStreams(int n) {
        if (n != 1 && n != 2) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "TensorRT streams must be 1 or 2, not " + n);
        }
        return new TensorRtOptions(maxBatch, batchAsModelAllows, cache, settings, n, notices);
    }

    /** Where "building a TensorRT engine ..., first time only" and "built in N s" go. */
    public TensorRtOptions withNotices(Consumer<String> n) {
        return new TensorRtOptions(maxBatch, batchAsModelAllows, cache, settings, streams,
                Objects.requireNonNull(n, "notices"));
    }

    public int maxBatch() {
        return maxBatch;
    }

    /** The largest batch for a model with ({@code dynamicBatch}) or without a dynamic batch axis. */
    int maxBatchFor(boolean dynamicBatch) {
        return batchAsModelAllows && !dynamicBatch ? 1 : maxBatch;
    }

    public EngineCache cache() {
        return cache;
    }

    public EngineSettings settings() {
        return settings;
    }

    public int streams() {
        return streams;
    }

    Consumer<String> notices() {
        return notices;
    }
}
