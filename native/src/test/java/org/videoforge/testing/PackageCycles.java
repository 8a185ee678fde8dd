package org.videoforge.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/**
 * The package cycles of a module's compiled classes, from the JDK's own dependency analyser
 * ({@code jdeps -verbose:package}, run in-process through its ToolProvider): each cycle is a set of
 * packages that reach one another. A module whose packages depend downward only has none.
 */
public final class PackageCycles {
    private static final Pattern EDGE = Pattern.compile("^\\s*(org\\.videoforge[\\w.]*)\\s+->\\s+(org\\.videoforge[\\w.]*)\\s");

    private PackageCycles() {
    }

    /** The cycles among the {@code org.videoforge} packages compiled into {@code classes}, each sorted. */
    public static List<Set<String>> of(Path classes) {
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException("no compiled classes at " + classes);
        }
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
                .orElseThrow(() -> new IllegalStateException("this JDK has no jdeps"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none",
                classes.toString());
        if (rc != 0) {
            throw new IllegalStateException("jdeps failed (" + rc + "): " + err);
        }
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find() && !m.group(1).equals(m.group(2))) {
                graph.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
                graph.computeIfAbsent(m.group(2), k -> new TreeSet<>());
            }
        }
        if (graph.isEmpty()) {
            throw new IllegalStateException("jdeps found no dependencies between packages in " + classes + ":\n" + out);
        }
        Map<String, Set<String>> reach = new TreeMap<>();
        for (String p : graph.keySet()) {
            reach.put(p, reachable(graph, p));
        }
        Set<Set<String>> cycles = new LinkedHashSet<>();
        for (String p : graph.keySet()) {
            if (reach.get(p).contains(p)) {
                Set<String> cycle = new TreeSet<>();
                for (String q : graph.keySet()) {
                    if (reach.get(p).contains(q) && reach.get(q).contains(p)) {
                        cycle.add(q);
                    }
                }
                cycles.add(cycle);
            }
        }
        return new ArrayList<>(cycles);
    }

    private static Set<String> reachable(Map<String, Set<String>> graph, String from) {
        Set<String> seen = new TreeSet<>();
        List<String> stack = new ArrayList<>(graph.get(from));
        while (!stack.isEmpty()) {
            String v = stack.remove(stack.size() - 1);
            if (seen.add(v)) {
                stack.addAll(graph.get(v));
            }
        }
        return seen;
    }
}
