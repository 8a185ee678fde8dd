package org.videoforge.inference.tensorrt;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.gpu.CudaDevice;
import org.videoforge.inference.ModelSpec;
import org.videoforge.inference.PixelShuffleTail;

/**
 * The engines of one model on one GPU: deserialized from the {@link EngineCache}, or built by
 * {@link EngineBuilder} and stored there first. Owns the TensorRT runtime that deserializes them.
 *
 * <p>Sharing: every slot, TaskManager and segment of a host (or of hosts sharing the cache
 * directory) uses the same entries, and an engine is built once per key. Within a JVM the opens of
 * one key wait for each other; across processes the {@link EngineCache#lock build lock} does the
 * same; a waiter then finds the entry in the cache. Builds on one GPU of a JVM run one at a time,
 * so that their kernel timings do not disturb each other. The persisted timing cache (one per GPU
 * model and TensorRT version) is read before every build and merged back after it.
 *
 * <p>A cache entry TensorRT cannot deserialize (a stale or foreign plan) is deleted and rebuilt.
 * Building says so first through the {@code notices} given (the CLI prints it: a build takes
 * seconds to a minute and must not look like a hang).
 */
final class TensorRtEngines implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TensorRtEngines.class);

    /** One lock per cache entry: concurrent opens of one engine in this JVM build it once. */
    private static final ConcurrentHashMap<String, Object> ENTRY_LOCKS = new ConcurrentHashMap<>();
    /** One lock per GPU: builds on one device take turns. */
    private static final ConcurrentHashMap<Integer, Object> DEVICE_LOCKS = new ConcurrentHashMap<>();
    /** One lock per timing cache file, for its read-merge-write. */
    private static final ConcurrentHashMap<String, Object> TIMING_LOCKS = new ConcurrentHashMap<>();

    private final String description;
    private final String modelSha256;
    private final ModelSpec spec;
    private final CudaDevice device;
    private final EngineSettings settings;
    private final Optional<PixelShuffleTail> tail;
    private final EngineCache cache;
    private final Consumer<String> notices;
    private final TensorRtLogger logger;
    private final EngineBuilder builder;
    private final String tensorRtVersion;
    private IRuntime runtime;

    /**
     * The engines of {@code onnx} (described by {@code spec}, as ONNX Runtime reads it) on
     * {@code device}, which the caller keeps open for as long as this. TensorRT must be available.
     * With {@code tail} (and {@link EngineSettings#shuffleInKernel}) the engines end at its body.
     */
    TensorRtEngines(String description, byte[] onnx, ModelSpec spec, CudaDevice device, EngineSettings settings,
                    Optional<PixelShuffleTail> tail, EngineCache cache, Consumer<String> notices) {
        if (tail.isPresent() != settings.shuffleInKernel()) {
            throw new IllegalArgumentException("a pixel-shuffle tail goes with settings that end engines before it");
        }
        this.description = description;
        this.modelSha256 = EngineCacheKey.sha256Hex(onnx);
        this.spec = spec;
        this.device = device;
        this.settings = settings;
        this.tail = tail;
        this.cache = cache;
        this.notices = notices;
        this.logger = TensorRtLogger.get();
        this.builder = new EngineBuilder(logger, device, description, onnx, spec, settings, tail);
        this.tensorRtVersion = TensorRtRuntime.version();
    }

    EngineCacheKey key(ShapeProfile profile) {
        return EngineCacheKey.ofModelDigest(modelSha256, device.name(), device.computeCapability(), tensorRtVersion,
                spec.precision(), profile, settings);
    }

    EngineCache cache() {
        return cache;
    }

    /**
     * The engine for {@code profile}: from the cache, or built (and cached) now. The device must be
     * bound to the calling thread. The caller owns the result.
     */
    TrtEngine obtain(ShapeProfile profile) {
        EngineCacheKey key = key(profile);
        synchronized (ENTRY_LOCKS.computeIfAbsent(cache.path(key).toString(), k -> new Object())) {
            Optional<TrtEngine> cached = fromCache(key);
            if (cached.isPresent()) {
                return cached.get();
            }
            try (EngineCache.BuildLock held = cache.lock(key)) {
                cached = fromCache(key); // another process may have built it while this one waited
                if (cached.isPresent()) {
                    return cached.get();
                }
                return build(key);
            }
        }
    }

    private Optional<TrtEngine> fromCache(EngineCacheKey key) {
        Optional<byte[]> plan = cache.load(key);
        if (plan.isEmpty()) {
            return Optional.empty();
        }
        ICudaEngine e = deserialize(plan.get());
        if (e == null) {
            LOG.warn("TensorRT cannot deserialize cached engine {}; deleting it and rebuilding", cache.path(key));
            cache.remove(key);
            return Optional.empty();
        }
        LOG.info("TensorRT engine for {} loaded from cache: {}", key.profile(), cache.path(key));
        return Optional.of(TrtEngine.checked(e, key, true, 0, spec, tail, description));
    }

    private TrtEngine build(EngineCacheKey key) {
        ShapeProfile profile = key.profile();
        notices.accept("building a TensorRT engine for " + profile.width() + "x" + profile.height() + " "
                + spec.precision() + (profile.maxBatch() > 1 ? " (batches up to " + profile.maxBatch() + ")" : "")
                + ", first time only; cache in " + cache.directory());
        Path timingFile = cache.timingCachePath(device.name(), device.computeCapability(), tensorRtVersion);
        EngineBuilder.Built built;
        synchronized (DEVICE_LOCKS.computeIfAbsent(device.index(), k -> new Object())) {
            byte[] timings = cache.loadTimingCache(timingFile).orElse(new byte[0]);
            built = builder.build(profile, timings);
            storeTimingCache(timingFile, timings, built.timingCache());
        }
        notices.accept(String.format(Locale.ROOT, "TensorRT engine built in %.1f s", built.nanos() / 1e9));
        try {
            cache.store(key, built.plan());
        } catch (UncheckedIOException e) {
            LOG.warn("{}; the engine is used but will be rebuilt next time", e.getMessage());
        }
        long mark = logger.messages().mark();
        ICudaEngine e = deserialize(built.plan());
        if (e == null) {
            throw new EngineError(ErrorCode.BACKEND_UNAVAILABLE, "TensorRT built an engine for model " + description
                    + " on " + device + " that it cannot load." + logger.messages().summarySince(mark,
                    EngineBuilder.MESSAGE_TAIL) + " Use --backend cuda");
        }
        return TrtEngine.checked(e, key, false, built.nanos(), spec, tail, description);
    }

    /**
     * Stores the timing cache after a build that started from {@code before}: merged with what
     * another process stored meanwhile. A failure only costs the next build time.
     */
    private void storeTimingCache(Path file, byte[] before, byte[] after) {
        if (after.length == 0 || Arrays.equals(before, after)) {
            return;
        }
        synchronized (TIMING_LOCKS.computeIfAbsent(file.toString(), k -> new Object())) {
            try (EngineCache.BuildLock held = cache.lockTimingCache(file)) {
                byte[] now = cache.loadTimingCache(file).orElse(new byte[0]);
                byte[] merged = after;
                if (now.length > 0 && !Arrays.equals(now, before)) {
                    byte[] both = EngineBuilder.combine(logger, now, after);
                    merged = both.length > 0 ? both : after;
                }
                cache.storeTimingCache(file, merged);
            } catch (UncheckedIOException e) {
                LOG.warn("{}; the next engine build will measure its kernels again", e.getMessage());
            }
        }
    }

    /** The engine in {@code plan}, or null (logged) if TensorRT refuses it. */
    private ICudaEngine deserialize(byte[] plan) {
        IRuntime rt = runtime();
        long mark = logger.messages().mark();
        try (BytePointer bytes = new BytePointer(plan)) {
            ICudaEngine e = rt.deserializeCudaEngine(bytes, plan.length);
            if (e == null || e.isNull()) {
                LOG.warn("TensorRT could not deserialize a {}-byte engine.{}", plan.length,
                        logger.messages().summarySince(mark, EngineBuilder.MESSAGE_TAIL));
                return null;
            }
            return e;
        } catch (RuntimeException ex) {
            LOG.warn("TensorRT could not deserialize a {}-byte engine: {}", plan.length, ex.toString());
            return null;
        }
    }

    private IRuntime runtime() {
        if (runtime == null) {
            long mark = logger.messages().mark();
            IRuntime rt = nvinfer.createInferRuntime(logger);
            if (rt == null || rt.isNull()) {
                throw new EngineError(ErrorCode.BACKEND_UNAVAILABLE, "TensorRT cannot create a runtime on " + device
                        + "." + logger.messages().summarySince(mark, EngineBuilder.MESSAGE_TAIL) + " Use --backend cuda");
            }
            runtime = rt;
        }
        return runtime;
    }

    /** Deletes the runtime; every engine obtained must be closed first. */
    @Override
    public void close() {
        TrtRelease.delete(runtime, "the TensorRT runtime");
        runtime = null;
    }
}
