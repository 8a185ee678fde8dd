package org.videoforge.inference.tensorrt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of serialized TensorRT engines, one file per {@link EngineCacheKey}, and of TensorRT
 * timing caches, one per GPU model and TensorRT version. Building an engine takes seconds to
 * minutes; loading one takes milliseconds, so every engine built is stored here and reused by later
 * runs, slots and processes on the same host (or on every host that mounts the directory); the
 * timing cache keeps the builder's kernel measurements, so that an engine for a new frame size or
 * model of the same layers is built in a fraction of the time.
 *
 * <p>Each file is a small header (magic, format, payload length, SHA-256 of the payload) and the
 * plan. {@link #store} writes a temporary file in the same directory, forces it to disk and
 * renames it over the entry, so a reader (another slot, another TaskManager) sees the old entry,
 * no entry, or the complete new one, never a torn write. An entry that is truncated, altered or
 * not a cache file is deleted by {@link #load}, which then reports a miss so the engine is
 * rebuilt; an entry whose plan TensorRT refuses to deserialize is {@link #remove}d by the backend
 * and rebuilt the same way. {@link #lock} serialises builders of one entry across processes (an
 * advisory file lock next to the entry), so that TaskManagers sharing the directory build each
 * engine once. Thread-safe.
 */
public final class EngineCache {
    private static final Logger LOG = LoggerFactory.getLogger(EngineCache.class);

    /** System property naming the cache directory; wins over everything else. */
    public static final String DIR_PROPERTY = "videoforge.tensorrt.cache";
    /** Environment variable naming the cache directory; wins over the XDG default. */
    public static final String DIR_ENV = "VIDEOFORGE_TENSORRT_CACHE";

    static final byte[] MAGIC = "VFTRTPLN".getBytes(StandardCharsets.US_ASCII);
    static final int FORMAT = 1;
    /** magic + format + payload length + SHA-256. */
    static final int HEADER_BYTES = MAGIC.length + 4 + 8 + 32;

    private final Path directory;

    private EngineCache(Path directory) {
        this.directory = directory;
    }

    /** A cache in {@code directory} (created on the first store). */
    public static EngineCache at(Path directory) {
        return new EngineCache(Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize());
    }

    /** The cache in {@link #defaultDirectory()}. */
    public static EngineCache defaultCache() {
        return at(defaultDirectory());
    }

    /**
     * {@code -Dvideoforge.tensorrt.cache}, else {@code $VIDEOFORGE_TENSORRT_CACHE}, else
     * {@code $XDG_CACHE_HOME/videoforge/tensorrt}, else {@code ~/.cache/videoforge/tensorrt}.
     */
    public static Path defaultDirectory() {
        return defaultDirectory(System.getProperty(DIR_PROPERTY), System.getenv(), System.getProperty("user.home"));
    }

    static Path defaultDirectory(String property, Map<String, String> env, String userHome) {
        if (property != null && !property.isBlank()) {
            return Paths.get(property);
        }
        String explicit = env.get(DIR_ENV);
        if (explicit != null && !explicit.isBlank()) {
            return Paths.get(explicit);
        }
        String xdg = env.get("XDG_CACHE_HOME");
        // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
        if (xdg != null && !xdg.isBlank() && Paths.get(xdg).isAbsolute()) {
            return Paths.get(xdg, "videoforge", "tensorrt");
        }
        return Paths.get(userHome, ".cache", "videoforge", "tensorrt");
    }

    public Path directory() {
        return directory;
    }

    /** Where {@code key}'s entry lives (whether or not it exists). */
    public Path path(EngineCacheKey key) {
        return directory.resolve(key.fileName());
    }

    /** Where the timing cache of one GPU model and TensorRT version lives. */
    public Path timingCachePath(String gpuName, int computeCapability, String tensorRtVersion) {
        return directory.resolve("timing-" + EngineCacheKey.slug(gpuName, 40) + "-sm" + computeCapability + "-trt"
                + EngineCacheKey.slug(tensorRtVersion, 24).replace('-', '.') + ".cache");
    }

    /**
     * Takes the cross-process build lock of {@code key} (blocking), creating the directory if need
     * be. Callers in one JVM must serialise among themselves first: a JVM cannot hold one file lock
     * twice. Where the directory cannot be written or locked, returns a no-op lock (logged): builds may
     * then happen twice, which costs time, never correctness.
     */
    public BuildLock lock(EngineCacheKey key) {
        return lock(directory.resolve(key.fileName() + ".lock"), key.fileName());
    }

    /** As {@link #lock(EngineCacheKey)}, for read-merge-write of the timing cache at {@code file}. */
    public BuildLock lockTimingCache(Path file) {
        return lock(file.resolveSibling(file.getFileName() + ".lock"), file.getFileName().toString());
    }

    private BuildLock lock(Path file, String what) {
        try {
            Files.createDirectories(directory);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                FileLock lock = ch.tryLock();
                if (lock == null) {
                    LOG.info("another process holds {}; waiting for it", what);
                    lock = ch.lock();
                }
                return new BuildLock(ch, lock);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot lock {} ({}); building without a cross-process lock", file, e.toString());
            return new BuildLock(null, null);
        }
    }

    /** A held build lock; closing releases it. The lock file stays (deleting it would race). */
    public static final class BuildLock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private BuildLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                if (lock != null) {
                    lock.release();
                }
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                LOG.debug("releasing a TensorRT build lock: {}", e.toString());
            }
        }
    }

    /**
     * The plan stored for {@code key}, or empty on a miss. A file that is not an intact entry is
     * deleted (and logged) and reported as a miss. Never throws for a bad or unreadable entry.
     */
    public Optional<byte[]> load(EngineCacheKey key) {
        return read(path(key));
    }

    /** The timing cache stored at {@code file} ({@link #timingCachePath}), or empty; as {@link #load}. */
    public Optional<byte[]> loadTimingCache(Path file) {
        return read(file);
    }

    /** Stores a serialized timing cache at {@code file}, atomically; as {@link #store}. */
    public void storeTimingCache(Path file, byte[] timingCache) {
        write(file, timingCache, "TensorRT timing cache");
        LOG.debug("TensorRT timing cache stored: {} ({} KiB)", file, timingCache.length / 1024);
    }

    private Optional<byte[]> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | OutOfMemoryError e) {
            discard(file, "cannot be read (" + e + ")");
            return Optional.empty();
        }
        String problem = validate(bytes);
        if (problem != null) {
            discard(file, problem);
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length));
    }

    /**
     * Stores {@code plan} as {@code key}'s entry, replacing any, atomically (temporary file, fsync,
     * rename). Throws UncheckedIOException if the directory cannot be written; nothing partial is
     * left behind.
     */
    public void store(EngineCacheKey key, byte[] plan) {
        write(path(key), plan, "TensorRT engine");
        LOG.info("TensorRT engine cached: {} ({} KiB)", path(key), plan.length / 1024);
    }

    private void write(Path target, byte[] plan, String what) {
        Objects.requireNonNull(plan, "plan");
        Path tmp = null;
        try {
            Files.createDirectories(directory);
            tmp = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
                header.put(MAGIC).putInt(FORMAT).putLong(plan.length).put(sha256(plan, 0, plan.length)).flip();
                writeFully(ch, header);
                writeFully(ch, ByteBuffer.wrap(plan));
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + what + " " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a stray temporary file is harmless (its name never matches a key)
                }
            }
        }
    }

    /** Deletes {@code key}'s entry, e.g. a plan TensorRT refused; true if there was one. */
    public boolean remove(EngineCacheKey key) {
        try {
            return Files.deleteIfExists(path(key));
        } catch (IOException e) {
            LOG.warn("cannot delete TensorRT engine cache entry {}: {}", path(key), e.toString());
            return false;
        }
    }

    /** Null if {@code file} is an intact entry, else what is wrong with it. */
    static String validate(byte[] file) {
        if (file.length < HEADER_BYTES) {
            return "is truncated (" + file.length + " bytes, shorter than the header)";
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.BIG_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            return "is not a VideoForge engine cache file";
        }
        int format = b.getInt();
        if (format != FORMAT) {
            return "has cache format " + format + ", not " + FORMAT;
        }
        long length = b.getLong();
        if (length != file.length - HEADER_BYTES) {
            return "is truncated or padded (header says " + length + " plan bytes, file holds "
                    + (file.length - HEADER_BYTES) + ")";
        }
        byte[] expected = new byte[32];
        b.get(expected);
        if (!MessageDigest.isEqual(expected, sha256(file, HEADER_BYTES, file.length - HEADER_BYTES))) {
            return "fails its checksum";
        }
        return null;
    }

    private void discard(Path file, String problem) {
        LOG.warn("TensorRT engine cache entry {} {}; deleting it, the engine will be rebuilt", file, problem);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", file, e.toString());
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static byte[] sha256(byte[] bytes, int offset, int length) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes, offset, length);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "TensorRT engine cache " + directory;
    }
}
