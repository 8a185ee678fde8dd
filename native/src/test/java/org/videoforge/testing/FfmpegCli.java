package org.videoforge.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Debian's ffmpeg / ffprobe command-line tools: an implementation independent of the code under
 * test that makes the inputs and judges the outputs.
 */
public final class FfmpegCli {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Boolean installed;

    private FfmpegCli() {
    }

    /** Skips the calling test when the tools are absent (and only then). */
    public static synchronized void assumeInstalled() {
        if (installed == null) {
            installed = runs("ffmpeg") && runs("ffprobe");
        }
        assumeTrue(installed, "Debian's ffmpeg/ffprobe are not installed");
    }

    private static boolean runs(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "-version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs ffmpeg quietly, overwriting outputs; fails the test with ffmpeg's message on error. */
    public static void ffmpeg(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
        cmd.addAll(List.of(args));
        run(cmd);
    }

    /** The raw bytes ffmpeg writes to stdout, e.g. for {@code -f rawvideo -pix_fmt nv12 -}. */
    public static byte[] ffmpegStdout(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Every frame of the first video stream as tightly packed raw video in {@code pixFmt}. */
    public static byte[] rawFrames(Path file, String pixFmt) {
        return ffmpegStdout("-i", file.toString(), "-map", "0:v:0", "-f", "rawvideo", "-pix_fmt", pixFmt, "-");
    }

    /** ffprobe's streams and format as JSON. */
    public static JsonNode probe(Path file) {
        return json("-show_streams", "-show_format", file.toString());
    }

    /** The first stream of {@code codecType} ("video", "audio", "subtitle") in a probe, or null. */
    public static JsonNode stream(JsonNode probe, String codecType) {
        for (JsonNode s : probe.path("streams")) {
            if (codecType.equals(s.path("codec_type").asText())) {
                return s;
            }
        }
        return null;
    }

    /** ffprobe's streams, each video stream with its decoded frame count ("nb_read_frames"): one ffprobe run. */
    public static JsonNode probeCountingFrames(Path file) {
        return json("-count_frames", "-show_streams", file.toString());
    }

    /** Decoded video frame count (ffprobe -count_frames). */
    public static long countFrames(Path file) {
        JsonNode n = json("-select_streams", "v:0", "-count_frames", "-show_entries", "stream=nb_read_frames",
                file.toString());
        return n.path("streams").get(0).path("nb_read_frames").asLong();
    }

    /** Each video frame's pts in stream ticks, in output order; null where a frame has none. */
    public static List<Long> framePts(Path file) {
        List<Long> pts = new ArrayList<>();
        for (JsonNode f : json("-select_streams", "v:0", "-show_entries", "frame=pts", file.toString()).path("frames")) {
            pts.add(f.has("pts") ? f.path("pts").asLong() : null);
        }
        return pts;
    }

    /** Each video frame's presentation time in seconds, in output order. */
    public static List<Double> framePtsSeconds(Path file) {
        List<Double> pts = new ArrayList<>();
        for (JsonNode f : json("-select_streams", "v:0", "-show_entries", "frame=pts_time", file.toString())
                .path("frames")) {
            pts.add(f.path("pts_time").asDouble());
        }
        return pts;
    }

    /** Frame {@code index} as packed RGB24, converted with an explicit matrix and range (bt601/bt709, limited/full). */
    public static byte[] rgbFrame(Path file, int index, String matrix, String range) {
        return ffmpegStdout("-i", file.toString(), "-vf", "select=eq(n\\," + index + "),scale=in_color_matrix=" + matrix
                + ":in_range=" + range + ":flags=neighbor,format=rgb24", "-frames:v", "1", "-f", "rawvideo", "-");
    }

    /** Byte position and size of every video packet, in file order: {pos, size}. */
    public static List<long[]> videoPackets(Path file) {
        List<long[]> out = new ArrayList<>();
        for (JsonNode p : json("-select_streams", "v:0", "-show_entries", "packet=pos,size", file.toString())
                .path("packets")) {
            out.add(new long[] {p.path("pos").asLong(), p.path("size").asLong()});
        }
        return out;
    }

    private static JsonNode json(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ffprobe", "-v", "error", "-of", "json"));
        cmd.addAll(List.of(args));
        try {
            return JSON.readTree(new String(run(cmd), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("ffprobe printed no JSON: " + cmd, e);
        }
    }

    private static byte[] run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            byte[] out = readAll(p.getInputStream());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed:\n"
                        + new String(err.join(), StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream buf = new ByteArrayOutputStream()) {
            in.transferTo(buf);
            return buf.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
