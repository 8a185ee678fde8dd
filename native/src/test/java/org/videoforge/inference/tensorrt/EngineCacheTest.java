package org.videoforge.inference.tensorrt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.frame.Precision;
import org.videoforge.inference.ModelSpec;

class EngineCacheTest {
    private static final ModelSpec SPEC = new ModelSpec("input", "output", Precision.FP16, 2, -1, -1, true);

    @TempDir
    Path dir;

    private static EngineCacheKey key(int height) {
        return EngineCacheKey.of("model".getBytes(StandardCharsets.UTF_8), "NVIDIA H100 80GB HBM3", 90, "10.15.1",
                Precision.FP16, ShapeProfile.forVideo(SPEC, height, 640, 1));
    }

    private static byte[] plan(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("c"))) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void aMissIsEmptyAndAStoreIsLoadedBack() throws IOException {
        EngineCache cache = EngineCache.at(dir.resolve("c"));
        assertEquals(Optional.empty(), cache.load(key(360)));
        assertFalse(Files.exists(dir.resolve("c")), "a load must not create the directory");
        byte[] p = plan(100_000, 1);
        cache.store(key(360), p);
        assertArrayEquals(p, cache.load(key(360)).orElseThrow());
        assertEquals(Optional.empty(), cache.load(key(720)), "another profile is another entry");
        assertEquals(List.of(key(360).fileName()), files(), "exactly the entry, no temporary files");
        assertEquals(dir.resolve("c").resolve(key(360).fileName()), cache.path(key(360)));
    }

    @Test
    void aStoreReplacesTheEntryWhole() throws IOException {
        EngineCache cache = EngineCache.at(dir.resolve("c"));
        cache.store(key(360), plan(50_000, 1));
        byte[] second = plan(20_000, 2);
        cache.store(key(360), second);
        assertArrayEquals(second, cache.load(key(360)).orElseThrow());
        assertEquals(List.of(key(360).fileName()), files());
        byte[] empty = new byte[0];
        cache.store(key(360), empty);
        assertArrayEquals(empty, cache.load(key(360)).orElseThrow());
    }

    /** Readers racing a writer see a complete old or new entry (or none), never a torn one. */
    @Test
    void concurrentReadersNeverSeeAPartialEntry() throws Exception {
        EngineCache cache = EngineCache.at(dir.resolve("c"));
        byte[][] versions = {plan(3_000_000, 1), plan(2_000_000, 2), plan(4_000_000, 3)};
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger hits = new AtomicInteger();
        Thread reader = new Thread(() -> {
            try {
                while (!done.get()) {
                    Optional<byte[]> got = cache.load(key(360));
                    if (got.isPresent()) {
                        hits.incrementAndGet();
                        byte[] g = got.get();
                        if (Arrays.stream(versions).noneMatch(v -> Arrays.equals(v, g))) {
                            throw new AssertionError("read a plan of " + g.length + " bytes that was never stored");
                        }
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        for (int i = 0; i < 30; i++) {
            cache.store(key(360), versions[i % versions.length]);
        }
        done.set(true);
        reader.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertTrue(hits.get() > 0, "the reader never saw an entry");
        assertEquals(List.of(key(360).fileName()), files(), "a valid entry survived and no temporary file remains");
    }

    @Test
    void corruptEntriesAreDeletedAndReportedAsMisses() throws IOException {
        EngineCache cache = EngineCache.at(dir.resolve("c"));
        byte[] p = plan(10_000, 1);
        Path file = cache.path(key(360));

        cache.store(key(360), p);
        byte[] stored = Files.readAllBytes(file);
        byte[] flipped = stored.clone();
        flipped[stored.length - 7] ^= 0x40;
        Files.write(file, flipped);
        assertEquals(Optional.empty(), cache.load(key(360)), "altered payload");
        assertFalse(Files.exists(file), "the corrupt entry is deleted");

        Files.write(file, Arrays.copyOf(stored, stored.length - 1));
        assertEquals(Optional.empty(), cache.load(key(360)), "truncated payload");
        assertFalse(Files.exists(file));

        Files.write(file, Arrays.copyOf(stored, 10));
        assertEquals(Optional.empty(), cache.load(key(360)), "truncated header");
        assertFalse(Files.exists(file));

        Files.write(file, p); // a raw plan (e.g. copied in by hand) is not an entry
        assertEquals(Optional.empty(), cache.load(key(360)), "no header");
        assertFalse(Files.exists(file));

        byte[] otherFormat = stored.clone();
        otherFormat[EngineCache.MAGIC.length + 3] = 9;
        Files.write(file, otherFormat);
        assertEquals(Optional.empty(), cache.load(key(360)), "unknown format");
        assertFalse(Files.exists(file));

        Files.createDirectories(file); // unreadable as a file
        assertEquals(Optional.empty(), cache.load(key(360)), "a directory in the way");

        EngineCache fresh = EngineCache.at(dir.resolve("c"));
        Files.deleteIfExists(file);
        fresh.store(key(360), p);
        assertArrayEquals(p, fresh.load(key(360)).orElseThrow(), "rebuilt after the corrupt entry went");
    }

    @Test
    void validateNamesWhatIsWrong() {
        assertTrue(EngineCache.validate(new byte[3]).contains("truncated"));
        byte[] header = new byte[EngineCache.HEADER_BYTES];
        assertTrue(EngineCache.validate(header).contains("not a VideoForge"));
    }

    @Test
    void removeDeletesAnEntry() {
        EngineCache cache = EngineCache.at(dir.resolve("c"));
        assertFalse(cache.remove(key(360)));
        cache.store(key(360), plan(100, 1));
        assertTrue(cache.remove(key(360)));
        assertEquals(Optional.empty(), cache.load(key(360)));
    }

    @Test
    void anUnwritableDirectoryFailsTheStoreCleanly() throws IOException {
        Path notADirectory = dir.resolve("file");
        Files.writeString(notADirectory, "x");
        EngineCache cache = EngineCache.at(notADirectory.resolve("c"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> cache.store(key(360), plan(10, 1)));
        assertTrue(e.getMessage().contains("cannot store TensorRT engine"), e.getMessage());
        assertEquals(Optional.empty(), cache.load(key(360)));
    }

    @Test
    void timingCachesAreKeptPerGpuModelAndVersion() throws IOException {
        EngineCache cache = EngineCache.at(dir.resolve("c"));
        Path h100 = cache.timingCachePath("NVIDIA H100 80GB HBM3", 90, "10.6.0");
        assertEquals("timing-nvidia-h100-80gb-hbm3-sm90-trt10.6.0.cache", h100.getFileName().toString());
        assertFalse(h100.equals(cache.timingCachePath("NVIDIA H200", 90, "10.6.0")));
        assertFalse(h100.equals(cache.timingCachePath("NVIDIA H100 80GB HBM3", 90, "10.7.0")));
        assertEquals(Optional.empty(), cache.loadTimingCache(h100));
        byte[] t = plan(5000, 3);
        cache.storeTimingCache(h100, t);
        assertArrayEquals(t, cache.loadTimingCache(h100).orElseThrow());
        byte[] file = Files.readAllBytes(h100);
        file[file.length - 1] ^= 1;
        Files.write(h100, file);
        assertEquals(Optional.empty(), cache.loadTimingCache(h100), "a damaged timing cache is a miss");
        assertFalse(Files.exists(h100), "and is deleted");
    }

    /** Another JVM holds an entry's build lock: this one waits until it lets go. */
    @Test
    void theBuildLockWaitsForAnotherProcess() throws Exception {
        EngineCache cache = EngineCache.at(dir.resolve("c"));
        Process holder = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BuildLockHolder.class.getName(),
                dir.resolve("c").toString(), "360")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (java.io.BufferedReader out = new java.io.BufferedReader(
                new java.io.InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine(); // anything a logger printed first is skipped
            } while (line != null && !line.equals("locked"));
            assertEquals("locked", line, "the other process took the lock");
            AtomicBoolean got = new AtomicBoolean();
            Thread taker = new Thread(() -> {
                try (EngineCache.BuildLock lock = cache.lock(key(360))) {
                    got.set(true);
                }
            });
            taker.start();
            taker.join(500);
            assertFalse(got.get(), "the lock is held by the other process");
            holder.getOutputStream().close(); // lets it go
            taker.join(10_000);
            assertTrue(got.get(), "taken once the other process let go");
            try (EngineCache.BuildLock other = cache.lock(key(720))) {
                assertTrue(Files.exists(dir.resolve("c").resolve(key(720).fileName() + ".lock")));
            }
        } finally {
            holder.destroy();
            holder.waitFor();
        }
    }

    /** Takes {@code key(height)}'s build lock in the cache at args[0], says "locked", holds it until stdin closes. */
    static final class BuildLockHolder {
        public static void main(String[] args) throws IOException {
            EngineCache cache = EngineCache.at(Paths.get(args[0]));
            try (EngineCache.BuildLock lock = cache.lock(key(Integer.parseInt(args[1])))) {
                System.out.println("locked");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // wait for the test to close our stdin
                }
            }
        }
    }

    @Test
    void theDefaultDirectoryFollowsPropertyEnvAndXdg() {
        assertEquals(Paths.get("/p"), EngineCache.defaultDirectory("/p", Map.of(EngineCache.DIR_ENV, "/e"), "/home/u"));
        assertEquals(Paths.get("/e"), EngineCache.defaultDirectory(null,
                Map.of(EngineCache.DIR_ENV, "/e", "XDG_CACHE_HOME", "/x"), "/home/u"));
        assertEquals(Paths.get("/x/videoforge/tensorrt"),
                EngineCache.defaultDirectory(null, Map.of("XDG_CACHE_HOME", "/x"), "/home/u"));
        assertEquals(Paths.get("/home/u/.cache/videoforge/tensorrt"),
                EngineCache.defaultDirectory("", Map.of("XDG_CACHE_HOME", "relative/ignored"), "/home/u"));
        assertEquals(Paths.get("/home/u/.cache/videoforge/tensorrt"), EngineCache.defaultDirectory(null, Map.of(),
                "/home/u"));
        assertTrue(EngineCache.defaultCache().directory().isAbsolute());
        assertEquals(EngineCache.at(Paths.get("rel")).directory(), Paths.get("rel").toAbsolutePath());
    }
}
