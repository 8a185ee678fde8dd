package org.videoforge.job.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.testing.FfmpegCli;

/**
 * The job jar on a real standalone cluster (1 JobManager + 2 TaskManagers, separate JVMs), submitted
 * with {@code flink run}, judged by Debian's ffprobe.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterIT {
    private static final int FRAMES = 15;

    @TempDir
    static Path dir;

    private static FlinkStandaloneCluster flink;

    @BeforeAll
    static void startCluster() {
        FfmpegCli.assumeInstalled();
        flink = FlinkStandaloneCluster.start(2);
    }

    @AfterAll
    static void stopCluster() {
        if (flink != null) {
            flink.close();
        }
    }

    @Test
    @Order(1)
    void flinkRunUpscalesAClip() throws IOException {
        Path clip = dir.resolve("clip.mp4");
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10", "-frames:v", String.valueOf(FRAMES),
                "-c:v", "libx264", "-pix_fmt", "yuv420p", clip.toString());
        Path out = dir.resolve("clip-x2.mp4");

        FlinkRun run = flink.submitVideoForge("-i", clip.toString(), "-o", out.toString(), "--no-progress");
        String jobId = run.awaitJobId(Duration.ofSeconds(60));
        int exit = run.awaitExit(Duration.ofSeconds(90));
        assertEquals(0, exit, run + "\n" + flink.logTails(40));

        // The client read the job's result before exiting: the CLI printed it.
        assertTrue(run.output().contains("wrote        " + out), run.toString());
        assertTrue(run.output().contains("throughput"), "telemetry summary printed:\n" + run);
        assertEquals("FINISHED", flink.jobState(jobId));
        assertEquals(1, flink.taskManagersOf(jobId).size(), "ran in one slot of one of our TaskManagers");

        JsonNode video = FfmpegCli.stream(FfmpegCli.probe(out), "video");
        assertNotNull(video);
        assertEquals(320, video.path("width").asInt());
        assertEquals(180, video.path("height").asInt());
        assertEquals(FRAMES, FfmpegCli.countFrames(out), "exact frame count");
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of("clip-x2.mp4", "clip.mp4"), left.map(p -> p.getFileName().toString()).sorted()
                    .toList(), "no temporary file left beside the output");
        }
    }

    @Test
    @Order(2)
    void aKilledTaskManagerIsReplaced() {
        long pid = flink.taskManagerPids().get(1);
        flink.killTaskManager(1);
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "kill -9 took");
        flink.awaitRegisteredTaskManagers(1, Duration.ofSeconds(40));
        int index = flink.startTaskManager();
        assertEquals(2, index);
        flink.awaitRegisteredTaskManagers(2, Duration.ofSeconds(40));
    }
}
