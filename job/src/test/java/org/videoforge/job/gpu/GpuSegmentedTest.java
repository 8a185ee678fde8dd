package org.videoforge.job.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.contract.Status;
import org.videoforge.contract.UpscaleResult;
import org.videoforge.flink.report.ResultReport;
import org.videoforge.frame.Rational;
import org.videoforge.gpu.CudaRuntime;
import org.videoforge.job.testing.CliResult;
import org.videoforge.testing.DecodedVideo;
import org.videoforge.testing.Samples;
import org.videoforge.testing.SyntheticClips;

/**
 * The segmented batch job on the GPU (NVDEC seeking from segment to segment, two slots on one GPU)
 * against the one-chain CLI on the same input: the same frames, size, audio and A/V timing, each
 * segment once, and NVDEC decoding each picture about once. Skipped without a CUDA device; outputs
 * are read with the project's own FFmpeg bindings (the GPU host has no ffprobe).
 */
class GpuSegmentedTest {
    private static final int FRAMES = 120;

    @TempDir
    Path dir;

    @BeforeAll
    static void gpu() {
        assumeTrue(CudaRuntime.available(), "no CUDA device: " + CudaRuntime.unavailableReason());
    }

    @Test
    void batchSegmentsOnNvdecMatchTheOneChainOutput() throws Exception {
        // 5 s at 24 fps, a keyframe every 12 frames, the sample's audio and subtitles copied in.
        Path in = SyntheticClips.write(Files.createDirectories(dir.resolve("in")).resolve("clip.mp4"),
                SyntheticClips.h264Settings(320, 192, new Rational(24, 1)).keyframeInterval(12).build(), FRAMES,
                MediaProbe.probe(Samples.sample640x360(), null));
        Path chain = dir.resolve("chain.mp4");
        CliResult one = CliResult.run("-i", in.toString(), "-o", chain.toString(), "--backend", "cuda", "--no-progress");
        assertEquals(0, one.exitCode, one.toString());

        Path out = Files.createDirectories(dir.resolve("out"));
        Path report = dir.resolve("report.jsonl");
        CliResult batch = CliResult.run("batch", "--input-dir", in.getParent().toString(), "--output-dir", out.toString(),
                "--staging", dir.resolve("staging").toString(), "--report", report.toString(), "--backend", "cuda",
                "--parallelism", "2", "--segment-seconds", "0.5");
        assertEquals(0, batch.exitCode, batch.toString());
        List<UpscaleResult> results = ResultReport.read(report);
        assertEquals(1, results.size());
        UpscaleResult r = results.get(0);
        assertEquals(Status.SUCCEEDED, r.getStatus(), r.toString());
        assertEquals(FRAMES, r.getFrames());
        assertEquals(10, r.getSegments(), "a segment per keyframe (0.5 s)");
        Path segmented = Path.of(r.getOutputUri());

        MediaInfo a = MediaProbe.probe(chain, null);
        MediaInfo b = MediaProbe.probe(segmented, null);
        assertEquals(a.video().width(), b.video().width());
        assertEquals(a.video().height(), b.video().height());
        assertEquals(a.otherStreams().size(), b.otherStreams().size(), "audio and subtitles kept: " + b);
        assertEquals(a.audioDurationSeconds(), b.audioDurationSeconds(), 0.05, "audio duration");
        assertEquals(a.video().durationSeconds(), b.video().durationSeconds(), 0.05, "video duration");

        DecodedVideo x = DecodedVideo.of(a);
        DecodedVideo y = DecodedVideo.of(b);
        assertEquals(FRAMES, x.count());
        assertEquals(x.pts(), y.pts(), "every frame at the same time: A/V sync as the one chain's");
        for (int i = 0; i < FRAMES; i++) {
            double db = psnr(x.luma(i), y.luma(i));
            assertTrue(db >= 35, "frame " + i + " differs from the one chain's: " + db + " dB");
        }

        // NVDEC decoded each picture about once: a segment costs its own pictures, not the video before it.
        Matcher m = Pattern.compile("decoding\\s+(\\d+) pictures for (\\d+) frames").matcher(batch.out);
        assertTrue(m.find(), batch.out);
        long pictures = Long.parseLong(m.group(1));
        assertEquals(FRAMES, Long.parseLong(m.group(2)));
        assertTrue(pictures >= FRAMES && pictures <= FRAMES + 10 * 3, "pictures decoded: " + pictures);
    }

    private static double psnr(byte[] a, byte[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (a[i] & 0xff) - (b[i] & 0xff);
            sum += d * d;
        }
        double mse = sum / a.length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
