package org.videoforge.job.segmented;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.job.environment.StateDirectory;
import picocli.CommandLine;

/** Which snapshot a local start resumes from, what it cleans up, and that one process owns the directory. */
class StateDirectoryTest {
    @TempDir
    Path dir;

    private Path snapshot(String relative, long modifiedMillis, boolean complete) throws IOException {
        Path snapshot = Files.createDirectories(dir.resolve(relative));
        Files.write(snapshot.resolve("state-file"), new byte[] {1});
        if (complete) {
            Path metadata = Files.write(snapshot.resolve("_metadata"), new byte[] {2});
            Files.setLastModifiedTime(metadata, FileTime.fromMillis(modifiedMillis));
        }
        return snapshot;
    }

    private static long entries(Path d) throws IOException {
        try (Stream<Path> children = Files.list(d)) {
            return children.count();
        }
    }

    @Test
    void theNewestCompleteSnapshotIsResumedAndTheRestRemoved() throws IOException {
        try (StateDirectory state = StateDirectory.open(dir)) {
            assertEquals(Optional.empty(), state.latestSnapshot());
            Path oldCheckpoint = snapshot("checkpoints/job1/chk-3", 1_000, true);
            Path savepoint = snapshot("savepoints/savepoint-aaaaaa-1", 3_000, true);
            Path newerButIncomplete = snapshot("checkpoints/job2/chk-9", 0, false);
            Files.createDirectories(dir.resolve("checkpoints/job1/shared"));
            Path older = snapshot("checkpoints/job2/chk-8", 2_000, true);

            Optional<Path> latest = state.latestSnapshot();
            assertEquals(Optional.of(savepoint), latest);
            state.keepOnly(latest);
            assertTrue(Files.exists(savepoint.resolve("_metadata")));
            for (Path gone : new Path[] {oldCheckpoint, newerButIncomplete, older, dir.resolve("checkpoints/job1"),
                    dir.resolve("checkpoints/job2")}) {
                assertFalse(Files.exists(gone), gone + " removed");
            }
        }
    }

    @Test
    void aRetainedCheckpointIsResumedWhereNoSavepointIsNewer() throws IOException {
        try (StateDirectory state = StateDirectory.open(dir)) {
            snapshot("savepoints/savepoint-aaaaaa-1", 1_000, true);
            Path checkpoint = snapshot("checkpoints/job1/chk-12", 5_000, true);
            assertEquals(Optional.of(checkpoint), state.latestSnapshot());
            state.keepOnly(state.latestSnapshot());
            assertTrue(Files.exists(checkpoint.resolve("state-file")), "the kept checkpoint's files stay");
        }
    }

    @Test
    void startingFromScratchRemovesEverySnapshot() throws IOException {
        try (StateDirectory state = StateDirectory.open(dir)) {
            snapshot("savepoints/savepoint-aaaaaa-1", 1_000, true);
            snapshot("checkpoints/job1/chk-12", 5_000, true);
            state.keepOnly(Optional.empty());
            assertEquals(Optional.empty(), state.latestSnapshot());
            assertEquals(0, entries(dir.resolve("checkpoints")));
            assertEquals(0, entries(dir.resolve("savepoints")));
        }
    }

    @Test
    void checkpointsAreKeptHereRetainedAndResumedInClaimMode() {
        try (StateDirectory state = StateDirectory.open(dir)) {
            Path snapshot = dir.resolve("checkpoints/job/chk-1");
            Configuration conf = state.configuration(Optional.of(snapshot));
            assertEquals(dir.resolve("checkpoints").toUri().toString(), conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY));
            assertEquals(dir.resolve("savepoints").toUri().toString(), conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY));
            assertEquals(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION,
                    conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION));
            assertEquals(snapshot.toUri().toString(), conf.get(StateRecoveryOptions.SAVEPOINT_PATH));
            assertEquals(RecoveryClaimMode.CLAIM, conf.get(StateRecoveryOptions.RESTORE_MODE));
            assertFalse(state.configuration(Optional.empty()).contains(StateRecoveryOptions.SAVEPOINT_PATH));
        }
    }

    @Test
    void oneProcessAtATime() {
        try (StateDirectory first = StateDirectory.open(dir)) {
            EngineError e = assertThrows(EngineError.class, () -> StateDirectory.open(dir));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
        }
        StateDirectory.open(dir).close(); // released
    }

    @Test
    void theDefaultDirectoryIsPerUserAndNamesTheJob() {
        StreamCommand a = new StreamCommand();
        new CommandLine(a).parseArgs("--bootstrap-servers", "kafka:9092", "--group-id", "vf/prod", "--staging", "/s");
        StreamCommand b = new StreamCommand();
        new CommandLine(b).parseArgs("--bootstrap-servers", "kafka:9092", "--group-id", "vf/prod", "--staging", "/s",
                "--requests-topic", "other");
        assertTrue(a.jobKey().matches("stream-vf_prod-[0-9a-f]{8}"), a.jobKey());
        assertFalse(a.jobKey().equals(b.jobKey()), "another topic is another job");
        Path dir = StateDirectory.defaultFor(a.jobKey());
        assertTrue(dir.endsWith(Path.of("videoforge", a.jobKey())), dir.toString());
        assertTrue(dir.isAbsolute());
    }
}
