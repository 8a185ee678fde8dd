package org.videoforge.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's ffmpeg and ffprobe, an implementation independent of ours: they make the test inputs
 * and check the outputs. {@code .ci/run} installs them; a machine without them skips.
 */
public final class MediaTools {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MediaTools() {
    }

    public static void assumeAvailable() {
        assumeTrue(onPath("ffmpeg") && onPath("ffprobe"), "Debian's ffmpeg/ffprobe are not installed");
    }

    private static boolean onPath(String tool) {
        try {
            return new ProcessBuilder(tool, "-version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs ffmpeg quietly with the given arguments (overwriting outputs). */
    public static void ffmpeg(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y"));
        cmd.addAll(List.of(args));
        String out = run(cmd);
        if (out == null) {
            throw new IllegalStateException("ffmpeg failed: " + String.join(" ", cmd));
        }
    }

    /** ffprobe's JSON for streams and format. */
    public static JsonNode probe(Path file) {
        return json(List.of("ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", file.toString()));
    }

    /** The video stream's exact decoded frame count (ffprobe -count_frames). */
    public static long countFrames(Path file) {
        JsonNode n = json(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
                "-show_entries", "stream=nb_read_frames", "-of", "json", file.toString()));
        return n.path("streams").get(0).path("nb_read_frames").asLong();
    }

    /** Presentation times (seconds) of every video frame, in order. */
    public static List<Double> framePtsSeconds(Path file) {
        JsonNode n = json(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "frame=pts_time", "-of", "json", file.toString()));
        List<Double> pts = new ArrayList<>();
        for (JsonNode f : n.path("frames")) {
            pts.add(f.path("pts_time").asDouble());
        }
        return pts;
    }

    public static JsonNode stream(JsonNode probe, String codecType) {
        for (JsonNode s : probe.path("streams")) {
            if (codecType.equals(s.path("codec_type").asText())) {
                return s;
            }
        }
        return null;
    }

    /** Decodes frame {@code index} to packed RGB24 with an explicit matrix and range. */
    public static byte[] rgbFrame(Path file, int index, String matrix, String range) {
        String filter = "select=eq(n\\," + index + "),scale=in_color_matrix=" + matrix + ":in_range=" + range
                + ":flags=neighbor,format=rgb24";
        List<String> cmd = List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-i", file.toString(), "-vf",
                filter, "-frames:v", "1", "-f", "rawvideo", "-");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] bytes = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("ffmpeg rgb dump failed for " + file);
            }
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(List<String> cmd) {
        String out = run(cmd);
        if (out == null) {
            throw new IllegalStateException("failed: " + String.join(" ", cmd));
        }
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new IllegalStateException("bad JSON from " + cmd.get(0), e);
        }
    }

    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0) {
                System.err.println(out);
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
