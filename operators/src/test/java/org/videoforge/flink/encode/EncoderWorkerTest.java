package org.videoforge.flink.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.device.HostFrameDevice;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.flink.metrics.FrameGaps;
import org.videoforge.frame.Precision;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoCodec;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.memory.SharedPools;
import org.videoforge.testing.DecodedVideo;
import org.videoforge.testing.SyntheticClips;

/**
 * The encode stage's two threads (postprocess, then x264) on the CPU path: frames come out whole and
 * in order, and a frame that fails in postprocessing fails the worker without a file or a buffer left.
 */
class EncoderWorkerTest {
    private static final int W = 128;
    private static final int H = 96;

    @TempDir
    Path dir;

    private MediaInfo clip;
    private List<Long> pts;

    @BeforeEach
    void clip() {
        clip = MediaProbe.probe(SyntheticClips.h264(dir.resolve("in.mp4"), W / 2, H / 2, 4, new Rational(10, 1)), null);
        pts = DecodedVideo.of(clip).pts();
    }

    private FrameEnvelope upscaled(HostFrameDevice device, VideoTask task, int i, long tensorBytes) {
        FrameEnvelope e = new FrameEnvelope(task, i, pts.get(i), i == pts.size() - 1, null, W / 2, H / 2, 0, 0);
        FrameBuffer tensor = device.acquire(tensorBytes);
        ByteBuffer b = tensor.hostBytes();
        for (int k = 0; k + 4 <= tensorBytes; k += 4) {
            b.putFloat(k, (i + 1) / 8f); // a different grey per frame
        }
        e.replacePayload(tensor, FrameEnvelope.Payload.OUTPUT_TENSOR, W, H);
        return e;
    }

    private VideoTask task(String name) {
        return new VideoTask(name, clip, dir.resolve(name + ".mp4"), VideoCodec.H264);
    }

    private static long leasesOut() {
        try (SharedPools.Handle host = SharedPools.host()) {
            return host.pool().stats().leasesOut();
        }
    }

    /** The default byte bound, and one of four frames (a frame counts at most a quarter of it). */
    @ParameterizedTest
    @ValueSource(ints = {EncoderWorker.QUEUE_MIB, 4})
    void videosComeOutWholeAndInOrder(int queueMib) throws Exception {
        long leases = leasesOut();
        List<EncodedVideo> done = new ArrayList<>();
        try (HostFrameDevice device = new HostFrameDevice();
             EncoderWorker worker = new EncoderWorker(device, Precision.FP32, 12, 1, "ultrafast", "test-encoder",
                     queueMib)) {
            for (VideoTask task : List.of(task("a"), task("b"))) {
                for (int i = 0; i < pts.size(); i++) {
                    worker.submit(upscaled(device, task, i, Precision.FP32.tensorBytes(1, H, W)));
                }
            }
            worker.awaitIdle();
            assertEquals(queueMib, worker.queueFreeMib(), "every frame gave its share of the byte bound back");
            EncodedVideo v;
            while ((v = worker.pollCompleted()) != null) {
                done.add(v);
            }
            assertEquals(0, worker.openVideos());
            List<FrameGaps.Gap> gaps = worker.gaps().longest();
            assertEquals(Math.min(FrameGaps.KEPT, 2 * pts.size() - 1), gaps.size(), "a gap before every frame but the first");
            for (int i = 0; i < gaps.size(); i++) {
                assertTrue(gaps.get(i).frame() >= 0 && gaps.get(i).frame() < pts.size(), gaps.toString());
                assertTrue(i == 0 || gaps.get(i - 1).nanos() >= gaps.get(i).nanos(), "longest first: " + gaps);
            }
        }
        assertEquals(List.of("a", "b"), done.stream().map(EncodedVideo::getVideoId).toList());
        for (EncodedVideo v : done) {
            assertEquals(pts.size(), v.getFrames());
            List<Integer> greys = lumaMeans(Path.of(v.getTempPath()));
            assertEquals(pts.size(), greys.size(), v.toString());
            for (int i = 1; i < greys.size(); i++) {
                assertTrue(greys.get(i) > greys.get(i - 1), "frames in order, brighter each: " + greys);
            }
        }
        assertEquals(leases, leasesOut(), "every tensor and host frame back in the pool");
    }

    @Test
    void aFrameThatFailsInPostprocessingFailsTheWorkerAndLeavesNothing() throws Exception {
        long leases = leasesOut();
        try (HostFrameDevice device = new HostFrameDevice();
             EncoderWorker worker = new EncoderWorker(device, Precision.FP32, 4, 1, "ultrafast", "test-encoder")) {
            VideoTask task = task("broken");
            worker.submit(upscaled(device, task, 0, Precision.FP32.tensorBytes(1, H, W)));
            worker.submit(upscaled(device, task, 1, 64)); // a tensor far smaller than its frame
            for (int i = 2; i < pts.size(); i++) {
                try {
                    worker.submit(upscaled(device, task, i, Precision.FP32.tensorBytes(1, H, W)));
                } catch (RuntimeException failedAlready) {
                    break; // submit rethrows the worker's failure once it is known
                }
            }
            RuntimeException failure = assertThrows(RuntimeException.class, worker::awaitIdle);
            System.out.println("worker failed as expected: " + failure);
            assertNull(worker.pollCompleted(), "a failed worker completes no video");
            assertEquals(EncoderWorker.QUEUE_MIB, worker.queueFreeMib(), "failed frames gave their share back too");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("in.mp4"), files.map(f -> f.getFileName().toString()).toList(),
                    "no output and no temporary file");
        }
        assertEquals(leases, leasesOut(), "every tensor and host frame back in the pool");
    }

    /** Mean luma of each frame of {@code file}, rounded. */
    private static List<Integer> lumaMeans(Path file) {
        DecodedVideo video = DecodedVideo.of(file);
        List<Integer> means = new ArrayList<>();
        for (int i = 0; i < video.count(); i++) {
            long sum = 0;
            for (byte b : video.luma(i)) {
                sum += b & 0xff;
            }
            means.add((int) Math.round((double) sum / (video.width() * video.height())));
        }
        return means;
    }
}
