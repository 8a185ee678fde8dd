package org.videoforge.flink.commit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.videoforge.flink.encode.EncodedVideo;

/**
 * First phase: collects the segments encoded since the last checkpoint (each complete under its
 * staged name) and hands them over as that checkpoint's committables. Nothing is renamed here:
 * a segment becomes visible only when the checkpoint that recorded it has completed.
 */
final class StagingWriter implements CommittingSinkWriter<EncodedVideo, EncodedVideo> {
    private List<EncodedVideo> staged = new ArrayList<>();

    @Override
    public void write(EncodedVideo segment, Context context) {
        staged.add(segment);
    }

    @Override
    public void flush(boolean endOfInput) {
        // The files are already complete on disk (the encoder finished them before emitting).
    }

    @Override
    public Collection<EncodedVideo> prepareCommit() {
        List<EncodedVideo> out = staged;
        staged = new ArrayList<>();
        return out;
    }

    @Override
    public void close() {
        // Staged files not yet handed over belong to work a restart redoes; the assembler removes
        // its video's staging directory once the video is published.
    }
}
