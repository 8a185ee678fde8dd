package org.videoforge.job.cli;

import org.videoforge.codec.RawInputHint;
import org.videoforge.codec.nvenc.NvencProbe;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.plan.PlannedWork;
import org.videoforge.flink.plan.WorkPlanner;
import org.videoforge.flink.plan.WorkRequest;
import org.videoforge.frame.VideoCodec;
import org.videoforge.inference.BackendKind;
import org.videoforge.job.options.FramePathOptions;

/**
 * Checks everything that can be checked before a job starts -- input, output, encoder, model, with
 * the planner the Kafka and batch intake use too -- then resolves the backend, so that bad input
 * fails in a second with its code and nothing is written.
 */
final class RunPlanner {
    private RunPlanner() {
    }

    static RunPlan plan(UpscaleCommand cmd) {
        FramePathOptions options = cmd.framePath;
        WorkPlanner planner = new WorkPlanner(options.model(), options.precision());
        PlannedWork work = planner.plan(new WorkRequest(cmd.output.toAbsolutePath().getFileName().toString(), null,
                cmd.input, rawHint(cmd), cmd.output, cmd.outputCodec == null ? null : VideoCodec.parse(cmd.outputCodec),
                null, null, null, System.currentTimeMillis()));
        FramePathOptions.Resolved resolved = options.resolve(work.task().source().video().width(),
                work.task().source().video().height(), System.out::println);
        // A GPU run asks the driver for NVENC once, at start-up, and says which encoder it will use.
        String encoderNote = resolved.config().backend() == BackendKind.CPU ? null
                : NvencProbe.probe(options.device()).encoderNote(work.task().outputCodec().softwareEncoder());
        return new RunPlan(work.task(), resolved.config(), work.model(), resolved.backend().note(), encoderNote);
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
