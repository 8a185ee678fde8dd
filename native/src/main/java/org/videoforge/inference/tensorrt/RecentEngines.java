package org.videoforge.inference.tensorrt;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.inference.ModelSpec;
import org.videoforge.memory.AddressPointer;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.SharedPools;

/**
 * The engines of the input sizes a backend ran lately (a video's frames, its tiles, the next video's
 * frames), at most {@value #MAX_ENGINES}, least recently used evicted, each with one execution context
 * per stream, made on first use, whose activation memory (and, for an engine that ends before a
 * pixel-shuffle tail, the buffer of its output) is a lease from the device pool (so it counts
 * against {@code --vram-limit}). One owner, one thread at a time.
 */
final class RecentEngines implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecentEngines.class);
    static final int MAX_ENGINES = 3;

    private final TensorRtEngines engines;
    private final ModelSpec spec;
    private final int maxBatch;
    private final int streams;
    private final SharedPools.Handle pool;
    private final Runnable drain;
    private final TensorRtLogger logger;
    private final String description;
    /** By "WxH", least recently used first. */
    private final LinkedHashMap<String, Loaded> loaded = new LinkedHashMap<>(4, 0.75f, true);
    private Loaded current;

    /** One engine and its execution context on each stream. */
    static final class Loaded {
        final TrtEngine engine;
        private final Context[] contexts;

        Loaded(TrtEngine engine, int streams) {
            this.engine = engine;
            this.contexts = new Context[streams];
        }
    }

    /**
     * An execution context, its activation memory, the buffer its engine writes the tail's body to
     * (null without a tail: the engine writes the caller's output), and the batch its input shape is set to.
     */
    static final class Context {
        final IExecutionContext context;
        private final FrameBuffer activations;
        final FrameBuffer body;
        int boundBatch;

        Context(IExecutionContext context, FrameBuffer activations, FrameBuffer body) {
            this.context = context;
            this.activations = activations;
            this.body = body;
        }
    }

    /**
     * {@code drain} must wait for every run queued on the backend's streams: it is called before an
     * engine is evicted, since a run of its size may still be in flight.
     */
    RecentEngines(TensorRtEngines engines, ModelSpec spec, int maxBatch, int streams, SharedPools.Handle pool,
                  Runnable drain, String description) {
        this.engines = engines;
        this.spec = spec;
        this.maxBatch = maxBatch;
        this.streams = streams;
        this.pool = pool;
        this.drain = drain;
        this.logger = TensorRtLogger.get();
        this.description = description;
    }

    /** The engine for {@code height x width} input, loaded or built now if need be; it becomes current. */
    Loaded engineFor(int height, int width) {
        String size = width + "x" + height;
        Loaded l = loaded.get(size); // access order: now the most recently used
        if (l == null) {
            ShapeProfile profile = ShapeProfile.forVideo(spec, height, width, maxBatch);
            if (loaded.size() >= MAX_ENGINES) {
                Iterator<Map.Entry<String, Loaded>> eldest = loaded.entrySet().iterator();
                Loaded old = eldest.next().getValue();
                drain.run();
                eldest.remove();
                release(old);
            }
            l = new Loaded(engines.obtain(profile), streams);
            loaded.put(size, l);
            LOG.info("TensorRT engine ready: {}, activation memory {} MiB per stream", l.engine,
                    l.engine.activationBytes() >> 20);
        }
        current = l;
        return l;
    }

    /** The engine of the last {@link #engineFor}; null before the first. */
    Loaded current() {
        return current;
    }

    /** {@code l}'s context on stream {@code lane}, created with its activation memory on first use. */
    Context context(Loaded l, int lane) {
        if (l.contexts[lane] != null) {
            return l.contexts[lane];
        }
        long bytes = l.engine.activationBytes();
        // VRAM_EXHAUSTED from the pool's budget when --vram-limit has no room
        FrameBuffer activations = bytes > 0 ? pool.pool().acquire(bytes) : null;
        FrameBuffer body = null;
        try {
            long bodyBytes = l.engine.bodyBytes(spec.precision());
            body = bodyBytes > 0 ? pool.pool().acquire(bodyBytes) : null;
            long mark = logger.messages().mark();
            IExecutionContext context = l.engine.createContext();
            if (context == null || context.isNull()) {
                throw new EngineError(ErrorCode.INFERENCE_FAILED, "TensorRT cannot create an execution context for"
                        + " model " + description + "." + logger.messages().summarySince(mark,
                        EngineBuilder.MESSAGE_TAIL));
            }
            if (activations != null) {
                context.setDeviceMemoryV2(new AddressPointer(activations.address(), bytes), bytes);
            }
            l.contexts[lane] = new Context(context, activations, body);
            return l.contexts[lane];
        } catch (RuntimeException e) {
            if (activations != null) {
                activations.close();
            }
            if (body != null) {
                body.close();
            }
            throw e;
        }
    }

    /** Contexts, then their memory, then the engine. */
    private static void release(Loaded l) {
        for (int i = 0; i < l.contexts.length; i++) {
            Context c = l.contexts[i];
            if (c != null) {
                TrtRelease.delete(c.context, "a TensorRT execution context");
                if (c.activations != null) {
                    c.activations.close();
                }
                if (c.body != null) {
                    c.body.close();
                }
                l.contexts[i] = null;
            }
        }
        l.engine.close();
    }

    /** Releases every engine; runs must be finished (the owner drains its streams first). */
    @Override
    public void close() {
        loaded.values().forEach(RecentEngines::release);
        loaded.clear();
        current = null;
    }
}
