package org.videoforge.job.options;

import java.util.Locale;
import java.util.function.Consumer;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.inference.BackendKind;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.tensorrt.TensorRtBackend;
import org.videoforge.inference.tensorrt.TensorRtOptions;
import org.videoforge.inference.tensorrt.TensorRtRuntime;

/** {@code --backend}: what was asked, what runs, and what to tell the user about the choice. */
public final class BackendChoice {
    private final BackendKind kind;
    private final String note;

    private BackendChoice(BackendKind kind, String note) {
        this.kind = kind;
        this.note = note;
    }

    public BackendKind kind() {
        return kind;
    }

    /** A line for the user about the choice (made for them, or where TensorRT came from), else null. */
    public String note() {
        return note;
    }

    /**
     * The first engine the run needs: the model at the input's frame size, or at the tile size when
     * {@code --tile} cuts the frames, for batches up to {@code --max-batch} where the model allows.
     */
    public record EngineTarget(ModelRef model, Precision precision, int width, int height, int maxBatch, int tileSize) {
        int engineWidth() {
            return tiled() ? Math.min(width, tileSize) : width;
        }

        int engineHeight() {
            return tiled() ? Math.min(height, tileSize) : height;
        }

        private boolean tiled() {
            return tileSize > 0 && (width > tileSize || height > tileSize);
        }
    }

    /**
     * Resolves {@code requested}. TensorRT (asked for, or tried by auto) builds or loads its first
     * engine here, in the client, saying so through {@code notices} when it builds: a GPU where
     * TensorRT cannot build fails (or auto falls back) before the job starts, and the job's
     * operator then finds the engine in the cache.
     */
    public static BackendChoice resolve(String requested, int device, EngineTarget target, Consumer<String> notices) {
        String r = requested.toLowerCase(Locale.ROOT);
        if (r.equals("auto")) {
            return auto(device, target, notices);
        }
        BackendKind kind = parse(r);
        if (kind == BackendKind.TENSORRT) {
            TensorRtRuntime.require();
        }
        if (kind != BackendKind.CPU) {
            CudaRuntime.requireDevice(device);
        }
        if (kind == BackendKind.TENSORRT) {
            prepareEngine(device, target, notices);
            return new BackendChoice(kind, "backend tensorrt: " + TensorRtRuntime.describe());
        }
        return new BackendChoice(kind, null);
    }

    /**
     * The kind {@code requested} resolves to as far as it is known before the model is (auto: a GPU
     * backend where CUDA has a usable device), to pick the default model; an invalid name gives CPU
     * here and its error from {@link #resolve}.
     */
    static BackendKind expected(String requested) {
        String r = requested.toLowerCase(Locale.ROOT);
        if (r.equals("auto")) {
            return CudaRuntime.available() ? BackendKind.CUDA : BackendKind.CPU;
        }
        return r.equals("cuda") || r.equals("tensorrt") ? BackendKind.parse(r) : BackendKind.CPU;
    }

    /**
     * Resolves {@code requested} for a job submitted to a cluster, whose GPUs this client need not
     * have: an explicit backend is taken as asked (each TaskManager checks it on its first frame,
     * with the same codes); auto is cuda where this client sees a GPU, else cpu.
     */
    public static BackendChoice forCluster(String requested) {
        String r = requested.toLowerCase(Locale.ROOT);
        if (r.equals("auto")) {
            BackendKind kind = expected(r);
            return new BackendChoice(kind, "backend auto on a cluster: " + kind.cliName()
                    + " (as this client's GPU; --backend names the TaskManagers' backend)");
        }
        return new BackendChoice(parse(requested), null);
    }

    private static BackendKind parse(String requested) {
        try {
            return BackendKind.parse(requested.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "--backend must be auto, cpu, cuda or tensorrt, not "
                    + requested);
        }
    }

    /** The best that works here: TensorRT if it can build an engine, else ONNX Runtime CUDA, else CPU. */
    private static BackendChoice auto(int device, EngineTarget target, Consumer<String> notices) {
        if (!CudaRuntime.available()) {
            return new BackendChoice(BackendKind.CPU,
                    "backend auto: no usable CUDA device (" + CudaRuntime.unavailableReason() + "); using cpu");
        }
        CudaRuntime.requireDevice(device);
        if (!TensorRtRuntime.available()) {
            return new BackendChoice(BackendKind.CUDA, "backend auto: TensorRT is not available ("
                    + TensorRtRuntime.unavailableReason() + "); using ONNX Runtime CUDA on device " + device);
        }
        try {
            prepareEngine(device, target, notices);
            return new BackendChoice(BackendKind.TENSORRT, "backend auto: using TensorRT on device " + device + " ("
                    + TensorRtRuntime.describe() + ")");
        } catch (EngineError e) {
            if (e.code() != ErrorCode.BACKEND_UNAVAILABLE) {
                throw e;
            }
            return new BackendChoice(BackendKind.CUDA, "backend auto: " + e.getMessage()
                    + "; falling back to ONNX Runtime CUDA on device " + device);
        }
    }

    /** Loads the first engine from the cache, or builds and caches it (with the job's own options). */
    private static void prepareEngine(int device, EngineTarget t, Consumer<String> notices) {
        TensorRtOptions options = TensorRtOptions.defaults().withBatchesUpTo(t.maxBatch()).withNotices(notices);
        try (TensorRtBackend engine = TensorRtBackend.open(t.model(), t.precision(), device, options)) {
            engine.prepare(t.engineHeight(), t.engineWidth());
        }
    }
}
