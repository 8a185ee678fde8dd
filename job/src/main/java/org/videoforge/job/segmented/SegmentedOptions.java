package org.videoforge.job.segmented;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.videoforge.codec.EncoderSettings;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.flink.segment.SegmentPlanner;
import org.videoforge.frame.Precision;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.inference.BackendKind;
import org.videoforge.inference.ModelRef;
import picocli.CommandLine.Option;

/** Flags the segmented jobs ({@code stream}, {@code batch}) share. */
final class SegmentedOptions {
    @Option(names = "--staging", required = true, paramLabel = "DIR",
            description = "Where segments are staged and committed: storage every TaskManager shares, "
                    + "on the same filesystem as the outputs.")
    Path staging;

    @Option(names = {"-m", "--model"}, paramLabel = "MODEL", defaultValue = ModelRef.DEFAULT_BUNDLED,
            description = "Default model, for requests that name none (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = {"-p", "--precision"}, paramLabel = "fp32|fp16", defaultValue = "fp32",
            description = "Default tensor precision (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(names = "--backend", paramLabel = "auto|cpu|cuda|tensorrt", defaultValue = "auto",
            description = "Inference backend of every slot; auto = cuda where this client sees a GPU, else cpu "
                    + "(default: ${DEFAULT-VALUE}). tensorrt builds each frame size's engine on its first frame "
                    + "(cached on the TaskManager's host).")
    String backend;

    @Option(names = {"-d", "--device"}, paramLabel = "N", defaultValue = "0",
            description = "CUDA device in local mode (on clusters each slot gets its GPU from Flink) "
                    + "(default: ${DEFAULT-VALUE}).")
    int device;

    @Option(names = "--devices", split = ",", paramLabel = "N[,N...]",
            description = "CUDA devices the local frame-path slots spread over (slot k on the k-th, in turn); "
                    + "the default slot count becomes their number. Replaces -d. Clusters: one GPU per "
                    + "TaskManager from Flink's external resource gpu.")
    List<Integer> devices = List.of();

    @Option(names = "--vram-limit", paramLabel = "MB", defaultValue = "0",
            description = "Device memory ceiling per slot; 0 = none (default: ${DEFAULT-VALUE}).")
    long vramLimitMb;

    @Option(names = "--encoder-threads", paramLabel = "N", defaultValue = "0",
            description = "Software encoder threads; 0 = automatic (default: ${DEFAULT-VALUE}).")
    int encoderThreads;

    @Option(names = "--encoder-preset", paramLabel = "PRESET", defaultValue = EncoderSettings.DEFAULT_PRESET,
            description = "x264/x265 preset (ultrafast ... veryslow). Default: ${DEFAULT-VALUE}.")
    String encoderPreset;

    @Option(names = "--inference-threads", paramLabel = "N", defaultValue = "0",
            description = "CPU backend: ONNX Runtime threads per slot; 0 = all cores (default: ${DEFAULT-VALUE}).")
    int inferenceThreads;

    @Option(names = "--segment-seconds", paramLabel = "S", defaultValue = "" + SegmentPlanner.DEFAULT_SEGMENT_SECONDS,
            description = "Target segment length; segments start on keyframes (default: ${DEFAULT-VALUE}).")
    double segmentSeconds;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "0",
            description = "Frame-path slots (one per GPU); 0 = the cluster's default, locally one per --devices entry "
                    + "or 1 (default: ${DEFAULT-VALUE}).")
    int parallelism;

    /** Frame-path slots of the embedded cluster: --parallelism, else one per --devices entry, else 1. */
    int localSlots() {
        return parallelism > 0 ? parallelism : Math.max(1, devices.size());
    }

    /** The frame path's settings; flags it rejects are INVALID_ARGUMENT, before any job starts. */
    PipelineConfig pipelineConfig() {
        try {
            return PipelineConfig.builder()
                    .model(ModelRef.of(model))
                    .precision(Precision.parse(precision))
                    .backend(backendKind())
                    .devices(devices.isEmpty() ? List.of(device) : devices)
                    .vramLimitBytes(vramLimitMb * 1024 * 1024)
                    .encoderThreads(encoderThreads)
                    .encoderPreset(encoderPreset)
                    .inferenceThreads(inferenceThreads)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e);
        }
    }

    private BackendKind backendKind() {
        String b = backend.toLowerCase(Locale.ROOT);
        if (b.equals("auto")) {
            return CudaRuntime.available() ? BackendKind.CUDA : BackendKind.CPU;
        }
        try {
            return BackendKind.parse(b);
        } catch (IllegalArgumentException e) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "--backend must be auto, cpu, cuda or tensorrt, not "
                    + backend);
        }
    }
}
