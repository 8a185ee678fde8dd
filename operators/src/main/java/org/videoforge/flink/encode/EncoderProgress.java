package org.videoforge.flink.encode;

/**
 * What the encoder worker has done so far, as one immutable snapshot: the Encode operator takes
 * one per call on the task thread and reports what changed since the last ({@link #since}).
 *
 * @param framesEncoded     frames through the encoder
 * @param poolHits          host frames the postprocess step got from the pool without allocating
 * @param poolMisses        host frames it had to allocate
 * @param firstDoneMillis   wall-clock ms when the first frame was done; 0: none yet
 * @param lastDoneMillis    wall-clock ms when the latest frame was done
 * @param peakQueueDepth    most frames ever waiting in the encode queue
 * @param submitWaitNanos   time the task thread blocked on a full encode queue
 * @param filesOpened       videos and segments whose file the encoder opened
 * @param openNanos         time spent opening them (encoder and muxer)
 * @param finishNanos       time spent finishing them (the encoder's flush, the trailer)
 */
record EncoderProgress(long framesEncoded, long poolHits, long poolMisses, long firstDoneMillis, long lastDoneMillis,
                       int peakQueueDepth, long submitWaitNanos, long filesOpened, long openNanos, long finishNanos) {
    static final EncoderProgress NONE = new EncoderProgress(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The counters' growth since {@code earlier}; times of day and peaks are kept as they are. */
    EncoderProgress since(EncoderProgress earlier) {
        return new EncoderProgress(framesEncoded - earlier.framesEncoded, poolHits - earlier.poolHits,
                poolMisses - earlier.poolMisses, firstDoneMillis, lastDoneMillis, peakQueueDepth,
                submitWaitNanos - earlier.submitWaitNanos, filesOpened - earlier.filesOpened,
                openNanos - earlier.openNanos, finishNanos - earlier.finishNanos);
    }
}
