package org.videoforge.job.environment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.util.FileUtils;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * Where a job on the embedded MiniCluster keeps its progress so that it outlives the process:
 * Flink's checkpoints ({@code checkpoints/<job id>/chk-<n>/}), retained when the job is cancelled
 * or the process dies, and the savepoints of stops ({@code savepoints/savepoint-*}). A start
 * resumes from the newest complete one of either through Flink's own recovery
 * ({@code execution.state-recovery.path}) in CLAIM mode, so Flink deletes it once a newer
 * checkpoint subsumes it.
 *
 * <p>A snapshot is complete when its {@code _metadata} file exists: Flink writes that file last,
 * and on a local filesystem under a temporary name renamed into place, so a process killed during
 * a checkpoint leaves no half snapshot that looks whole; the newest complete one is never one
 * Flink is deleting (it deletes only subsumed ones).
 *
 * <p>One process at a time: the directory is locked ({@code lock}, holding the owner's pid) until
 * {@link #close()} or the process's end.
 */
public final class StateDirectory implements AutoCloseable {
    static final String CHECKPOINTS = "checkpoints";
    static final String SAVEPOINTS = "savepoints";
    private static final String METADATA = "_metadata";
    private static final String LOCK = "lock";

    private final Path dir;
    private final FileChannel lockChannel;

    private StateDirectory(Path dir, FileChannel lockChannel) {
        this.dir = dir;
        this.lockChannel = lockChannel;
    }

    /**
     * The per-user default for a job: {@code $XDG_STATE_HOME/videoforge/<jobKey>}, where
     * {@code XDG_STATE_HOME} defaults to {@code ~/.local/state}.
     */
    public static Path defaultFor(String jobKey) {
        String xdg = System.getenv("XDG_STATE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Paths.get(xdg).isAbsolute() ? Paths.get(xdg)
                : Paths.get(System.getProperty("user.home"), ".local", "state");
        return base.resolve("videoforge").resolve(jobKey);
    }

    /**
     * Creates the directory if needed and locks it.
     *
     * @throws EngineError INVALID_ARGUMENT when another process holds it, OUTPUT_WRITE_FAILED when it
     *                     cannot be created
     */
    public static StateDirectory open(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        FileChannel channel = null;
        try {
            Files.createDirectories(abs.resolve(CHECKPOINTS));
            Files.createDirectories(abs.resolve(SAVEPOINTS));
            channel = FileChannel.open(abs.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                String owner = Files.readString(abs.resolve(LOCK), StandardCharsets.UTF_8).strip();
                throw new EngineError(ErrorCode.INVALID_ARGUMENT, "state directory " + abs + " is in use by another "
                        + "process" + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                        + ": stop it first, or give this job its own --state-dir");
            }
            channel.truncate(0);
            channel.write(StandardCharsets.UTF_8.encode(Long.toString(ProcessHandle.current().pid())));
            channel.force(false);
            return new StateDirectory(abs, channel);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new EngineError(ErrorCode.OUTPUT_WRITE_FAILED, "cannot use state directory " + abs + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldByThisJvm) {
            return null;
        }
    }

    public Path path() {
        return dir;
    }

    /** Where stops write their savepoints. */
    public Path savepoints() {
        return dir.resolve(SAVEPOINTS);
    }

    /** The newest complete checkpoint or savepoint (its directory), if any. */
    public Optional<Path> latestSnapshot() {
        return snapshots().stream().filter(StateDirectory::isComplete)
                .max(Comparator.comparing(StateDirectory::completedAt).thenComparing(Path::toString));
    }

    /**
     * Deletes every snapshot but {@code keep} (none: all of them): older ones, and those a killed
     * process left incomplete; then job directories left without checkpoints. Only while no job
     * uses the directory, i.e. before this process starts its job.
     */
    public void keepOnly(Optional<Path> keep) {
        for (Path snapshot : snapshots()) {
            if (keep.isEmpty() || !snapshot.equals(keep.get())) {
                delete(snapshot);
            }
        }
        try (Stream<Path> jobs = Files.list(dir.resolve(CHECKPOINTS))) {
            for (Path job : jobs.toList()) {
                if ((keep.isEmpty() || !keep.get().startsWith(job)) && withoutFiles(job)) {
                    delete(job);
                }
            }
        } catch (IOException e) {
            throw new EngineError(ErrorCode.OUTPUT_WRITE_FAILED, "cannot clean state directory " + dir + ": " + e, e);
        }
    }

    /**
     * The MiniCluster settings that keep checkpoints here, retained when the job is cancelled or
     * dies, and that resume from {@code restoreFrom} when given.
     */
    public Configuration configuration(Optional<Path> restoreFrom) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.resolve(CHECKPOINTS).toUri().toString());
        conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, savepoints().toUri().toString());
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        restoreFrom.ifPresent(snapshot -> {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, snapshot.toUri().toString());
            conf.set(StateRecoveryOptions.RESTORE_MODE, RecoveryClaimMode.CLAIM);
        });
        return conf;
    }

    /** Releases the lock. */
    @Override
    public void close() {
        closeQuietly(lockChannel);
    }

    /** {@code checkpoints/<job>/chk-<n>} and {@code savepoints/savepoint-*}, complete or not. */
    private List<Path> snapshots() {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> jobs = Files.list(dir.resolve(CHECKPOINTS))) {
            for (Path job : jobs.filter(Files::isDirectory).toList()) {
                try (Stream<Path> checkpoints = Files.list(job)) {
                    checkpoints.filter(p -> p.getFileName().toString().startsWith("chk-")).forEach(found::add);
                }
            }
            try (Stream<Path> savepoints = Files.list(savepoints())) {
                savepoints.filter(p -> p.getFileName().toString().startsWith("savepoint-")).forEach(found::add);
            }
        } catch (IOException e) {
            throw new EngineError(ErrorCode.OUTPUT_WRITE_FAILED, "cannot read state directory " + dir + ": " + e, e);
        }
        return found;
    }

    private static boolean isComplete(Path snapshot) {
        return Files.isRegularFile(snapshot.resolve(METADATA));
    }

    private static FileTime completedAt(Path snapshot) {
        try {
            return Files.getLastModifiedTime(snapshot.resolve(METADATA));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** A job's checkpoint directory with nothing left in it but empty subdirectories. */
    private static boolean withoutFiles(Path jobDir) throws IOException {
        try (Stream<Path> all = Files.walk(jobDir)) {
            return all.noneMatch(Files::isRegularFile);
        }
    }

    private static void delete(Path path) {
        try {
            FileUtils.deleteFileOrDirectory(path.toFile());
        } catch (IOException e) {
            throw new EngineError(ErrorCode.OUTPUT_WRITE_FAILED, "cannot delete " + path + ": " + e, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing releases the lock; the process's end would as well.
        }
    }
}
