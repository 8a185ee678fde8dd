package org.videoforge.job.options;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.videoforge.codec.EncoderSettings;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.frame.Precision;
import org.videoforge.inference.ModelRef;
import picocli.CommandLine.Option;

/**
 * The frame path's flags, one set for every command that runs it ({@code videoforge}, {@code stream},
 * {@code batch}): model and precision, backend and devices, memory, micro-batches and tiles, the
 * encoder. Builds the one {@link PipelineConfig}; the backend is resolved the same way everywhere
 * ({@link BackendChoice}). A picocli mixin.
 */
public final class FramePathOptions {
    /** What TensorRT's first engine is built for when no input is known yet (the segmented jobs). */
    static final int PROBE_SIZE = 256;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
            description = "ONNX model file, or a bundled model name (`videoforge models` lists them with their"
                    + " scale, speed and quality); for stream and batch, the model of requests that name none."
                    + " Default: " + ModelRef.DEFAULT_GPU + " on a GPU backend (beats bicubic at x2 on clean input), "
                    + ModelRef.DEFAULT_BUNDLED + " on the CPU (faster, below bicubic).")
    String model;

    @Option(names = {"-p", "--precision"}, paramLabel = "fp32|fp16", defaultValue = "fp32",
            description = "Tensor precision; must match the model (bundled models have both). Default: ${DEFAULT-VALUE}.")
    String precision;

    @Option(names = "--backend", paramLabel = "auto|cpu|cuda|tensorrt", defaultValue = "auto",
            description = "Inference backend. auto: TensorRT where its libraries load and an engine builds, else"
                    + " ONNX Runtime CUDA where this process sees a GPU, else the CPU. Default: ${DEFAULT-VALUE}.")
    String backend;

    @Option(names = {"-d", "--device"}, paramLabel = "N", defaultValue = "0",
            description = "CUDA device in local mode (on clusters each slot gets its GPU from Flink). Default: ${DEFAULT-VALUE}.")
    int device;

    @Option(names = "--devices", split = ",", paramLabel = "N[,N...]",
            description = "CUDA devices the local frame-path slots spread over (slot k on the k-th, in turn; one"
                    + " chain runs on the first); stream and batch get a slot per device unless --parallelism says"
                    + " otherwise. Replaces -d.")
    List<Integer> devices = List.of();

    @Option(names = "--vram-limit", paramLabel = "MB", defaultValue = "0",
            description = "Ceiling on device memory each chain may hold, in MB; beyond it is E3001; 0: none. Default: ${DEFAULT-VALUE}.")
    long vramLimitMb;

    @Option(names = "--inference-threads", paramLabel = "N", defaultValue = "0",
            description = "CPU backend: ONNX Runtime threads per chain; 0: all cores. Default: ${DEFAULT-VALUE}.")
    int inferenceThreads;

    @Option(names = "--max-batch", paramLabel = "N", defaultValue = "" + PipelineConfig.DEFAULT_MAX_BATCH,
            description = "Frames inferred together in one run (micro-batching). Default: ${DEFAULT-VALUE}.")
    int maxBatch;

    @Option(names = "--batch-deadline-us", paramLabel = "US", defaultValue = "" + PipelineConfig.DEFAULT_BATCH_DEADLINE_MICROS,
            description = "Longest a frame waits for its batch to fill before a partial batch runs, in"
                    + " microseconds (millisecond resolution). Default: ${DEFAULT-VALUE}.")
    long batchDeadlineMicros;

    @Option(names = "--tile", paramLabel = "PX", defaultValue = "0",
            description = "Infer frames in overlapping tiles of PX x PX input pixels, blended without seams"
                    + " (0: only when the --vram-limit budget is too small for a whole frame). Default: ${DEFAULT-VALUE}.")
    int tileSize;

    @Option(names = "--tile-overlap", paramLabel = "PX", defaultValue = "" + PipelineConfig.DEFAULT_TILE_OVERLAP,
            description = "Overlap of neighbouring tiles in input pixels. Default: ${DEFAULT-VALUE}.")
    int tileOverlap;

    @Option(names = "--encoder-threads", paramLabel = "N", defaultValue = "0",
            description = "Threads of the software encoder; 0: automatic. Default: ${DEFAULT-VALUE}.")
    int encoderThreads;

    @Option(names = "--encode-queue", paramLabel = "N", defaultValue = "" + PipelineConfig.DEFAULT_ENCODE_QUEUE,
            description = "Upscaled frames that may wait for the encoder (device memory on a GPU; at most 512 MiB"
                    + " of them, but always 4): room for the software encoder's stalls."
                    + " Default: ${DEFAULT-VALUE}.")
    int encodeQueue;

    @Option(names = "--encoder-preset", paramLabel = "PRESET", defaultValue = EncoderSettings.DEFAULT_PRESET,
            description = "x264/x265 preset (ultrafast ... veryslow): faster presets encode more frames per second"
                    + " at a larger file for the same quality. Default: ${DEFAULT-VALUE}.")
    String encoderPreset;

    /** {@code -m}, else the default of the backend {@code --backend} will resolve to (ModelRef.defaultFor). */
    public ModelRef model() {
        return ModelRef.of(model != null ? model : ModelRef.defaultFor(BackendChoice.expected(backend)));
    }

    /** @throws EngineError INVALID_ARGUMENT for a precision that is not fp32 or fp16 */
    public Precision precision() {
        return checked(() -> Precision.parse(precision));
    }

    /** The device of a single chain: the first of {@code --devices}, else {@code -d}. */
    public int device() {
        return devices.isEmpty() ? device : devices.get(0);
    }

    /** How many devices were named with {@code --devices} (0: none). */
    public int devicesNamed() {
        return devices.size();
    }

    /**
     * Resolves the backend for the first engine {@code target} (TensorRT builds or loads it here) and
     * returns the pipeline's configuration with it: one rule for every command.
     *
     * @throws EngineError INVALID_ARGUMENT for flags the configuration refuses (checked before any
     *                     engine is built), or the backend's own errors
     */
    public Resolved resolve(int width, int height, Consumer<String> notices) {
        PipelineConfig.Builder settings = settings();
        build(settings); // the flags are checked before a TensorRT engine build, which can take a minute
        BackendChoice choice = BackendChoice.resolve(backend, device(), new BackendChoice.EngineTarget(model(),
                precision(), width, height, maxBatch, tileSize), notices);
        return new Resolved(build(settings.backend(choice.kind())), choice);
    }

    /** As {@link #resolve(int, int, Consumer)} before any input is known: TensorRT's first engine is a probe size's. */
    public Resolved resolveWithoutInput(Consumer<String> notices) {
        return resolve(PROBE_SIZE, PROBE_SIZE, notices);
    }

    /** For a job submitted to a cluster: the backend as {@link BackendChoice#forCluster} takes it. */
    public Resolved resolveForCluster() {
        BackendChoice choice = BackendChoice.forCluster(backend);
        return new Resolved(build(settings().backend(choice.kind())), choice);
    }

    /** The configuration and how its backend was chosen. */
    public record Resolved(PipelineConfig config, BackendChoice backend) {
    }

    /** @throws EngineError INVALID_ARGUMENT for flags the builder refuses */
    private PipelineConfig.Builder settings() {
        return checked(() -> PipelineConfig.builder()
                .model(model())
                .precision(precision())
                .devices(devices.isEmpty() ? List.of(device) : devices)
                .vramLimitBytes(vramLimitMb * 1024 * 1024)
                .inferenceThreads(inferenceThreads)
                .maxBatch(maxBatch)
                .batchDeadlineMicros(batchDeadlineMicros)
                .tileSize(tileSize)
                .tileOverlap(tileOverlap)
                .encodeQueue(encodeQueue)
                .encoderThreads(encoderThreads)
                .encoderPreset(encoderPreset));
    }

    private static PipelineConfig build(PipelineConfig.Builder settings) {
        return checked(settings::build);
    }

    /** The parsers and the builder refuse bad values with IllegalArgumentException: to the user, INVALID_ARGUMENT. */
    private static <T> T checked(Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException e) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e);
        }
    }
}
