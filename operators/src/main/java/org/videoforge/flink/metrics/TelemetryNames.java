package org.videoforge.flink.metrics;

/**
 * Names of what the pipeline publishes. The accumulators ({@code videoforge.*} strings) come back
 * with the job's result, and the CLI's telemetry summary reads them. The Flink metrics
 * ({@link Metrics}) are registered in the operators' metric groups and reach reporters such as
 * Prometheus (see {@link Metrics} for the exported names).
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
    /**
     * Nanoseconds the task thread spent blocked waiting for a model run to finish, and for room in
     * the encode queue: which of the GPU and the encoder holds the chain back (neither: the task
     * thread's own decode hand-off and preprocessing do).
     */
    public static final String INFERENCE_WAIT_NANOS = PREFIX + "wait.inference.ns";
    public static final String ENCODE_WAIT_NANOS = PREFIX + "wait.encode.ns";

    /** Pictures the decoders decoded (decode order, shown or not): above frames decoded when segments seek. */
    public static final String PICTURES_DECODED = PREFIX + "pictures.decoded";
    /**
     * What starting segments costs: segments decoded, and nanoseconds summed over them for opening
     * the input (0 where a slot's decoder went on from the previous segment of the same video), for
     * the seek and first frame, for opening the encoder, and for finishing the segment's file (the
     * encoder's flush, the trailer).
     */
    public static final String SEGMENTS_STARTED = PREFIX + "segments.started";
    /** Segments whose input the slot opened (the others went on with the previous segment's decoder). */
    public static final String SEGMENT_INPUTS_OPENED = PREFIX + "segments.inputs-opened";
    public static final String SEGMENT_OPEN_NANOS = PREFIX + "segments.open.ns";
    public static final String SEGMENT_FIRST_FRAME_NANOS = PREFIX + "segments.first-frame.ns";
    public static final String ENCODER_OPEN_NANOS = PREFIX + "encoder.open.ns";
    public static final String ENCODER_FINISH_NANOS = PREFIX + "encoder.finish.ns";
    /** Files (videos, segments) the encoder opened: what the open and finish times are summed over. */
    public static final String ENCODER_FILES = PREFIX + "encoder.files";
    /** The longest gaps between frames into the encoder ({@link FrameGaps}): where a run stalled. */
    public static final String ENCODE_GAPS = PREFIX + "encode.gaps";

    /** Stages in pipeline order; latency accumulators are {@code latency(stage)}. */
    public static final String[] STAGES = {"decode", "preprocess", "inference", "encode"};

    private TelemetryNames() {
    }

    public static String latency(String stage) {
        return PREFIX + "latency." + stage;
    }

    /**
     * Flink metric names. Every metric lives in the operator's group {@value #GROUP}; per-stage
     * metrics one level down in the key/value group {@value #STAGE_KEY}={@code <stage>}, pool
     * metrics in {@value #POOL_KEY}={@code <pool>}. Flink's Prometheus reporter turns the groups'
     * keys into the name and their values into labels:
     * {@code flink_taskmanager_job_task_operator_videoforge_stage_latencyNanos{stage="inference",quantile="0.99",...}}.
     * Frames in and out of the pipeline are {@link #FRAMES} of the first and last stage
     * ({@code stage="decode"} and {@code stage="encode"}).
     */
    public static final class Metrics {
        public static final String GROUP = "videoforge";
        public static final String STAGE_KEY = "stage";
        public static final String POOL_KEY = "pool";

        /** Per stage: histogram of per-frame latency over the last frames (p50, p99, ... as quantiles). */
        public static final String LATENCY = "latencyNanos";
        /** Per stage: mean latency over the same window as {@link #LATENCY}. */
        public static final String LATENCY_AVG = "latencyAvgNanos";
        /** Per stage: peak (maximum) latency over the same window as {@link #LATENCY}. */
        public static final String LATENCY_PEAK = "latencyPeakNanos";
        /** Per stage: frames through the stage (counter). */
        public static final String FRAMES = "frames";
        /** Per stage with a queue (decode: decoded, not yet preprocessed; encode: waiting for the encoder). */
        public static final String QUEUE_DEPTH = "queueDepth";
        /** Per stage: buffer leases served from the pool (counter). */
        public static final String POOL_HITS = "poolHits";
        /** Per stage: buffer leases that had to allocate (counter; should stop growing after warm-up). */
        public static final String POOL_MISSES = "poolMisses";
        /** Per stage: host<->device frame copies so far (0 on the CPU path). */
        public static final String HOST_COPIES = "hostCopies";
        /** Inference stage: frames per model run (histogram). */
        public static final String BATCH_SIZE = "batchSize";
        /** Per pool ("host", "cuda:N" = VRAM): bytes the pool holds, leased or idle. */
        public static final String POOL_HELD_BYTES = "heldBytes";
        /** Per pool: the ceiling ({@code --vram-limit}); 0 where there is none. */
        public static final String POOL_LIMIT_BYTES = "limitBytes";
        /** Segments (staged outputs) committed, in the group {@value #GROUP} of the committing operator (counter). */
        public static final String SEGMENTS_COMMITTED = "segmentsCommitted";

        private Metrics() {
        }
    }
}
