package org.videoforge.flink.source.reader;

import java.util.ArrayDeque;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.videoforge.device.FrameDevice;
import org.videoforge.flink.decode.EnvelopeDecoder;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.source.split.VideoSplit;

/**
 * The Decode stage, run on the source's fetcher thread: one frame per fetch, so that the reader's
 * bounded element queue is the bounded decode queue. A video's decoder is closed on the fetch after
 * its last frame (or when the reader closes), not before that frame is handed over: on an H200,
 * closing one (NVDEC's parser and decoder, the demuxer) held the last frame back by up to a quarter
 * of a second (docs/BENCHMARKS.md, "What sets the pace end to end").
 */
final class VideoSplitReader implements SplitReader<FrameEnvelope, VideoSplit> {
    private final FrameDevice device;
    private final DecodeQueueGauge queue;
    private final ArrayDeque<VideoSplit> splits = new ArrayDeque<>();
    private VideoSplit current;
    private EnvelopeDecoder decoder;
    /** The decoder of the video whose last frame the previous fetch handed over; closed by the next. */
    private EnvelopeDecoder finished;

    VideoSplitReader(FrameDevice device, DecodeQueueGauge queue) {
        this.device = device;
        this.queue = queue;
    }

    @Override
    public RecordsWithSplitIds<FrameEnvelope> fetch() {
        closeFinished();
        if (current == null && !openNext()) {
            return new RecordsBySplits.Builder<FrameEnvelope>().build();
        }
        FrameEnvelope envelope = decoder.next();
        RecordsBySplits.Builder<FrameEnvelope> records = new RecordsBySplits.Builder<>();
        records.add(current.splitId(), envelope);
        if (envelope.lastOfVideo()) {
            records.addFinishedSplit(current.splitId());
            finished = decoder;
            decoder = null;
            current = null;
        }
        return records.build();
    }

    private boolean openNext() {
        VideoSplit split = splits.poll();
        if (split == null) {
            return false;
        }
        decoder = new EnvelopeDecoder(split.task(), device.openDecoder(split.task().source()), queue::produced);
        current = split;
        return true;
    }

    private void closeFinished() {
        if (finished != null) {
            EnvelopeDecoder d = finished;
            finished = null;
            d.close();
        }
    }

    private void closeCurrent() {
        if (decoder != null) {
            decoder.close();
            decoder = null;
        }
        current = null;
    }

    @Override
    public void handleSplitsChanges(SplitsChange<VideoSplit> change) {
        if (!(change instanceof SplitsAddition)) {
            throw new UnsupportedOperationException("unsupported split change " + change);
        }
        splits.addAll(change.splits());
    }

    @Override
    public void wakeUp() {
        // fetch() never blocks waiting for data: nothing to interrupt.
    }

    @Override
    public void close() {
        try {
            closeFinished();
        } finally {
            closeCurrent();
        }
    }
}
