package org.videoforge.flink.plan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.codec.VideoWriter;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.frame.Precision;
import org.videoforge.frame.VideoCodec;
import org.videoforge.inference.BackendKind;
import org.videoforge.inference.InferenceBackend;
import org.videoforge.inference.backends.InferenceBackends;
import org.videoforge.inference.ModelRef;
import org.videoforge.inference.ModelSpec;

/**
 * Checks a piece of work before any of it is done, the same way whichever door it came through (the
 * CLI, the Kafka intake, a batch manifest), so that a request is accepted or refused with the same
 * code everywhere, in this order:
 * <ol>
 *   <li>the input exists (INPUT_NOT_FOUND) and is a video this engine reads (MediaProbe's codes);</li>
 *   <li>the output is not the input (INVALID_ARGUMENT), its extension names a container
 *       (ENCODER_UNAVAILABLE) and its directory exists and is writable (OUTPUT_WRITE_FAILED);</li>
 *   <li>this build can encode the output codec at the input's bit depth (ENCODER_UNAVAILABLE);</li>
 *   <li>the model exists (MODEL_NOT_FOUND), loads (MODEL_INVALID), is an upscaler
 *       (MODEL_SHAPE_MISMATCH) of the precision asked for (MODEL_PRECISION_MISMATCH).</li>
 * </ol>
 * The model is read once per (model, precision) on the CPU, whatever the backend: quick, and no GPU
 * memory. One planner per thread.
 */
public final class WorkPlanner {
    private final ModelRef defaultModel;
    private final Precision defaultPrecision;
    private final Map<String, ModelSpec> models = new HashMap<>();

    /** Work that names no model or precision gets these. */
    public WorkPlanner(ModelRef defaultModel, Precision defaultPrecision) {
        this.defaultModel = defaultModel;
        this.defaultPrecision = defaultPrecision;
    }

    /** @throws EngineError the first check {@code r} fails, with its code */
    public PlannedWork plan(WorkRequest r) {
        Path input = r.input().toAbsolutePath();
        if (!Files.exists(input)) {
            throw new EngineError(ErrorCode.INPUT_NOT_FOUND, "input " + input + " does not exist");
        }
        MediaInfo source = MediaProbe.probe(input, r.rawHint());
        Path output = checkOutput(input, r.output().toAbsolutePath());
        VideoCodec codec = r.outputCodec() != null ? r.outputCodec() : source.video().codec();
        VideoWriter.checkEncoderAvailable(codec, source.video().pixelFormat());
        ModelSpec spec = model(r.model() != null ? r.model() : defaultModel,
                r.precision() != null ? r.precision() : defaultPrecision);
        VideoTask task = new VideoTask(r.id(), source, output, codec)
                .withOptions(r.model(), r.precision(), r.crf(), r.acceptedAtMillis())
                .from(r.origin());
        return new PlannedWork(task, spec);
    }

    private static Path checkOutput(Path input, Path output) {
        if (output.equals(input)) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, "output " + output + " would overwrite the input");
        }
        VideoWriter.containerFormatFor(output);
        VideoWriter.checkOutputDirectory(output);
        return output;
    }

    private ModelSpec model(ModelRef model, Precision precision) {
        String key = model.reference() + "@" + precision;
        ModelSpec spec = models.get(key);
        if (spec == null) {
            try (InferenceBackend probe = InferenceBackends.open(BackendKind.CPU, model, precision, 0, 1)) {
                spec = probe.model();
            }
            models.put(key, spec);
        }
        return spec;
    }
}
