package org.videoforge.codec.hostile;

import java.nio.file.Path;
import org.videoforge.error.EngineError;

/**
 * What happened to one case, as the child prints it and the parent reads it back: one
 * tab-separated line. {@code kind} is OK, ERROR (a coded EngineError), UNCODED (any other
 * exception: a failure), or, made by the parent, CRASH (the child JVM died) or HANG (the time bound ran out).
 */
record CaseOutcome(String name, String kind, long frames, Path output, int code, String message, long leases,
                   String handles, long partFiles) {

    static final String BASELINE_HANDLES = "demuxers=0 codecs=0 muxers=0";

    static String begin(String name) {
        return "BEGIN\t" + name;
    }

    static CaseOutcome ok(String name, long frames, Path output) {
        return new CaseOutcome(name, "OK", frames, output, 0, "", -1, "", -1);
    }

    static CaseOutcome error(String name, EngineError e) {
        return new CaseOutcome(name, "ERROR", 0, null, e.code().number(), e.getMessage(), -1, "", -1);
    }

    static CaseOutcome uncoded(String name, Throwable t) {
        return new CaseOutcome(name, "UNCODED", 0, null, 0, t.toString(), -1, "", -1);
    }

    static CaseOutcome lost(String name, String kind, String why) {
        return new CaseOutcome(name, kind, 0, null, 0, why, -1, "", -1);
    }

    CaseOutcome withLeftovers(long leasesOut, String openHandles, long parts) {
        return new CaseOutcome(name, kind, frames, output, code, message, leasesOut, openHandles, parts);
    }

    /** Everything the pipeline opened was given back and no temporary file is left. */
    boolean leftNothing() {
        return leases == 0 && BASELINE_HANDLES.equals(handles) && partFiles == 0;
    }

    String line() {
        return String.join("\t", "END", name, kind, Long.toString(frames), output == null ? "-" : output.toString(),
                Integer.toString(code), clean(message), Long.toString(leases), handles, Long.toString(partFiles));
    }

    static CaseOutcome parse(String line) {
        String[] f = line.split("\t", -1);
        return new CaseOutcome(f[1], f[2], Long.parseLong(f[3]), f[4].equals("-") ? null : Path.of(f[4]),
                Integer.parseInt(f[5]), f[6], Long.parseLong(f[7]), f[8], Long.parseLong(f[9]));
    }

    private static String clean(String s) {
        return s == null ? "" : s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    @Override
    public String toString() {
        return name + ": " + kind + (kind.equals("OK") ? " " + frames + " frames" : " E" + code + " " + message)
                + " [leases=" + leases + " " + handles + " part=" + partFiles + "]";
    }
}
