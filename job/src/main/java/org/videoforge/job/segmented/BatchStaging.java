package org.videoforge.job.segmented;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.apache.flink.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * A batch run's own staging directory, {@code batch-<uuid>/} under {@code --staging}. A bounded job
 * that stops early is re-run whole, so its segments are worth nothing once the run ends, whichever
 * way it ends. A run that is killed cannot remove them itself: each run holds a lock on
 * {@code batch-<uuid>.lock} (created before the directory) while it lives, and every run first
 * removes the directories of runs whose lock is free, i.e. whose process is gone.
 */
final class BatchStaging implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchStaging.class);
    private static final String PREFIX = "batch-";
    private static final String LOCK = ".lock";

    private final Path dir;
    private final Path lockFile;
    private final FileChannel channel;

    private BatchStaging(Path dir, Path lockFile, FileChannel channel) {
        this.dir = dir;
        this.lockFile = lockFile;
        this.channel = channel;
    }

    /** Removes what dead runs left under {@code staging}, then takes this run's directory. */
    static BatchStaging create(Path staging) {
        try {
            Files.createDirectories(staging);
            removeAbandoned(staging);
            String name = PREFIX + UUID.randomUUID();
            Path lockFile = staging.resolve(name + LOCK);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            channel.lock();
            return new BatchStaging(staging.resolve(name), lockFile, channel);
        } catch (IOException e) {
            throw new EngineError(ErrorCode.OUTPUT_WRITE_FAILED, "cannot create a staging directory in " + staging
                    + ": " + e, e);
        }
    }

    /** Where this run's segments go (created by the job as it needs it). */
    Path dir() {
        return dir;
    }

    private static void removeAbandoned(Path staging) throws IOException {
        try (DirectoryStream<Path> locks = Files.newDirectoryStream(staging, PREFIX + "*" + LOCK)) {
            for (Path lockFile : locks) {
                String name = lockFile.getFileName().toString();
                Path runDir = staging.resolve(name.substring(0, name.length() - LOCK.length()));
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                     FileLock lock = channel.tryLock()) {
                    if (lock != null) {
                        LOG.info("removing {}, left by a batch run that did not end cleanly", runDir);
                        FileUtils.deleteDirectory(runDir.toFile());
                        Files.deleteIfExists(lockFile);
                    }
                } catch (NoSuchFileException | OverlappingFileLockException gone) {
                    // Its run ended meanwhile, or it is one of this JVM's own runs.
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            FileUtils.deleteDirectory(dir.toFile());
            Files.deleteIfExists(lockFile);
        } finally {
            channel.close();
        }
    }
}
