package org.videoforge.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's error table lists every code, with its number and name, a cause and what to do, in order. */
class ReadmeErrorTableTest {
    private static final Pattern ROW = Pattern.compile("^\\| (\\d{4}) \\| ([A-Z_]+) \\| ([^|]+) \\| ([^|]+) \\|$");

    @Test
    void everyCodeHasARowAndEveryRowACode() throws IOException {
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(readme())) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                assertTrue(m.group(3).trim().length() > 1, "no cause for " + m.group(2));
                assertTrue(m.group(4).trim().length() > 0, "no advice for " + m.group(2));
                assertEquals(ErrorCode.ofNumber(Integer.parseInt(m.group(1))).name(), m.group(2),
                        "README row " + m.group(1));
                rows.add(m.group(2));
            }
        }
        List<String> codes = new ArrayList<>();
        for (ErrorCode c : ErrorCode.values()) {
            codes.add(c.name());
        }
        assertEquals(codes, rows, "README error table vs ErrorCode (same codes, same order)");
    }

    private static Path readme() {
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("README.md");
            if (Files.isRegularFile(p) && Files.isDirectory(dir.resolve("native"))) {
                return p;
            }
        }
        throw new IllegalStateException("README.md not found above " + Paths.get("").toAbsolutePath());
    }
}
