package org.videoforge.flink.commit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.encode.EncodedVideo;
import org.videoforge.flink.core.TempOutputs;

/**
 * Second phase, run when a checkpoint has completed (in a bounded job, at the end of input): renames
 * each staged segment to its committed name, atomically, once. A segment already under its committed
 * name counts as committed: Flink retries commits after a restore (nothing staged any more), and a
 * bounded job whose lost TaskManager held intermediate results encodes segments it had already
 * committed again (the same bytes staged again: the copy is discarded, the published file kept).
 * Failed segments carry no file and pass straight through to the assembler, which reports them.
 */
final class SegmentCommitter implements Committer<EncodedVideo> {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentCommitter.class);

    private final Counter committed;

    SegmentCommitter(Counter committed) {
        this.committed = committed;
    }

    @Override
    public void commit(Collection<CommitRequest<EncodedVideo>> requests) {
        for (CommitRequest<EncodedVideo> request : requests) {
            EncodedVideo segment = request.getCommittable();
            if (!segment.succeeded()) {
                continue;
            }
            Path staged = Paths.get(segment.getTempPath());
            Path target = Paths.get(segment.getFinalPath());
            try {
                if (Files.exists(target) && (!Files.exists(staged) || Files.mismatch(staged, target) == -1L)) {
                    if (Files.deleteIfExists(staged)) {
                        LOG.info("already committed {}; discarded a copy encoded again after a restart", segment);
                    }
                    request.signalAlreadyCommitted();
                    continue;
                }
                // A different file under the committed name is a stale one (an abandoned earlier run of
                // the same request, e.g. restarted from scratch): this segment replaces it.
                TempOutputs.rename(staged, target);
            } catch (IOException e) {
                request.signalFailedWithKnownReason(new EngineError(ErrorCode.OUTPUT_WRITE_FAILED,
                        "cannot commit " + segment + ": " + e, e));
                continue;
            }
            committed.inc();
            LOG.info("committed {}", segment);
        }
    }

    @Override
    public void close() {
    }
}
