package org.videoforge.job.segmented;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.contract.Status;
import org.videoforge.contract.UpscaleRequest;
import org.videoforge.contract.UpscaleResult;
import org.videoforge.flink.request.AvroCodec;
import org.videoforge.job.cluster.FlinkRun;
import org.videoforge.job.cluster.FlinkStandaloneCluster;
import org.videoforge.job.cluster.KafkaBroker;
import org.videoforge.testing.FfmpegCli;

/**
 * The Kafka broker stopped and restarted while the streaming job works on a video: the job waits
 * (or restarts from its checkpoint) and goes on; the video is published and its result, and a
 * request sent after the restart, come back exactly once.
 */
class BrokerRestartIT {
    @TempDir
    static Path dir;

    private static KafkaBroker kafka;
    private static FlinkStandaloneCluster flink;
    private static TopicClient topics;
    private static final AvroCodec<UpscaleRequest> REQUESTS = new AvroCodec<>(UpscaleRequest.class);
    private static final AvroCodec<UpscaleResult> RESULTS = new AvroCodec<>(UpscaleResult.class);

    @BeforeAll
    static void start() {
        FfmpegCli.assumeInstalled();
        kafka = KafkaBroker.start();
        for (String t : List.of("requests", "results", "dead")) {
            kafka.createTopic(t, 1);
        }
        topics = new TopicClient(kafka.bootstrapServers());
        flink = FlinkStandaloneCluster.start(1);
    }

    @AfterAll
    static void stop() {
        if (topics != null) {
            topics.close();
        }
        if (flink != null) {
            flink.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static void request(String id, Path input) throws Exception {
        topics.send("requests", REQUESTS.encode(UpscaleRequest.newBuilder().setRequestId(id)
                .setInputUri(input.toString()).setOutputUri(dir.resolve(id + ".mp4").toString()).build()));
    }

    @Test
    void aBrokerRestartMidVideoLosesAndDuplicatesNothing() throws Exception {
        Path clip = dir.resolve("clip.mp4");
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=96x64:rate=16", "-t", "10", "-c:v", "libx264", "-g", "16",
                "-pix_fmt", "yuv420p", clip.toString());
        FlinkRun run = flink.submitVideoForge("stream", "--bootstrap-servers", kafka.bootstrapServers(),
                "--requests-topic", "requests", "--results-topic", "results", "--dead-letter-topic", "dead",
                "--staging", Files.createDirectories(dir.resolve("staging")).toString(), "--segment-seconds", "1",
                "--checkpoint-interval", "1s", "--backend", "cpu", "--detached");
        String jobId = run.awaitJobId(Duration.ofSeconds(90));
        flink.awaitAllTasksRunning(jobId, Duration.ofSeconds(60));

        request("during", clip);
        Thread.sleep(1500);
        kafka.restart(Duration.ofSeconds(5));
        request("after", clip);

        List<UpscaleResult> results = topics.readUntil("results", r -> r.size() >= 2, Duration.ofSeconds(300))
                .stream().map(r -> RESULTS.decode(r.value())).toList();
        Map<String, List<UpscaleResult>> byId = results.stream().collect(Collectors.groupingBy(UpscaleResult::getRequestId));
        assertEquals(2, byId.size(), results + "\n" + flink.logTails(60));
        for (String id : List.of("during", "after")) {
            assertEquals(1, byId.get(id).size(), "exactly one result for " + id);
            assertEquals(Status.SUCCEEDED, byId.get(id).get(0).getStatus(), byId.get(id).toString());
            assertEquals(160, FfmpegCli.countFrames(dir.resolve(id + ".mp4")), id);
        }
        Thread.sleep(3000); // a duplicate would be committed by the next checkpoints
        assertEquals(2, topics.readUntil("results", r -> false, Duration.ofSeconds(5)).size(), "no duplicate result");
        flink.cancel(jobId);
    }
}
