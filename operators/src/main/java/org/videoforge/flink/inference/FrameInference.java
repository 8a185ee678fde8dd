package org.videoforge.flink.inference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.videoforge.device.FrameDevice;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.metrics.StageMetrics;
import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.frame.Precision;
import org.videoforge.inference.BatchedInference;
import org.videoforge.inference.InferenceBackend;
import org.videoforge.inference.ModelSpec;
import org.videoforge.inference.PendingRun;
import org.videoforge.inference.tiling.TilePlan;
import org.videoforge.inference.tiling.TileSizing;
import org.videoforge.inference.tiling.TiledInference;
import org.videoforge.memory.FrameBuffer;

/**
 * Runs the model over a batch of envelopes and gives each its own upscaled tensor: one frame alone,
 * several frames as one batch ({@link BatchedInference}), or a frame in tiles ({@link TiledInference})
 * when {@code --tile} asks for it or the {@code --vram-limit} budget has no room for a whole frame
 * (decided once per frame size, on its first frame). Tiled frames run one at a time.
 */
final class FrameInference {
    private static final Logger LOG = LoggerFactory.getLogger(FrameInference.class);

    private final ModelBackends backends;
    private final FrameDevice device;
    private final PipelineConfig config;
    private final StageMetrics metrics;
    /** Per model, precision and frame size: the tile plan, or null for whole frames. */
    private final Map<String, TilePlan> plans = new HashMap<>();

    FrameInference(ModelBackends backends, FrameDevice device, PipelineConfig config, StageMetrics metrics) {
        this.backends = backends;
        this.device = device;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Queues the model over {@code batch} with the model its video asked for (the frames of one
     * batch share it, see FrameBatcher). Whole single frames are only queued ({@link
     * InferenceBackend#submit}: on a GPU the run computes while the caller goes on); micro-batches
     * and tiles, which copy between tensors around the run, finish before this returns. On failure
     * closes the frames and rethrows.
     */
    LaunchedBatch launch(List<FrameEnvelope> batch) {
        InferenceBackend backend = backends.get(batch.get(0).video().model(config.model()),
                batch.get(0).video().precision(config.precision()));
        ModelSpec model = backend.model();
        Precision p = model.precision();
        int s = model.scale();
        int w = batch.get(0).width();
        int h = batch.get(0).height();
        List<FrameBuffer> outputs = new ArrayList<>();
        try {
            for (int i = 0; i < batch.size(); i++) {
                outputs.add(metrics.leased(device.acquire(p.tensorBytes(1, h * s, w * s))));
            }
            return new LaunchedBatch(batch, outputs, run(backend, batch, outputs, w, h), w * s, h * s);
        } catch (RuntimeException e) {
            outputs.forEach(FrameBuffer::close);
            batch.forEach(FrameEnvelope::close);
            throw e;
        }
    }

    private PendingRun run(InferenceBackend backend, List<FrameEnvelope> batch, List<FrameBuffer> outputs,
                           int w, int h) {
        TilePlan plan = planFor(backend, w, h);
        if (plan == null && batch.size() == 1) {
            return backend.submit(batch.get(0).payload(), outputs.get(0), 1, h, w);
        }
        long t0 = System.nanoTime();
        if (plan != null) {
            for (int i = 0; i < batch.size(); i++) {
                TiledInference.run(backend, device, plan, batch.get(i).payload(), outputs.get(i), h, w);
            }
        } else if (!backend.model().dynamicBatch()) {
            for (int i = 0; i < batch.size(); i++) {
                backend.run(batch.get(i).payload(), outputs.get(i), 1, h, w);
            }
        } else {
            List<FrameBuffer> inputs = new ArrayList<>();
            batch.forEach(e -> inputs.add(e.payload()));
            BatchedInference.run(backend, device, inputs, outputs, h, w);
        }
        return PendingRun.completed(System.nanoTime() - t0);
    }

    /** Records a finished batch's frames in the stage's metrics. */
    void record(LaunchedBatch batch) {
        metrics.batchOf(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            metrics.frame(batch.nanosPerFrame());
        }
    }

    private TilePlan planFor(InferenceBackend backend, int w, int h) {
        ModelSpec model = backend.model();
        String key = model.precision() + " " + model.scale() + "x " + w + "x" + h;
        if (plans.containsKey(key)) {
            return plans.get(key);
        }
        int tile = config.tileSize();
        String why = "--tile " + tile;
        if (tile == 0) {
            tile = TileSizing.autoTile(w, h, model.scale(), model.precision(), device.memoryBudget(),
                    config.tileOverlap());
            why = "the --vram-limit budget has no room for a whole " + key + " frame";
        }
        TilePlan plan = tile > 0 && (w > tile || h > tile)
                ? TilePlan.of(w, h, tile, config.tileOverlap(), model.scale()) : null;
        if (plan != null) {
            LOG.info("Inferring {} frames in {} ({})", key, plan, why);
        }
        plans.put(key, plan);
        return plan;
    }
}
