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
 * Second phase, run when a checkpoint has completed: renames each staged segment to its committed
 * name, atomically. Idempotent, because Flink retries commits after a restore: a segment already
 * under its committed name (and no longer staged) counts as committed. Failed segments carry no
 * file and pass straight through to the assembler, which reports them.
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
            if (!Files.exists(staged) && Files.exists(target)) {
                request.signalAlreadyCommitted();
                continue;
            }
            try {
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
