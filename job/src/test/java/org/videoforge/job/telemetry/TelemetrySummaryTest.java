package org.videoforge.job.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.videoforge.flink.metrics.FrameGaps;
import org.videoforge.flink.metrics.TelemetryNames;

class TelemetrySummaryTest {
    @Test
    void steadyRateCountsTheFramesAfterTheFirstBetweenFirstAndLast() {
        TelemetrySummary s = new TelemetrySummary(Map.of(TelemetryNames.FRAMES_ENCODED, 11L,
                TelemetryNames.ENCODE_FIRST_MILLIS, 1_000L, TelemetryNames.ENCODE_LAST_MILLIS, 3_000L), 10.0);
        assertEquals(5.0, s.steadyFps(), 1e-9, "10 frames after the first in 2 s");
        assertEquals(1.1, s.fps(), 1e-9, "the whole run's rate includes start-up");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        s.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), 4, 4);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("steady       5.00 fps"), bytes.toString());
    }

    @Test
    void waitsSayWhetherTheGpuOrTheEncoderHeldTheChainBack() {
        TelemetrySummary s = new TelemetrySummary(Map.of(TelemetryNames.FRAMES_ENCODED, 2L,
                TelemetryNames.INFERENCE_WAIT_NANOS, 1_500_000_000L, TelemetryNames.ENCODE_WAIT_NANOS, 250_000_000L), 3.0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        s.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), 4, 4);
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains(
                "waits        1500 ms for model runs, 250 ms for room in the encode queue"), bytes.toString());
    }

    @Test
    void oneFrameOrNoTimesHaveNoSteadyRate() {
        assertEquals(0, new TelemetrySummary(Map.of(TelemetryNames.FRAMES_ENCODED, 1L,
                TelemetryNames.ENCODE_FIRST_MILLIS, 1_000L, TelemetryNames.ENCODE_LAST_MILLIS, 1_000L), 1.0).steadyFps());
        assertEquals(0, new TelemetrySummary(Map.of(TelemetryNames.FRAMES_ENCODED, 5L), 1.0).steadyFps());
    }

    @Test
    void stallsNameTheLongestGapsAndFilesTheirOpenAndFinish() {
        FrameGaps gaps = new FrameGaps();
        gaps.add(251, 231_000_000L);
        gaps.add(17, 4_500_000L);
        TelemetrySummary s = new TelemetrySummary(Map.of(TelemetryNames.FRAMES_ENCODED, 600L,
                TelemetryNames.ENCODE_GAPS, gaps, TelemetryNames.ENCODER_FILES, 2L,
                TelemetryNames.ENCODER_OPEN_NANOS, 20_000_000L, TelemetryNames.ENCODER_FINISH_NANOS, 90_000_000L), 3.0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        s.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), 4, 4);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("files        2: encoder open 10.0 ms, finish 45.0 ms"), text);
        assertTrue(text.contains("stalls       longest gaps between frames into the encoder: 231.0 ms before frame 251, "
                + "4.5 ms before frame 17"), text);
    }
}
