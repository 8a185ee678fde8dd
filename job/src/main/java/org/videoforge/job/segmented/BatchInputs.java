package org.videoforge.job.segmented;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * What a batch run upscales: the lines of a manifest ({@code input [output]}, # comments, paths
 * relative to the manifest), every video file of a directory, or the files a glob matches. Each
 * becomes one request; where the manifest names no output, it goes to the output directory as
 * {@code <name><suffix>.<ext>}.
 */
final class BatchInputs {
    /** One video to do, and where it came from (for the report and dead letters). */
    record Item(Path input, Path output, String origin) {
    }

    private static final PathMatcher VIDEO_FILES = FileSystems.getDefault()
            .getPathMatcher("glob:**.{mp4,m4v,mkv,mov,avi,webm,MP4,MKV,MOV,AVI,WEBM}");

    private BatchInputs() {
    }

    static List<Item> fromManifest(Path manifest, Path outputDir, String suffix) {
        List<String> lines;
        try {
            lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineError(ErrorCode.INPUT_NOT_FOUND, "cannot read manifest " + manifest + ": " + e, e);
        }
        Path base = manifest.toAbsolutePath().getParent();
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length > 2) {
                throw new EngineError(ErrorCode.INVALID_ARGUMENT, manifest + ":" + (i + 1)
                        + ": expected 'input [output]' (paths without spaces), got " + line);
            }
            Path input = base.resolve(fields[0]).normalize();
            Path output = fields.length == 2 ? base.resolve(fields[1]).normalize() : outputFor(input, outputDir, suffix,
                    manifest + ":" + (i + 1));
            items.add(new Item(input, output, manifest.getFileName() + ":" + (i + 1)));
        }
        return items;
    }

    /**
     * The request id of each item, in order: its input path, which is what the report's reader
     * looks for; {@code input -> output} for an input the run upscales more than once, so that ids
     * stay unique (they name the staging directories and key the assembly).
     *
     * @throws EngineError INVALID_ARGUMENT when two items write the same output
     */
    static List<String> requestIds(List<Item> items) {
        Map<Path, Item> byOutput = new HashMap<>();
        Map<Path, Integer> perInput = new HashMap<>();
        for (Item item : items) {
            Item other = byOutput.putIfAbsent(item.output(), item);
            if (other != null) {
                throw new EngineError(ErrorCode.INVALID_ARGUMENT, other.origin() + " and " + item.origin()
                        + " both write " + item.output() + ": give each its own output");
            }
            perInput.merge(item.input(), 1, Integer::sum);
        }
        return items.stream().map(i -> perInput.get(i.input()) == 1 ? i.input().toString()
                : i.input() + " -> " + i.output()).toList();
    }

    static List<Item> fromDirectory(Path dir, Path outputDir, String suffix) {
        return matching(dir, VIDEO_FILES, outputDir, suffix);
    }

    /** {@code pattern} is a glob relative to the working directory, e.g. {@code videos/**.mp4}. */
    static List<Item> fromGlob(String pattern, Path outputDir, String suffix) {
        Path cwd = Path.of("").toAbsolutePath();
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + cwd + "/" + pattern);
        return matching(cwd, matcher, outputDir, suffix);
    }

    private static List<Item> matching(Path root, PathMatcher matcher, Path outputDir, String suffix) {
        if (!Files.isDirectory(root)) {
            throw new EngineError(ErrorCode.INPUT_NOT_FOUND, "input directory " + root + " does not exist");
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(Path::toAbsolutePath)
                    .filter(matcher::matches)
                    .sorted()
                    .map(p -> new Item(p, outputFor(p, outputDir, suffix, p.toString()), p.toString()))
                    .toList();
        } catch (IOException e) {
            throw new EngineError(ErrorCode.INPUT_UNREADABLE, "cannot list " + root + ": " + e, e);
        }
    }

    private static Path outputFor(Path input, Path outputDir, String suffix, String where) {
        if (outputDir == null) {
            throw new EngineError(ErrorCode.INVALID_ARGUMENT, where + ": no output named and no --output-dir");
        }
        String name = input.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? ".mp4" : name.substring(dot);
        return outputDir.toAbsolutePath().resolve(stem + suffix + ext);
    }
}
