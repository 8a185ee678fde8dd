package org.videoforge.flink.pipeline;

import org.videoforge.flink.core.PipelineConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.contract.Status;
import org.videoforge.contract.UpscaleRequest;
import org.videoforge.contract.UpscaleResult;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.report.ResultReport;
import org.videoforge.flink.report.ResultReportSink;
import org.videoforge.flink.request.AvroCodec;
import org.videoforge.flink.request.RawRequest;
import org.videoforge.testing.FfmpegCli;

/**
 * The segmented pipeline end to end on the embedded MiniCluster, two slots: several videos split
 * into keyframe segments, poison requests among them, results in a report.
 */
class SegmentedPipelineTest {
    @TempDir
    static Path dir;

    static Path clip;

    @BeforeAll
    static void makeClip() {
        FfmpegCli.assumeInstalled();
        clip = dir.resolve("clip.mp4");
        // 40 frames, a keyframe every 8, B-frames, and audio: 5 segments of 8 frames at 0.5 s each.
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x48:rate=16", "-f", "lavfi", "-i",
                "sine=frequency=440", "-t", "2.5", "-c:v", "libx264", "-g", "8", "-bf", "2", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest", clip.toString());
    }

    private static RawRequest request(String id, Path input, Path output) {
        UpscaleRequest r = UpscaleRequest.newBuilder().setRequestId(id).setInputUri(input.toString())
                .setOutputUri(output.toString()).setSegmentSeconds(0.5).build();
        return new RawRequest(new AvroCodec<>(UpscaleRequest.class).encode(r), "test:" + id, System.currentTimeMillis());
    }

    private static Map<String, UpscaleResult> run(List<RawRequest> requests, Path report, int slots) throws Exception {
        org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
        conf.set(org.apache.flink.configuration.TaskManagerOptions.NUM_TASK_SLOTS, slots);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        env.setParallelism(slots);
        // Bounded input runs in BATCH mode, as `videoforge batch` does (see SegmentedEnvironment).
        env.setRuntimeMode(org.apache.flink.api.common.RuntimeExecutionMode.BATCH);
        SegmentedPipeline.build(env, env.fromData(requests, TypeInformation.of(RawRequest.class))
                        .slotSharingGroup(UpscalePipeline.SLOT_GROUP),
                PipelineConfig.builder().build(), dir.resolve("staging"), 10, new ResultReportSink(report), null);
        env.execute("segmented-test");
        return ResultReport.read(report).stream().collect(Collectors.toMap(UpscaleResult::getRequestId,
                Function.identity()));
    }

    /**
     * Frame times from the first frame: Matroska shifts all streams so the copied AAC's priming
     * (negative pts, hidden by the MP4 edit list of the source) starts at 0, as the CLI's output does.
     */
    private static List<Long> relative(List<Double> seconds) {
        return seconds.stream().map(t -> Math.round((t - seconds.get(0)) * 1000)).toList();
    }

    @Test
    void videosAreSplitUpscaledAssembledAndReportedWhilePoisonRequestsFailAlone() throws Exception {
        List<RawRequest> requests = new ArrayList<>();
        requests.add(new RawRequest("not avro at all".getBytes(StandardCharsets.UTF_8), "test:garbage", 0));
        requests.add(request("a", clip, dir.resolve("a.mp4")));
        requests.add(request("missing", dir.resolve("nope.mp4"), dir.resolve("missing.mp4")));
        requests.add(request("b", clip, dir.resolve("b.mkv")));
        Map<String, UpscaleResult> results = run(requests, dir.resolve("report.jsonl"), 2);

        assertEquals(4, results.size(), "one result per request: " + results.keySet());
        for (String id : List.of("a", "b")) {
            UpscaleResult r = results.get(id);
            assertEquals(Status.SUCCEEDED, r.getStatus(), r.toString());
            assertEquals(40, r.getFrames());
            assertEquals(5, r.getSegments());
        }
        assertEquals(ErrorCode.INPUT_NOT_FOUND.number(), results.get("missing").getErrorCode());
        assertEquals(ErrorCode.REQUEST_INVALID.number(), results.get("unreadable:test:garbage").getErrorCode());
        assertFalse(Files.exists(dir.resolve("missing.mp4")));

        for (Path out : List.of(dir.resolve("a.mp4"), dir.resolve("b.mkv"))) {
            assertEquals(40, FfmpegCli.countFrames(out), out + " has every frame once");
            assertEquals(relative(FfmpegCli.framePtsSeconds(clip)), relative(FfmpegCli.framePtsSeconds(out)),
                    "every frame keeps its time in " + out);
            assertTrue(FfmpegCli.stream(FfmpegCli.probe(out), "audio") != null, "audio copied into " + out);
            assertEquals(128, FfmpegCli.stream(FfmpegCli.probe(out), "video").get("width").asInt());
        }
        // Deterministic: the same request, run again, gives the same bytes.
        Map<String, UpscaleResult> again = run(List.of(request("a2", clip, dir.resolve("a2.mp4"))),
                dir.resolve("report2.jsonl"), 1);
        assertEquals(Status.SUCCEEDED, again.get("a2").getStatus());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.mp4")), Files.readAllBytes(dir.resolve("a2.mp4")),
                "segment output does not depend on which slot made which segment");
    }
}
