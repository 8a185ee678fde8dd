package org.videoforge.inference.tensorrt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
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
 * A directory of serialized TensorRT engines, one file per {@link EngineCacheKey}. Building an
 * engine takes seconds to minutes; loading one takes milliseconds, so every engine built is
 * stored here and reused by later runs, slots and processes on the same host.
 *
 * <p>Each file is a small header (magic, format, payload length, SHA-256 of the payload) and the
 * plan. {@link #store} writes a temporary file in the same directory, forces it to disk and
 * renames it over the entry, so a reader (another slot, another TaskManager) sees the old entry,
 * no entry, or the complete new one, never a torn write. An entry that is truncated, altered or
 * not a cache file is deleted by {@link #load}, which then reports a miss so the engine is
 * rebuilt; an entry whose plan TensorRT refuses to deserialize is {@link #remove}d by the backend
 * and rebuilt the same way. Thread-safe.
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

    /**
     * The plan stored for {@code key}, or empty on a miss. A file that is not an intact entry is
     * deleted (and logged) and reported as a miss. Never throws for a bad or unreadable entry.
     */
    public Optional<byte[]> load(EngineCacheKey key) {
        Path file = path(key);
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
        Objects.requireNonNull(plan, "plan");
        Path target = path(key);
        Path tmp = null;
        try {
            Files.createDirectories(directory);
            tmp = Files.createTempFile(directory, "." + key.fileName() + ".", ".tmp");
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
            LOG.info("TensorRT engine cached: {} ({} KiB)", target, plan.length / 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store TensorRT engine " + target + ": " + e.getMessage(), e);
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
