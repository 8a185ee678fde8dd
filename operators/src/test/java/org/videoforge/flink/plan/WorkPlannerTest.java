package org.videoforge.flink.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoCodec;
import org.videoforge.inference.ModelRef;
import org.videoforge.model.OnnxGraphBuilder;
import org.videoforge.model.OnnxGraphBuilder.Dim;
import org.videoforge.testing.SyntheticClips;

/** Each check of the planner every door uses, in its order, with its code. */
class WorkPlannerTest {
    @TempDir
    static Path dir;

    private static Path input;
    private final WorkPlanner planner = new WorkPlanner(ModelRef.of(ModelRef.DEFAULT_BUNDLED), Precision.FP32);

    @BeforeAll
    static void clip() {
        input = SyntheticClips.h264(dir.resolve("in.mp4"), 64, 48, 4, new Rational(24, 1));
    }

    private static WorkRequest request(Path in, Path out, ModelRef model, Precision precision) {
        return new WorkRequest("r", "test:1", in, null, out, null, model, precision, null, 7L);
    }

    private ErrorCode refusal(WorkRequest r) {
        return assertThrows(EngineError.class, () -> planner.plan(r)).code();
    }

    @Test
    void aGoodRequestBecomesATaskWithItsOptions() {
        PlannedWork w = planner.plan(new WorkRequest("r", "test:1", input, null, dir.resolve("out.mkv"), VideoCodec.HEVC,
                null, Precision.FP16, 23, 7L));
        assertEquals("r", w.task().id());
        assertEquals("test:1", w.task().origin());
        assertEquals(VideoCodec.HEVC, w.task().outputCodec());
        assertEquals(dir.resolve("out.mkv"), w.task().output());
        assertEquals(Precision.FP16, w.task().precision(Precision.FP32));
        assertEquals(23, w.task().crf());
        assertEquals(Precision.FP16, w.model().precision());
        assertEquals(2, w.model().scale());
    }

    @Test
    void inputChecksComeFirst() throws IOException {
        assertEquals(ErrorCode.INPUT_NOT_FOUND, refusal(request(dir.resolve("no-such.mp4"), dir.resolve("o.mp4"), null,
                null)));
        Path text = Files.writeString(dir.resolve("notes.mp4"), "not a video");
        assertEquals(ErrorCode.INPUT_UNREADABLE, refusal(request(text, dir.resolve("o.mp4"), null, null)));
    }

    @Test
    void outputRules() {
        assertEquals(ErrorCode.INVALID_ARGUMENT, refusal(request(input, input, null, null)), "output = input");
        assertEquals(ErrorCode.ENCODER_UNAVAILABLE, refusal(request(input, dir.resolve("out.xyz"), null, null)));
        assertEquals(ErrorCode.OUTPUT_WRITE_FAILED, refusal(request(input, dir.resolve("no-dir/out.mp4"), null, null)));
    }

    @Test
    void modelChecks() throws IOException {
        assertEquals(ErrorCode.MODEL_NOT_FOUND, refusal(request(input, dir.resolve("o.mp4"), ModelRef.of("no-such-model"),
                null)));
        OnnxGraphBuilder g = new OnnxGraphBuilder("identity-x1", Precision.FP32);
        String x = g.input("input", Dim.of(1), Dim.of(3), Dim.param("H"), Dim.param("W"));
        g.output(g.mul(x, 1f), "output", Dim.of(1), Dim.of(3), Dim.param("H"), Dim.param("W"));
        Path fp32 = Files.write(dir.resolve("fp32.onnx"), g.build());
        assertEquals(ErrorCode.MODEL_PRECISION_MISMATCH,
                refusal(request(input, dir.resolve("o.mp4"), ModelRef.of(fp32.toString()), Precision.FP16)));
    }
}
