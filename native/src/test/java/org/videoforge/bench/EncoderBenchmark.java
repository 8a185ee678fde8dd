package org.videoforge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.videoforge.codec.DecodedFrame;
import org.videoforge.codec.EncoderSettings;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.MediaProbe;
import org.videoforge.codec.VideoDecoder;
import org.videoforge.codec.VideoWriter;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoCodec;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.FrameBuffer;
import org.videoforge.testing.SyntheticClips;

/**
 * The software encoder alone, as the pipeline runs it (libx264, crf 18, threads automatic, NV12 from
 * host memory), at the output sizes of the end-to-end benchmark: the rate the encode stage cannot
 * exceed when it is the slowest stage. Frames are SyntheticClips patterns made before timing (at most
 * {@value #DISTINCT} distinct ones, about 1.5 GB, then repeated), so only the encoder is timed.
 * Usage: {@code EncoderBenchmark PRESET FRAMES WxH...}, or {@code EncoderBenchmark --from PRESET FILE...}
 * to re-encode the decoded frames of files (e.g. the pipeline's own upscaled outputs, all held in
 * memory first) with the settings the pipeline used for them: the same content, the encoder alone.
 */
public final class EncoderBenchmark {
    static final int DISTINCT = 30;

    private EncoderBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--from")) {
            for (int a = 2; a < args.length; a++) {
                System.out.println(reencode(args[1], Path.of(args[a])));
            }
            return;
        }
        String preset = args[0];
        int frames = Integer.parseInt(args[1]);
        for (int a = 2; a < args.length; a++) {
            String[] wh = args[a].split("x");
            int w = Integer.parseInt(wh[0]);
            int h = Integer.parseInt(wh[1]);
            System.out.println(measure(preset, frames, w, h));
        }
    }

    static String reencode(String preset, Path source) throws Exception {
        MediaInfo info = MediaProbe.probe(source, null);
        Path file = Files.createTempFile("encoder-bench", ".mp4");
        List<FrameBuffer> frames = new ArrayList<>();
        try (BucketedBufferPool pool = BucketedBufferPool.host("encoder-bench");
             VideoDecoder decoder = VideoDecoder.open(info, pool)) {
            List<Long> pts = new ArrayList<>();
            for (DecodedFrame f = decoder.next(); f != null; f = decoder.next()) {
                pts.add(f.pts());
                frames.add(f.detach());
            }
            EncoderSettings s = EncoderSettings.like(info.video()).preset(preset).build();
            long t0 = System.nanoTime();
            try (VideoWriter writer = VideoWriter.open(file, "mp4", s, null)) {
                for (int i = 0; i < frames.size(); i++) {
                    writer.write(frames.get(i), pts.get(i));
                }
                writer.finish();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return String.format(Locale.ROOT, "re-encode %s %s (%dx%d): %d frames in %.2f s = %.2f fps, %.1f ms/frame",
                    preset, source.getFileName(), info.video().width(), info.video().height(), frames.size(), seconds,
                    frames.size() / seconds, 1000 * seconds / frames.size());
        } finally {
            frames.forEach(FrameBuffer::close);
            Files.deleteIfExists(file);
        }
    }

    static String measure(String preset, int frames, int w, int h) throws Exception {
        PixelFormat fmt = PixelFormat.NV12;
        long bytes = fmt.frameBytes(w, h);
        int distinct = (int) Math.max(4, Math.min(DISTINCT, 1_500_000_000L / bytes));
        Path file = Files.createTempFile("encoder-bench", ".mp4");
        List<FrameBuffer> pattern = new ArrayList<>();
        try (BucketedBufferPool pool = BucketedBufferPool.host("encoder-bench")) {
            for (int i = 0; i < distinct; i++) {
                pattern.add(pool.acquire(bytes));
            }
            IntStream.range(0, distinct).parallel()
                    .forEach(i -> SyntheticClips.fillFrame(pattern.get(i).hostBytes(), fmt, w, h, i));
            EncoderSettings s = EncoderSettings.builder(VideoCodec.H264, w, h).pixelFormat(fmt)
                    .color(SyntheticClips.H264_COLOR).frameRate(new Rational(30, 1)).timeBase(new Rational(1, 30))
                    .preset(preset).build();
            long t0 = System.nanoTime();
            try (VideoWriter writer = VideoWriter.open(file, "mp4", s, null)) {
                for (int i = 0; i < frames; i++) {
                    writer.write(pattern.get(i % distinct), i);
                }
                writer.finish();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            return String.format(Locale.ROOT, "encode %s %dx%d: %d frames (%d distinct) in %.2f s = %.2f fps, %.1f ms/frame",
                    preset, w, h, frames, distinct, seconds, frames / seconds, 1000 * seconds / frames);
        } finally {
            pattern.forEach(FrameBuffer::close);
            Files.deleteIfExists(file);
        }
    }
}
