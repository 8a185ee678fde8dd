package org.videoforge.flink.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.videoforge.codec.KeyframeIndex;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.flink.core.VideoPlan;
import org.videoforge.flink.core.VideoPlanSerializer;
import org.videoforge.flink.core.VideoSegment;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.flink.segment.SegmentPlanner;
import org.videoforge.frame.VideoCodec;
import org.videoforge.testing.FfmpegCli;

/**
 * What planning a long video costs (docs/BENCHMARKS.md): the keyframe index of every packet, the
 * segment plan, and the plan's size as it travels to the decode stage and sits in its and the
 * dispatcher's state. The video is small in pixels but long in frames (the index and the plan
 * grow with frames and keyframes, not pixels), made with Debian's ffmpeg:
 * {@code PlanBenchmark WORK_DIR [SECONDS (default 7200)] [FPS (60)] [KEYFRAME_SECONDS (2)] [SEGMENT_SECONDS (10)]}.
 */
public final class PlanBenchmark {
    public static void main(String[] args) throws Exception {
        Path work = Files.createDirectories(Path.of(args[0]));
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 7200;
        int fps = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        int gopSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        double segmentSeconds = args.length > 4 ? Double.parseDouble(args[4]) : 10;
        Path clip = work.resolve("long-" + seconds + "s-" + fps + "fps.mp4");
        if (!Files.exists(clip)) {
            long t0 = System.nanoTime();
            FfmpegCli.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x36:rate=" + fps, "-t", Integer.toString(seconds),
                    "-c:v", "libx264", "-preset", "ultrafast", "-g", Integer.toString(fps * gopSeconds),
                    "-sc_threshold", "0", "-bf", "2", "-pix_fmt", "yuv420p", clip.toString());
            System.out.printf("made %s (%d bytes) in %.1f s%n", clip, Files.size(clip), (System.nanoTime() - t0) / 1e9);
        }
        Runtime rt = Runtime.getRuntime();
        for (int round = 0; round < 3; round++) { // the first round warms the JIT up
            System.gc();
            long heap0 = rt.totalMemory() - rt.freeMemory();
            long t0 = System.nanoTime();
            MediaInfo info = MediaProbe.probe(clip, null);
            long t1 = System.nanoTime();
            KeyframeIndex index = KeyframeIndex.read(info);
            long t2 = System.nanoTime();
            List<VideoSegment> segments = SegmentPlanner.plan(index.framePts(), index.keyframePts(),
                    info.video().timeBase(), segmentSeconds, work.resolve("staging"));
            long t3 = System.nanoTime();
            long heap1 = rt.totalMemory() - rt.freeMemory();
            VideoPlan plan = VideoPlan.of(new VideoTask("long", info, work.resolve("out.mp4"), VideoCodec.H264)
                    .from("requests-0@0"), segments);
            byte[] state = SimpleVersionedSerialization.writeVersionAndSerialize(VideoPlanSerializer.INSTANCE, plan);
            long t4 = System.nanoTime();
            System.out.printf("round %d: %d frames, %d keyframes, %d segments; probe %.0f ms, keyframe index %.0f ms, "
                            + "plan %.1f ms, serialize %.1f ms; plan in state %d bytes (%.1f per segment); "
                            + "heap grew %.1f MB while indexing (index arrays %.1f MB)%n",
                    round, index.frameCount(), index.keyframePts().length, segments.size(), (t1 - t0) / 1e6,
                    (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6, state.length,
                    (double) state.length / segments.size(), (heap1 - heap0) / 1e6,
                    (index.frameCount() + index.keyframePts().length) * 8 / 1e6);
        }
    }
}
