package org.videoforge.flink.pipeline;

import org.videoforge.flink.core.VideoTask;
import org.videoforge.flink.core.PipelineConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.VideoCodec;
import org.videoforge.testing.FfmpegCli;

class UpscalePipelineTest {
    @TempDir
    static Path dir;

    static MediaInfo clip;

    @BeforeAll
    static void makeClip() {
        FfmpegCli.assumeInstalled();
        Path in = dir.resolve("clip.mp4");
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x48:rate=10:duration=0.5", "-c:v", "libx264",
                "-pix_fmt", "yuv420p", in.toString());
        clip = MediaProbe.probe(in, null);
    }

    private static VideoTask task(String name) {
        return new VideoTask(name, clip, dir.resolve(name), VideoCodec.H264);
    }

    private static StreamExecutionEnvironment localEnv() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        return env;
    }

    @Test
    void allFourStagesAreOneChainedVertex() {
        StreamExecutionEnvironment env = localEnv();
        UpscalePipeline.build(env, List.of(task("graph.mp4")), PipelineConfig.builder().build());
        JobGraph graph = env.getStreamGraph().getJobGraph();
        List<JobVertex> vertices = graph.getVerticesSortedTopologicallyFromSources();
        assertEquals(1, vertices.size(), "one task: " + vertices);
        String name = vertices.get(0).getName();
        for (String stage : List.of("Decode", "Preprocess", "Inference", "Encode")) {
            assertTrue(name.contains(stage), stage + " is chained into " + name);
        }
        assertTrue(env.getConfig().isObjectReuseEnabled(), "envelopes pass by reference");
    }

    @Test
    void pipelineRunsAndPublishesTheOutput() throws Exception {
        StreamExecutionEnvironment env = localEnv();
        VideoTask t = task("run.mp4");
        UpscalePipeline.build(env, List.of(t), PipelineConfig.builder().build());
        env.execute("pipeline-test");
        assertTrue(Files.size(t.output()) > 0);
        assertEquals(5, FfmpegCli.countFrames(t.output()));
    }

    @Test
    void breakingTheChainFailsWithTheEnvelopeError() throws Exception {
        StreamExecutionEnvironment env = localEnv();
        env.disableOperatorChaining();
        VideoTask t = task("broken.mp4");
        UpscalePipeline.build(env, List.of(t), PipelineConfig.builder().build());
        Exception e = assertThrows(Exception.class, () -> env.execute("broken-chain"));
        EngineError error = EngineError.findIn(e).orElseThrow(() -> new AssertionError("no EngineError in", e));
        assertEquals(ErrorCode.PIPELINE_NOT_CHAINED, error.code());
        assertTrue(error.getMessage().contains("'Decode'"), error.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).collect(Collectors.toList());
            assertTrue(names.stream().noneMatch(n -> n.startsWith("broken") || n.contains("broken.mp4")),
                    "no output or temporary left: " + names);
        }
    }
}
