package org.videoforge.codec.hostile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.videoforge.codec.RawInputHint;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.VideoCodec;

/**
 * One input of the malformed-input corpus and what is acceptable for it: an output (of exactly
 * {@code exactFrames} frames when that is known, -1 when not), one of {@code allowedErrors}, or
 * either. {@code rotated}: the output must carry the input's 90-degree display matrix.
 */
record CorpusCase(String name, Path input, RawInputHint rawHint, boolean outputAllowed, long exactFrames,
                  Set<ErrorCode> allowedErrors, boolean rotated) {

    /** Codes that damaged input may legitimately produce, depending on where the damage lands. */
    static final Set<ErrorCode> DAMAGE = EnumSet.of(ErrorCode.INPUT_UNREADABLE, ErrorCode.NO_VIDEO_STREAM,
            ErrorCode.UNSUPPORTED_CODEC, ErrorCode.CORRUPT_STREAM, ErrorCode.UNSUPPORTED_PIXEL_FORMAT,
            ErrorCode.FRAME_SIZE_UNSUPPORTED, ErrorCode.ENCODE_FAILED, ErrorCode.ENCODER_UNAVAILABLE);

    static CorpusCase output(String name, Path input, RawInputHint hint, long frames) {
        return new CorpusCase(name, input, hint, true, frames, Set.of(), false);
    }

    static CorpusCase rotatedOutput(String name, Path input, long frames) {
        return new CorpusCase(name, input, null, true, frames, Set.of(), true);
    }

    static CorpusCase error(String name, Path input, RawInputHint hint, ErrorCode code) {
        return new CorpusCase(name, input, hint, false, -1, EnumSet.of(code), false);
    }

    /** Damaged input: a coded damage error, or an output -- of {@code frames} frames when that is known. */
    static CorpusCase damaged(String name, Path input, RawInputHint hint, long frames) {
        return new CorpusCase(name, input, hint, true, frames, DAMAGE, false);
    }

    /** This case with more acceptable error codes. */
    CorpusCase withErrors(Set<ErrorCode> codes) {
        Set<ErrorCode> all = EnumSet.copyOf(codes);
        all.addAll(allowedErrors);
        return new CorpusCase(name, input, rawHint, outputAllowed, exactFrames, all, rotated);
    }

    /** Tab-separated: name, path, raw codec, width, height (the last three "-" for containers). */
    String line() {
        return rawHint == null ? String.join("\t", name, input.toString(), "-", "-", "-")
                : String.join("\t", name, input.toString(), rawHint.codec().name(),
                        Integer.toString(rawHint.width()), Integer.toString(rawHint.height()));
    }

    static void writeAll(Path file, List<CorpusCase> cases) throws IOException {
        List<String> lines = new ArrayList<>();
        cases.forEach(c -> lines.add(c.line()));
        Files.write(file, lines);
    }

    /** The cases of a case file, with only what the child needs (name, input, hint). */
    static List<CorpusCase> readAll(Path file) throws IOException {
        List<CorpusCase> cases = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\t");
            RawInputHint hint = f[2].equals("-") ? null
                    : new RawInputHint(VideoCodec.valueOf(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]));
            cases.add(new CorpusCase(f[0], Path.of(f[1]), hint, true, -1, Set.of(), false));
        }
        return cases;
    }
}
