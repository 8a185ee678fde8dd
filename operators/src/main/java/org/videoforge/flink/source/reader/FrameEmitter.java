package org.videoforge.flink.source.reader;

import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.source.split.VideoSplitState;

/** Hands decoded envelopes to the chained Preprocess operator, counting them out of the decode queue. */
final class FrameEmitter implements RecordEmitter<FrameEnvelope, FrameEnvelope, VideoSplitState> {
    private final DecodeQueueGauge queue;

    FrameEmitter(DecodeQueueGauge queue) {
        this.queue = queue;
    }

    @Override
    public void emitRecord(FrameEnvelope envelope, SourceOutput<FrameEnvelope> output, VideoSplitState state) {
        queue.emitted();
        output.collect(envelope);
    }
}
