package org.videoforge.codec.hostile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.videoforge.codec.OpenHandles;
import org.videoforge.error.EngineError;
import org.videoforge.memory.BucketedBufferPool;
import org.videoforge.memory.HostAllocator;
import org.videoforge.memory.MemoryBudget;

/**
 * The child JVM of {@link ForkedCaseRunner}: runs each case of a case file through
 * {@link PipelineUnderTest} and prints one line when it starts and one when it ends, with the pool
 * leases and FFmpeg handles still open afterwards. A native crash kills only this JVM, and the
 * parent knows from the last "BEGIN" which case did it.
 *
 * <p>Arguments: CASE_FILE OUTPUT_DIR POOL_LIMIT_BYTES STALL_MILLIS.
 */
public final class CaseRunnerMain {
    private CaseRunnerMain() {
    }

    public static void main(String[] args) throws IOException {
        List<CorpusCase> cases = CorpusCase.readAll(Path.of(args[0]));
        Path outDir = Path.of(args[1]);
        long poolLimit = Long.parseLong(args[2]);
        Duration stall = Duration.ofMillis(Long.parseLong(args[3]));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        // One pool for every case, like the TaskManager's shared pool: a case that fails must not
        // leave leases behind for the next, and a ceiling hit by one case must not fail the next.
        try (BucketedBufferPool pool = new BucketedBufferPool("corpus", new HostAllocator(),
                new MemoryBudget("corpus", poolLimit))) {
            PipelineUnderTest pipeline = new PipelineUnderTest(pool, stall);
            for (CorpusCase c : cases) {
                out.println(CaseOutcome.begin(c.name()));
                Path output = outDir.resolve(c.name() + ".mp4");
                CaseOutcome outcome;
                try {
                    long frames = pipeline.run(c.input(), c.rawHint(), output);
                    outcome = CaseOutcome.ok(c.name(), frames, output);
                } catch (EngineError e) {
                    outcome = CaseOutcome.error(c.name(), e);
                } catch (Throwable t) {
                    outcome = CaseOutcome.uncoded(c.name(), t);
                }
                out.println(outcome.withLeftovers(pool.stats().leasesOut(), OpenHandles.summary(),
                        partFiles(outDir)).line());
            }
        }
        out.println("DONE");
    }

    private static long partFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0; // the "output directory is a file" case: nothing can have been written
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).count();
        }
    }
}
