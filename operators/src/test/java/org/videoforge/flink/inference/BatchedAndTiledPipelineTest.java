package org.videoforge.flink.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.flink.metrics.TelemetryNames;
import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.flink.pipeline.UpscalePipeline;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoCodec;
import org.videoforge.testing.DecodedVideo;
import org.videoforge.testing.SyntheticClips;

/** The whole pipeline on the CPU backend with micro-batches and with tiles, against the plain run. */
class BatchedAndTiledPipelineTest {
    @TempDir
    static Path dir;

    static MediaInfo clip;

    @BeforeAll
    static void makeClip() {
        clip = MediaProbe.probe(SyntheticClips.h264(dir.resolve("clip.mp4"), 96, 64, 7, new Rational(10, 1)), null);
    }

    private record Run(List<byte[]> frames, long inferenceRuns) {
    }

    private static Run run(String name, PipelineConfig.Builder config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        VideoTask task = new VideoTask(name, clip, dir.resolve(name), VideoCodec.H264);
        UpscalePipeline.build(env, List.of(task), config.inferenceThreads(2).build());
        JobExecutionResult result = env.execute(name);
        Long runs = result.getAccumulatorResult(TelemetryNames.INFERENCE_RUNS);
        return new Run(DecodedVideo.of(task.output()).frames(), runs);
    }

    @Test
    void microBatchesGiveTheSameVideoInFewerModelRuns() throws Exception {
        Run single = run("single.mp4", PipelineConfig.builder());
        Run batched = run("batched.mp4", PipelineConfig.builder().maxBatch(3).batchDeadlineMicros(60_000_000));
        assertEquals(7, single.frames().size());
        assertEquals(7, single.inferenceRuns(), "one run per frame by default");
        // 7 frames in batches of 3 with a deadline that never expires: 3 + 3 + the last frame's partial batch of 1.
        assertEquals(3, batched.inferenceRuns());
        assertEquals(single.frames().size(), batched.frames().size());
        for (int i = 0; i < single.frames().size(); i++) {
            assertTrue(java.util.Arrays.equals(single.frames().get(i), batched.frames().get(i)), "frame " + i);
        }
    }

    @Test
    void tiledFramesComeOutAlmostExactlyAsWholeFrames() throws Exception {
        Run whole = run("whole.mp4", PipelineConfig.builder());
        Run tiled = run("tiled.mp4", PipelineConfig.builder().tileSize(48).tileOverlap(12));
        assertEquals(whole.frames().size(), tiled.frames().size());
        assertEquals(7, tiled.inferenceRuns(), "one run per frame, each in tiles");
        // Both went through x264 (crf 18), which turns tiny input differences into coding differences: the
        // tensors themselves are compared in TiledInferenceTest; here the decoded videos must agree closely.
        double worst = Double.POSITIVE_INFINITY;
        for (int i = 0; i < whole.frames().size(); i++) {
            byte[] a = whole.frames().get(i);
            byte[] b = tiled.frames().get(i);
            double se = 0;
            for (int k = 0; k < a.length; k++) {
                int d = (a[k] & 0xff) - (b[k] & 0xff);
                se += d * d;
            }
            worst = Math.min(worst, se == 0 ? 99 : 10 * Math.log10(255.0 * 255.0 * a.length / se));
        }
        System.out.printf("tiled vs whole through the pipeline (after x264): worst frame PSNR %.1f dB%n", worst);
        assertTrue(worst >= 40, "worst frame PSNR " + worst);
    }
}
