package org.videoforge.inference.tensorrt;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * Whether this JVM can use TensorRT: the JavaCPP JNI wrappers of {@code nvinfer} and
 * {@code nvonnxparser} load, which needs {@code libnvinfer.so.10}, {@code libnvinfer_plugin.so.10} (the
 * parser's preset links it), {@code libnvonnxparser.so.10} and the CUDA libraries they link (cuBLAS,
 * cuDNN, NVRTC: the presets inherit cuda's). Those come from the Maven redistributable
 * ({@code org.bytedeco:tensorrt:<version>:linux-x86_64-redist}, on the classpath with the build's
 * {@code -Ptensorrt} profile or in the GPU bundle) or from a system TensorRT 10 install on the
 * library path; {@link #librarySource()} says which was loaded. Probed once and cached; safe on a
 * machine without TensorRT, CUDA or a GPU, where it simply says no and {@link #unavailableReason()}
 * names the library that is missing. Nothing in this package touches a TensorRT class before this
 * has said yes.
 */
public final class TensorRtRuntime {
    private static final Pattern MISSING_LIBRARY =
            Pattern.compile("(lib[\\w.+-]+\\.so(?:\\.[\\d.]+)?): cannot open shared object file");

    private static final Probe PROBE = Probe.run();

    private TensorRtRuntime() {
    }

    /** True if the TensorRT 10 libraries and their JNI wrappers load. Never throws. */
    public static boolean available() {
        return PROBE.reason.isEmpty();
    }

    /** Why {@link #available()} is false, naming the missing library where there is one; "" when available. */
    public static String unavailableReason() {
        return PROBE.reason;
    }

    /** The loaded library's version, e.g. "10.15.1"; BACKEND_UNAVAILABLE when TensorRT is not available. */
    public static String version() {
        require();
        return formatVersion(PROBE.version);
    }

    /** {@code getInferLibVersion()}: major * 10000 + minor * 100 + patch for TensorRT 10. */
    public static int versionCode() {
        require();
        return PROBE.version;
    }

    /** Throws BACKEND_UNAVAILABLE (naming the missing library) unless TensorRT is available. */
    public static void require() {
        if (!available()) {
            throw new EngineError(ErrorCode.BACKEND_UNAVAILABLE, (PROBE.version != 0 ? "TensorRT cannot be used: "
                    : "TensorRT libraries not found: ") + unavailableReason()
                    + "; build with -Ptensorrt (TensorRT's Maven redistributable) or install TensorRT 10"
                    + " (libnvinfer.so.10, libnvinfer_plugin.so.10, libnvonnxparser.so.10) on the library path,"
                    + " or use --backend cuda");
        }
    }

    /**
     * Where the loaded {@code libnvinfer} came from, for the start-up line: e.g. "the Maven
     * redistributable (/tmp/videoforge/tensorrt/org/bytedeco/tensorrt/linux-x86_64)" or "a system
     * TensorRT install (/usr/lib/x86_64-linux-gnu)". BACKEND_UNAVAILABLE when TensorRT is not available.
     */
    public static String librarySource() {
        require();
        try {
            return loadedLibrary("libnvinfer.so").map(TensorRtRuntime::describeSource)
                    .orElse("an unknown location (libnvinfer is not in /proc/self/maps)");
        } catch (IOException | RuntimeException e) {
            return "an unknown location (" + e + ")";
        }
    }

    /** "TensorRT 10.6.0 from the Maven redistributable (DIR)", for logs and the CLI. */
    public static String describe() {
        return "TensorRT " + version() + " from " + librarySource();
    }

    /**
     * The redistributable's libraries sit in a folder laid out like its jar,
     * {@code org/bytedeco/tensorrt/<platform>/} (JavaCPP's cache or the GPU bundle); anything else
     * is a TensorRT install.
     */
    static String describeSource(Path library) {
        Path dir = library.getParent();
        String where = dir == null ? library.toString() : dir.toString();
        return where.replace('\\', '/').contains("/org/bytedeco/tensorrt/")
                ? "the Maven redistributable (" + where + ")" : "a system TensorRT install (" + where + ")";
    }

    /** 101501 -> "10.15.1"; TensorRT 8's major * 1000 encoding -> "8.6.1". */
    static String formatVersion(int code) {
        if (code >= 10000) {
            return code / 10000 + "." + code / 100 % 100 + "." + code % 100;
        }
        return code / 1000 + "." + code / 100 % 10 + "." + code % 100;
    }

    /**
     * Null if library version {@code code} can serve bindings compiled against
     * {@code major.minor}, else why not. TensorRT's API classes are inline wrappers calling virtual
     * functions of the library's implementation objects, which only grow within a major version:
     * bindings may call a function an older library lacks (a call through a missing vtable slot, a
     * crash), so the library must be the same major and at least the same minor version.
     */
    static String versionProblem(int code, int major, int minor) {
        int libMajor = code >= 10000 ? code / 10000 : code / 1000;
        int libMinor = code >= 10000 ? code / 100 % 100 : code / 100 % 10;
        if (libMajor != major || libMinor < minor) {
            return "found TensorRT " + formatVersion(code) + ", but these bindings (org.bytedeco:tensorrt " + major + "."
                    + minor + ") need TensorRT " + major + "." + minor + " or a later " + major + ".x";
        }
        return null;
    }

    /**
     * The reason for a failed load, as the dynamic linker put it where JavaCPP wraps it: "libnvinfer.so.10:
     * cannot open shared object file ...". Falls back to the innermost message.
     */
    static String describeLoadFailure(Throwable t) {
        Set<String> missing = new LinkedHashSet<>();
        String innermost = null;
        Set<Throwable> seen = new java.util.HashSet<>();
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            String m = c.getMessage();
            if (m != null) {
                Matcher matcher = MISSING_LIBRARY.matcher(m);
                while (matcher.find()) {
                    missing.add(matcher.group(1));
                }
                innermost = m;
            }
        }
        if (!missing.isEmpty()) {
            boolean driver = missing.stream().anyMatch(l -> l.startsWith("libcuda.so"));
            return String.join(", ", missing) + ": cannot open shared object file ("
                    + (driver ? "no NVIDIA driver: TensorRT needs a GPU and its driver"
                              : "not installed or not on the library path") + ")";
        }
        return innermost != null ? innermost : t.toString();
    }

    /**
     * Best effort, for error messages: which {@code libnvinfer_builder_resource*} libraries lie next to
     * the loaded {@code libnvinfer.so}, and whether the one for {@code sm_<cc>} is among them. TensorRT
     * 10 keeps each GPU architecture's builder kernels in its own library; a build for a GPU whose
     * library is missing fails (the Maven redistributable ships only the PTX one). Linux only; empty
     * where the library cannot be located.
     */
    public static Optional<String> builderResourceNote(int computeCapability) {
        try {
            Optional<Path> lib = loadedLibrary("libnvinfer.so");
            if (lib.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(builderResourceNote(lib.get().getParent(), computeCapability));
        } catch (RuntimeException | IOException e) {
            return Optional.empty();
        }
    }

    static String builderResourceNote(Path dir, int computeCapability) throws IOException {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "libnvinfer_builder_resource*")) {
            for (Path p : ds) {
                found.add(p.getFileName().toString());
            }
        }
        found.sort(null);
        String wanted = "libnvinfer_builder_resource_sm" + computeCapability;
        boolean perArch = found.stream().anyMatch(n -> n.startsWith("libnvinfer_builder_resource_"));
        boolean has = found.stream().anyMatch(n -> n.startsWith(wanted + ".") || n.equals(wanted + ".so"));
        // Older TensorRT 10 releases ship one libnvinfer_builder_resource.so.10.x for every architecture.
        boolean single = found.stream().anyMatch(n -> n.startsWith("libnvinfer_builder_resource.so"));
        if (found.isEmpty()) {
            return "no libnvinfer_builder_resource* library next to libnvinfer.so in " + dir;
        }
        if (has || single && !perArch) {
            return "builder resources in " + dir + ": " + String.join(", ", found);
        }
        return wanted + ".so* is missing from " + dir + " (found only " + String.join(", ", found) + ")";
    }

    /** The path of a mapped shared object whose file name starts with {@code prefix}, from /proc/self/maps. */
    static Optional<Path> loadedLibrary(String prefix) throws IOException {
        Path maps = Paths.get("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(maps)) {
            int slash = line.indexOf('/');
            if (slash < 0) {
                continue;
            }
            Path p = Paths.get(line.substring(slash).trim());
            Path name = p.getFileName();
            if (name != null && name.toString().startsWith(prefix)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static final class Probe {
        final int version;
        final String reason;

        Probe(int version, String reason) {
            this.version = version;
            this.reason = reason;
        }

        static Probe run() {
            try {
                Loader.load(nvinfer.class);
                Loader.load(nvonnxparser.class);
            } catch (Throwable t) {
                // UnsatisfiedLinkError (no libnvinfer / libnvonnxparser, or no CUDA libraries under them),
                // NoClassDefFoundError, ExceptionInInitializerError: all mean "no TensorRT here", never a crash.
                return new Probe(0, describeLoadFailure(t));
            }
            try {
                int v = nvinfer.getInferLibVersion();
                String problem = versionProblem(v, nvinfer.NV_TENSORRT_MAJOR, nvinfer.NV_TENSORRT_MINOR);
                if (problem != null) {
                    return new Probe(v, problem);
                }
                nvonnxparser.getNvOnnxParserVersion(); // resolves a libnvonnxparser symbol: fails here, not mid-build
                return new Probe(v, "");
            } catch (Throwable t) {
                return new Probe(0, "TensorRT loaded but failed to start (" + describeLoadFailure(t) + ")");
            }
        }
    }
}
