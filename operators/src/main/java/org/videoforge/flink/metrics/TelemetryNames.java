package org.videoforge.flink.metrics;

/**
 * Names of the accumulators the pipeline publishes; the CLI's telemetry summary reads them back.
 * The Flink metric names are the same without the prefix, under each operator's metric group.
 */
public final class TelemetryNames {
    public static final String PREFIX = "videoforge.";
    public static final String FRAMES_DECODED = PREFIX + "frames.decoded";
    public static final String FRAMES_ENCODED = PREFIX + "frames.encoded";
    public static final String VIDEOS_COMPLETED = PREFIX + "videos.completed";
    public static final String POOL_HITS = PREFIX + "pool.hits";
    public static final String POOL_MISSES = PREFIX + "pool.misses";
    public static final String HOST_COPIES = PREFIX + "host.copies";
    public static final String DECODE_QUEUE_PEAK = PREFIX + "queue.decode.peak";
    public static final String ENCODE_QUEUE_PEAK = PREFIX + "queue.encode.peak";
    public static final String BACKEND = PREFIX + "backend";
    /** Model runs of the inference stage (a micro-batch or a tiled frame is one). */
    public static final String INFERENCE_RUNS = PREFIX + "inference.runs";
    /**
     * Wall-clock milliseconds at which the first frame, and the last (its file finished), left the
     * encoder: the steady-state rate between them leaves start-up out.
     */
    public static final String ENCODE_FIRST_MILLIS = PREFIX + "encode.first.ms";
    public static final String ENCODE_LAST_MILLIS = PREFIX + "encode.last.ms";

    /** Stages in pipeline order; latency accumulators are {@code latency(stage)}. */
    public static final String[] STAGES = {"decode", "preprocess", "inference", "encode"};

    private TelemetryNames() {
    }

    public static String latency(String stage) {
        return PREFIX + "latency." + stage;
    }
}
