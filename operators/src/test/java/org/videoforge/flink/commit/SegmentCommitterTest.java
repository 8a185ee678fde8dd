package org.videoforge.flink.commit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer.CommitRequest;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.encode.EncodedVideo;

/** A segment is published once: renamed in on its first commit, not again for a copy of the same bytes. */
class SegmentCommitterTest {
    @TempDir
    Path dir;

    private final SimpleCounter committed = new SimpleCounter();
    private final SegmentCommitter committer = new SegmentCommitter(committed);

    @Test
    void aStagedSegmentIsRenamedToItsCommittedName() throws IOException {
        Recorded r = commit(segment("first"));
        assertEquals("first", Files.readString(dir.resolve("segment.mp4")));
        assertFalse(Files.exists(dir.resolve("segment.mp4.staged")));
        assertEquals(1, committed.getCount());
        assertFalse(r.alreadyCommitted);
        assertNull(r.failure);
    }

    @Test
    void aRetriedCommitAfterARestoreIsAlreadyCommitted() throws IOException {
        EncodedVideo s = segment("first");
        commit(s);
        Recorded retry = commit(s); // nothing staged any more
        assertTrue(retry.alreadyCommitted);
        assertNull(retry.failure);
        assertEquals(1, committed.getCount());
    }

    @Test
    void aCopyEncodedAgainAfterARestartIsDiscardedAndThePublishedFileKept() throws IOException {
        commit(segment("same bytes"));
        Object published = fileKey(dir.resolve("segment.mp4")); // a rename over it would bring another inode
        Recorded again = commit(segment("same bytes")); // encoded again, staged under the same names
        assertTrue(again.alreadyCommitted);
        assertFalse(Files.exists(dir.resolve("segment.mp4.staged")), "the copy is removed");
        assertEquals(published, fileKey(dir.resolve("segment.mp4")), "not replaced");
        assertEquals(1, committed.getCount());
    }

    @Test
    void aStaleFileOfAnAbandonedRunIsReplaced() throws IOException {
        Files.writeString(dir.resolve("segment.mp4"), "left by an earlier run with other settings");
        Recorded r = commit(segment("this run"));
        assertFalse(r.alreadyCommitted);
        assertEquals("this run", Files.readString(dir.resolve("segment.mp4")));
        assertEquals(1, committed.getCount());
    }

    @Test
    void aSegmentThatCannotBeRenamedFailsWithACode() throws IOException {
        EncodedVideo s = new EncodedVideo("v", dir.resolve("missing.staged").toString(),
                dir.resolve("no-such-dir/segment.mp4").toString(), 1);
        Recorded r = commit(s);
        assertTrue(r.failure instanceof EngineError, String.valueOf(r.failure));
        assertEquals(ErrorCode.OUTPUT_WRITE_FAILED, ((EngineError) r.failure).code());
        assertEquals(0, committed.getCount());
    }

    private static Object fileKey(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    }

    private EncodedVideo segment(String content) throws IOException {
        Path staged = Files.writeString(dir.resolve("segment.mp4.staged"), content);
        return new EncodedVideo("v", staged.toString(), dir.resolve("segment.mp4").toString(), 1);
    }

    private Recorded commit(EncodedVideo segment) {
        Recorded r = new Recorded(segment);
        committer.commit(List.of(r));
        return r;
    }

    /** What the committer signalled for one committable. */
    private static final class Recorded implements CommitRequest<EncodedVideo> {
        private final EncodedVideo committable;
        boolean alreadyCommitted;
        Throwable failure;

        Recorded(EncodedVideo committable) {
            this.committable = committable;
        }

        @Override
        public EncodedVideo getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            failure = t;
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            failure = t;
        }

        @Override
        public void retryLater() {
        }

        @Override
        public void updateAndRetryLater(EncodedVideo committable) {
        }

        @Override
        public void signalAlreadyCommitted() {
            alreadyCommitted = true;
        }
    }
}
