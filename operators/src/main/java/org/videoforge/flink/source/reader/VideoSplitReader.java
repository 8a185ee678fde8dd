package org.videoforge.flink.source.reader;

import java.util.ArrayDeque;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.videoforge.codec.DecodedFrame;
import org.videoforge.codec.FrameDecoder;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.pipeline.VideoTask;
import org.videoforge.flink.source.split.VideoSplit;
import org.videoforge.frame.VideoStreamInfo;
import org.videoforge.device.FrameDevice;

/**
 * The Decode stage, run on the source's fetcher thread: one frame per fetch, so that the reader's
 * bounded element queue is the bounded decode queue. Holds one decoded frame back to know whether
 * the next one exists, which is how the last frame of a video is marked (end of stream is the end
 * of the input, not a sentinel frame).
 */
final class VideoSplitReader implements SplitReader<FrameEnvelope, VideoSplit> {
    private final FrameDevice device;
    private final DecodeQueueGauge queue;
    private final ArrayDeque<VideoSplit> splits = new ArrayDeque<>();
    private VideoSplit current;
    private FrameDecoder decoder;
    private DecodedFrame held;
    private long heldNanos;

    VideoSplitReader(FrameDevice device, DecodeQueueGauge queue) {
        this.device = device;
        this.queue = queue;
    }

    @Override
    public RecordsWithSplitIds<FrameEnvelope> fetch() {
        if (current == null && !openNext()) {
            return new RecordsBySplits.Builder<FrameEnvelope>().build();
        }
        long t0 = System.nanoTime();
        DecodedFrame next = decoder.next();
        long nextNanos = System.nanoTime() - t0;
        DecodedFrame frame = held;
        VideoTask task = current.task();
        VideoStreamInfo v = task.source().video();
        boolean last = next == null;
        FrameEnvelope envelope = new FrameEnvelope(task, frame.index(), frame.pts(), last, frame.detach(),
                v.width(), v.height(), heldNanos, queue.produced());
        held = next;
        heldNanos = nextNanos;
        RecordsBySplits.Builder<FrameEnvelope> records = new RecordsBySplits.Builder<>();
        records.add(current.splitId(), envelope);
        if (last) {
            records.addFinishedSplit(current.splitId());
            closeCurrent();
        }
        return records.build();
    }

    private boolean openNext() {
        VideoSplit split = splits.poll();
        if (split == null) {
            return false;
        }
        decoder = device.openDecoder(split.task().source());
        current = split;
        long t0 = System.nanoTime();
        held = decoder.next();
        heldNanos = System.nanoTime() - t0;
        if (held == null) {
            closeCurrent();
            throw new EngineError(ErrorCode.CORRUPT_STREAM, "video " + split.task().id() + " has no decodable frame");
        }
        return true;
    }

    private void closeCurrent() {
        if (held != null) {
            held.close();
            held = null;
        }
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
        closeCurrent();
    }
}
