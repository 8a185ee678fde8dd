package org.videoforge.job.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.codec.RawInputHint;
import org.videoforge.codec.VideoWriter;
import org.videoforge.codec.nvenc.NvencProbe;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.frame.Precision;
import org.videoforge.frame.VideoCodec;
import org.videoforge.inference.BackendKind;
import org.videoforge.inference.InferenceBackend;
import org.videoforge.inference.backends.InferenceBackends;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.ModelSpec;

/**
 * Checks everything that can be checked before a job starts -- input, model, output, encoder --
 * so that bad input fails in a second with its code and nothing is written.
 */
final class RunPlanner {
    private RunPlanner() {
    }

    static RunPlan plan(UpscaleCommand cmd) {
        Precision precision = Precision.parse(cmd.precision);
        MediaInfo source = MediaProbe.probe(cmd.input, rawHint(cmd));

        Path output = cmd.output.toAbsolutePath();
        if (output.equals(cmd.input.toAbsolutePath())) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "output " + output + " would overwrite the input");
        }
        Path dir = output.getParent();
        if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new EngineError(ErrorCode.OUTPUT_WRITE_FAILED, "output directory " + dir
                    + " does not exist or is not writable");
        }
        VideoWriter.containerFormatFor(output);
        VideoCodec outputCodec = cmd.outputCodec == null ? source.video().codec() : VideoCodec.parse(cmd.outputCodec);
        VideoWriter.checkEncoderAvailable(outputCodec, source.video().pixelFormat());

        ModelRef model = ModelRef.of(cmd.model);
        ModelSpec spec;
        // The model is read on the CPU whatever the backend: quick, and it needs no GPU memory.
        try (InferenceBackend probe = InferenceBackends.open(BackendKind.CPU, model, precision, cmd.device, 1)) {
            spec = probe.model();
        }
        PipelineConfig.Builder settings = PipelineConfig.builder()
                .model(model)
                .precision(precision)
                .device(cmd.device)
                .vramLimitBytes(cmd.vramLimitMb * 1024 * 1024)
                .encoderThreads(cmd.encoderThreads)
                .encoderPreset(cmd.encoderPreset)
                .maxBatch(cmd.maxBatch)
                .batchDeadlineMicros(cmd.batchDeadlineMicros)
                .tileSize(cmd.tileSize)
                .tileOverlap(cmd.tileOverlap);
        settings.build(); // the flags are checked before a TensorRT engine build, which can take a minute
        BackendChoice backend = BackendChoice.resolve(cmd.backend, cmd.device, new BackendChoice.EngineTarget(model,
                precision, source.video().width(), source.video().height(), cmd.maxBatch, cmd.tileSize),
                System.out::println);
        PipelineConfig config = settings.backend(backend.kind()).build();
        VideoTask task = new VideoTask(output.getFileName().toString(), source, output, outputCodec);
        // A GPU run asks the driver for NVENC once, at start-up, and says which encoder it will use.
        String encoderNote = backend.kind() == BackendKind.CPU ? null
                : NvencProbe.probe(cmd.device).encoderNote(outputCodec.softwareEncoder());
        return new RunPlan(task, config, spec, backend.note(), encoderNote);
    }

    private static RawInputHint rawHint(UpscaleCommand cmd) {
        if (!RawInputHint.isRawBitstreamPath(cmd.input)) {
            return null;
        }
        if (cmd.rawCodec == null || cmd.rawWidth == null || cmd.rawHeight == null) {
            throw new EngineError(ErrorCode.RAW_STREAM_NEEDS_GEOMETRY, "raw bitstream " + cmd.input
                    + " needs --codec, --width and --height");
        }
        if (cmd.rawWidth <= 0 || cmd.rawHeight <= 0) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "--width and --height must be positive");
        }
        return new RawInputHint(VideoCodec.parse(cmd.rawCodec), cmd.rawWidth, cmd.rawHeight);
    }
}
