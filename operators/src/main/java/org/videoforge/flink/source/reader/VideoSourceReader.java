package org.videoforge.flink.source.reader;

import java.util.Map;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.metrics.StageMetrics;
import org.videoforge.flink.source.split.VideoSplit;
import org.videoforge.flink.source.split.VideoSplitState;
import org.videoforge.device.FrameDevice;
import org.videoforge.flink.core.FrameDevices;
import org.videoforge.flink.core.PipelineConfig;

/**
 * Source reader whose single fetcher thread decodes (see {@link VideoSplitReader}); frames reach
 * the task thread through the reader's element queue, whose capacity is the decode queue bound.
 * Asks the enumerator for the next video whenever it has none.
 */
public final class VideoSourceReader
        extends SingleThreadMultiplexSourceReaderBase<FrameEnvelope, FrameEnvelope, VideoSplit, VideoSplitState> {
    private final FrameDevice device;

    private VideoSourceReader(FrameDevice device, DecodeQueueGauge queue, Configuration config,
                              SourceReaderContext context) {
        super(() -> new VideoSplitReader(device, queue), new FrameEmitter(queue), config, context);
        this.device = device;
        StageMetrics.queueDepth(context.metricGroup(), "decode", queue::depth);
    }

    /**
     * A source reader has no access to the slot's external resources, so decode runs on the
     * configured device ({@code -d}); the chained stages take theirs from the slot.
     */
    public static VideoSourceReader create(Configuration config, SourceReaderContext context,
                                           PipelineConfig pipeline) {
        return new VideoSourceReader(FrameDevices.open(pipeline, pipeline.device()), new DecodeQueueGauge(), config,
                context);
    }

    @Override
    public void start() {
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    protected void onSplitFinished(Map<String, VideoSplitState> finishedSplitIds) {
        context.sendSplitRequest();
    }

    @Override
    protected VideoSplitState initializedState(VideoSplit split) {
        return new VideoSplitState(split);
    }

    @Override
    protected VideoSplit toSplitType(String splitId, VideoSplitState state) {
        return state.toSplit();
    }

    @Override
    public void close() throws Exception {
        try {
            super.close();
        } finally {
            device.close();
        }
    }
}
