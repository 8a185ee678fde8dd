package org.videoforge.codec.hostile;

import static org.videoforge.codec.hostile.CorpusCase.damaged;
import static org.videoforge.codec.hostile.CorpusCase.error;
import static org.videoforge.codec.hostile.CorpusCase.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.videoforge.codec.RawInputHint;
import org.videoforge.codec.hostile.ByteSurgery.Nal;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.VideoCodec;
import org.videoforge.testing.FfmpegCli;
import org.videoforge.testing.RotatedMp4;

/**
 * The malformed-input corpus, made from valid clips (Debian's ffmpeg) by the test itself:
 * truncations, bit flips in container headers and in parameter-set and slice NAL units, wrong
 * extensions, empty and non-media files, audio-only, one frame, extreme and odd sizes,
 * unsupported chroma and bit depths, interlaced, rotated, timestamp-less and lying frame counts.
 * Clips are 64x48 (so the whole corpus runs in seconds); 12 frames at 12 fps unless said.
 */
final class MalformedCorpus {
    static final int FRAMES = 12;
    static final String SIZE = "64x48";
    static final RawInputHint H264_HINT = new RawInputHint(VideoCodec.H264, 64, 48);
    static final RawInputHint HEVC_HINT = new RawInputHint(VideoCodec.HEVC, 64, 48);
    /** The pool ceiling of the corpus run: every case fits except the one made to exceed it. */
    static final long POOL_LIMIT = 1 << 20;

    private final Path dir;
    private final List<CorpusCase> cases = new ArrayList<>();

    private MalformedCorpus(Path dir) {
        this.dir = dir;
    }

    static List<CorpusCase> build(Path dir) throws IOException {
        MalformedCorpus c = new MalformedCorpus(dir);
        c.addAll();
        return c.cases;
    }

    private void addAll() throws IOException {
        Path mp4Fast = clip("base-fast.mp4", true, "-movflags", "+faststart");
        Path mp4End = clip("base-end.mp4", true);
        Path mkv = clip("base.mkv", true);
        Path ts = clip("base.ts", true);
        Path avi = clip("base.avi", false);
        Path h264 = clip("base.h264", false);
        Path hevcMp4 = video("base-hevc.mp4", SIZE, FRAMES, "-c:v", "libx265", "-pix_fmt", "yuv420p",
                "-x265-params", "log-level=error");
        Path hevc = video("base.hevc", SIZE, FRAMES, "-c:v", "libx265", "-pix_fmt", "yuv420p",
                "-x265-params", "log-level=error");

        for (Path p : List.of(mp4Fast, mp4End, mkv, ts, avi, hevcMp4)) {
            cases.add(output("valid-" + p.getFileName().toString().replace('.', '-'), p, null, FRAMES));
        }
        // Raw Annex B has no timestamps at all: the decoder numbers the frames.
        cases.add(output("no-timestamps-h264", h264, H264_HINT, FRAMES));
        cases.add(output("no-timestamps-hevc", hevc, HEVC_HINT, FRAMES));
        cases.add(error("raw-without-geometry", h264, null, ErrorCode.RAW_STREAM_NEEDS_GEOMETRY));

        addStructural(mp4Fast, mkv, ts, avi);
        addSizesAndFormats();
        addLyingHeaders(mp4Fast, avi);
        addTruncations(mp4Fast, 40, FRAMES);
        addTruncations(mp4End, 10, FRAMES);
        addTruncations(mkv, 15, FRAMES);
        addTruncations(avi, 10, FRAMES);
        // MPEG-TS and raw Annex B declare neither a length nor a frame count: a cut between two
        // frames is indistinguishable from a shorter stream, so a prefix is all that can be asked.
        addTruncations(ts, 15, -1);
        addTruncations(h264, 10, -1);
        addHeaderFlips(mp4Fast, "moov", 30);
        addHeaderFlips(mkv, null, 15);
        addHeaderFlips(avi, "hdrl", 10);
        addNalFlips(h264, false, H264_HINT, new int[] {7, 8, 5, 1});
        addNalFlips(hevc, true, HEVC_HINT, new int[] {32, 33, 34, FIRST_SLICE, 1});
        addNalFlips(ts, false, null, new int[] {7, 8, 5});
        addAvcCFlips(mp4Fast);
    }

    private void addStructural(Path mp4Fast, Path mkv, Path ts, Path avi) throws IOException {
        // Wrong extensions: FFmpeg probes the content, so these are ordinary inputs.
        for (String ext : new String[] {"mkv", "avi", "mov", "ts", "txt", "bin"}) {
            cases.add(output("mp4-named-" + ext, copy(mp4Fast, "mp4-named." + ext), null, FRAMES));
        }
        cases.add(output("mkv-named-mp4", copy(mkv, "mkv-named.mp4"), null, FRAMES));
        cases.add(output("ts-named-mp4", copy(ts, "ts-named.mp4"), null, FRAMES));
        cases.add(output("avi-named-mkv", copy(avi, "avi-named.mkv"), null, FRAMES));
        // ...except a raw-bitstream extension, which means "read as Annex B": an MP4 is not one.
        cases.add(damaged("mp4-named-h264", copy(mp4Fast, "mp4-named.h264"), H264_HINT, FRAMES));

        cases.add(error("zero-bytes", write("zero.mp4", new byte[0]), null, ErrorCode.INPUT_UNREADABLE));
        cases.add(error("one-byte", write("one.mp4", new byte[] {0}), null, ErrorCode.INPUT_UNREADABLE));
        cases.add(error("zeros-4k", write("zeros.mp4", new byte[4096]), null, ErrorCode.INPUT_UNREADABLE));
        byte[] noise = new byte[65536];
        new Random(5).nextBytes(noise);
        cases.add(error("random-64k", write("random.mp4", noise), null, ErrorCode.INPUT_UNREADABLE));
        cases.add(error("text-as-mp4", write("text.mp4", "not a video\n".repeat(300).getBytes(StandardCharsets.UTF_8)),
                null, ErrorCode.INPUT_UNREADABLE));
        byte[] fast = Files.readAllBytes(mp4Fast);
        cases.add(damaged("mp4-ftyp-only", write("ftyp-only.mp4", ByteSurgery.prefix(fast, 32)), null, -1));
        Path audio = dir.resolve("audio-only.mp4");
        FfmpegCli.ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=1", "-c:a", "aac",
                audio.toString());
        cases.add(error("audio-only", audio, null, ErrorCode.NO_VIDEO_STREAM));
        Path mpeg4 = video("mpeg4.avi", SIZE, FRAMES, "-c:v", "mpeg4");
        cases.add(error("mpeg4-video", mpeg4, null, ErrorCode.UNSUPPORTED_CODEC));
        cases.add(output("one-frame", video("one-frame.mp4", SIZE, 1, "-c:v", "libx264", "-pix_fmt", "yuv420p"),
                null, 1));
        cases.add(output("interlaced-tff", video("interlaced.mp4", "64x64", FRAMES, "-c:v", "libx264",
                "-pix_fmt", "yuv420p", "-flags", "+ildct+ilme", "-top", "1"), null, FRAMES));
        cases.add(output("ten-bit-h264", video("h264-10.mkv", SIZE, FRAMES, "-c:v", "libx264",
                "-pix_fmt", "yuv420p10le"), null, FRAMES));
        cases.add(CorpusCase.rotatedOutput("rotated-phone-90", RotatedMp4.write(mp4Fast, dir.resolve("rotated.mp4")),
                FRAMES));
        // The pool ceiling is hit by this one case only; the case after it must run normally.
        cases.add(error("memory-ceiling", video("ceiling.mp4", "640x360", 2, "-c:v", "libx264", "-pix_fmt",
                "yuv420p"), null, ErrorCode.VRAM_EXHAUSTED));
        cases.add(output("after-memory-ceiling", mp4Fast, null, FRAMES));
    }

    private void addSizesAndFormats() {
        cases.add(output("tiny-2x2", video("2x2.mp4", "2x2", FRAMES, "-c:v", "libx264", "-pix_fmt", "yuv420p"),
                null, FRAMES));
        // 4:2:0 H.264 and HEVC cannot code odd sizes (the crop unit is 2 luma samples): odd sizes
        // exist only in other chroma formats (below); 6x4 is the nearest 4:2:0 to 7x5.
        cases.add(output("tiny-6x4", video("6x4.mp4", SIZE, FRAMES, "-vf", "scale=6:4", "-c:v", "libx264",
                "-pix_fmt", "yuv420p"), null, FRAMES));
        cases.add(error("odd-7x5-444", video("7x5-444.mp4", SIZE, FRAMES, "-vf", "scale=7:5", "-c:v", "libx264",
                "-pix_fmt", "yuv444p"), null, ErrorCode.UNSUPPORTED_PIXEL_FORMAT));
        cases.add(error("one-pixel-444", video("1x1.mp4", SIZE, FRAMES, "-vf", "scale=1:1", "-c:v", "libx264",
                "-pix_fmt", "yuv444p"), null, ErrorCode.UNSUPPORTED_PIXEL_FORMAT));
        cases.add(error("chroma-422", video("422.mp4", SIZE, FRAMES, "-c:v", "libx264", "-pix_fmt", "yuv422p"),
                null, ErrorCode.UNSUPPORTED_PIXEL_FORMAT));
        cases.add(error("chroma-444", video("444.mkv", SIZE, FRAMES, "-c:v", "libx264", "-pix_fmt", "yuv444p"),
                null, ErrorCode.UNSUPPORTED_PIXEL_FORMAT));
        // FFmpeg decodes monochrome H.264 as 4:2:0 with neutral chroma: an ordinary input.
        cases.add(output("gray-400", video("gray.mkv", SIZE, FRAMES, "-c:v", "libx264", "-pix_fmt", "gray"),
                null, FRAMES));
        cases.add(error("twelve-bit-hevc", video("hevc12.mkv", SIZE, FRAMES, "-c:v", "libx265", "-pix_fmt",
                "yuv420p12le", "-x265-params", "log-level=error"), null, ErrorCode.UNSUPPORTED_PIXEL_FORMAT));
        cases.add(error("absurd-8200x4400", video("8200x4400.mp4", "8200x4400", 1, "-c:v", "libx264", "-preset",
                "ultrafast", "-pix_fmt", "yuv420p"), null, ErrorCode.FRAME_SIZE_UNSUPPORTED));
        cases.add(output("odd-width-4x2-0-98x48", video("98x48.mp4", SIZE, FRAMES, "-vf", "scale=98:48", "-c:v",
                "libx264", "-pix_fmt", "yuv420p"), null, FRAMES));
    }

    /** Headers that declare absurd frame counts or durations. */
    private void addLyingHeaders(Path mp4Fast, Path avi) throws IOException {
        byte[] mp4 = Files.readAllBytes(mp4Fast);
        int stts = ByteSurgery.box(mp4, "stts");
        // stts: size, type, version+flags, entry count, then (sample count, delta) pairs.
        cases.add(error("mp4-stts-claims-2g-frames", write("stts-huge.mp4",
                ByteSurgery.putInt(mp4, stts + 16, Integer.MAX_VALUE)), null, ErrorCode.CORRUPT_STREAM)
                .withErrors(CorpusCase.DAMAGE));
        int mvhd = ByteSurgery.box(mp4, "mvhd");
        cases.add(damaged("mp4-mvhd-huge-duration", write("mvhd-huge.mp4",
                ByteSurgery.putInt(mp4, mvhd + 24, Integer.MAX_VALUE)), null, FRAMES));
        int mdhd = ByteSurgery.box(mp4, "mdhd");
        cases.add(damaged("mp4-mdhd-huge-duration", write("mdhd-huge.mp4",
                ByteSurgery.putInt(mp4, mdhd + 24, Integer.MAX_VALUE)), null, FRAMES));
        byte[] a = Files.readAllBytes(avi);
        int avih = ByteSurgery.box(a, "avih") + 4; // RIFF chunks: fourcc then little-endian size
        cases.add(damaged("avi-avih-huge-total-frames", write("avih-huge.avi",
                ByteSurgery.putIntLittleEndian(a, avih + 8 + 16, Integer.MAX_VALUE)), null, FRAMES));
        int strh = ByteSurgery.box(a, "strh") + 4;
        cases.add(damaged("avi-strh-huge-length", write("strh-huge.avi",
                ByteSurgery.putIntLittleEndian(a, strh + 8 + 32, Integer.MAX_VALUE)), null, FRAMES));
    }

    private void addTruncations(Path clip, int count, long frames) throws IOException {
        byte[] all = Files.readAllBytes(clip);
        String base = clip.getFileName().toString().replace('.', '-');
        for (int i = 1; i <= count; i++) {
            int length = (int) ((long) all.length * i / (count + 1));
            String name = "cut-" + base + "-" + length;
            cases.add(damaged(name, write(name + ext(clip), ByteSurgery.prefix(all, length)), hintFor(clip), frames));
        }
    }

    /** Single-bit flips spread over a container header: from {@code box} (an MP4 box or AVI list) or the file start. */
    private void addHeaderFlips(Path clip, String box, int count) throws IOException {
        byte[] all = Files.readAllBytes(clip);
        int start = box == null ? 0 : ByteSurgery.box(all, box);
        int length = box == null ? Math.min(400, all.length) : ByteSurgery.boxSize(all, start);
        if (box != null && box.equals("hdrl")) {
            start -= 4; // RIFF LIST: "LIST" size "hdrl"; box() found the fourcc 4 bytes after "LIST"
            length = 600;
        }
        String base = clip.getFileName().toString().replace('.', '-');
        for (int i = 0; i < count; i++) {
            int at = start + 8 + (int) ((long) (length - 9) * i / count);
            String name = "flip-" + base + "-header-" + at + "-b" + (i % 8);
            cases.add(damaged(name, write(name + ext(clip), ByteSurgery.flip(all, at, i % 8)), null, -1));
        }
    }

    /** In place of a NAL type: the first slice of the stream (x265 starts with an IDR of type 19 or 20, or a CRA). */
    private static final int FIRST_SLICE = -1;

    /** Bit flips at the start, middle and end of the first NAL unit of each type. */
    private void addNalFlips(Path clip, boolean hevc, RawInputHint hint, int[] types) throws IOException {
        byte[] all = Files.readAllBytes(clip);
        List<Nal> nals = ByteSurgery.nals(all, hevc);
        String base = clip.getFileName().toString().replace('.', '-');
        for (int type : types) {
            Nal nal = type == FIRST_SLICE ? nals.stream().filter(n -> n.type() < 32).findFirst().orElse(null)
                    : ByteSurgery.first(nals, type);
            if (nal == null) {
                throw new IllegalStateException(clip + " has no NAL unit of type " + type);
            }
            int headerBytes = hevc ? 2 : 1;
            int[] offsets = {nal.start() + headerBytes, nal.start() + nal.length() / 2, nal.end() - 1};
            for (int k = 0; k < offsets.length; k++) {
                String name = "flip-" + base + "-nal" + type + "-" + k;
                cases.add(damaged(name, write(name + ext(clip), ByteSurgery.flip(all, offsets[k], 7 - 2 * k)), hint, -1));
            }
        }
    }

    /** MP4 keeps SPS and PPS in the avcC box of the sample description. */
    private void addAvcCFlips(Path mp4) throws IOException {
        byte[] all = Files.readAllBytes(mp4);
        int avcC = ByteSurgery.box(all, "avcC");
        int size = ByteSurgery.boxSize(all, avcC);
        for (int i = 0; i < 8; i++) {
            int at = avcC + 8 + (size - 8) * i / 8;
            String name = "flip-avcC-" + at;
            cases.add(damaged(name, write(name + ".mp4", ByteSurgery.flip(all, at, i % 8)), null, -1));
        }
    }

    private Path clip(String name, boolean audio, String... extra) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i",
                "testsrc2=size=" + SIZE + ":rate=12:duration=1"));
        if (audio) {
            args.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=1", "-c:a", "aac"));
        }
        args.addAll(List.of("-c:v", "libx264", "-pix_fmt", "yuv420p"));
        args.addAll(List.of(extra));
        args.add(out.toString());
        FfmpegCli.ffmpeg(args.toArray(String[]::new));
        return out;
    }

    private Path video(String name, String size, int frames, String... codecArgs) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=12",
                "-frames:v", Integer.toString(frames)));
        args.addAll(List.of(codecArgs));
        args.add(out.toString());
        FfmpegCli.ffmpeg(args.toArray(String[]::new));
        return out;
    }

    private static RawInputHint hintFor(Path clip) {
        String n = clip.getFileName().toString();
        return n.endsWith(".h264") ? H264_HINT : n.endsWith(".hevc") ? HEVC_HINT : null;
    }

    private static String ext(Path clip) {
        String n = clip.getFileName().toString();
        return n.substring(n.lastIndexOf('.'));
    }

    private Path copy(Path from, String name) throws IOException {
        return Files.copy(from, dir.resolve(name));
    }

    private Path write(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
