package org.videoforge.flink.encode;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.videoforge.error.EngineError;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.metrics.FrameGaps;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.frame.Precision;
import org.videoforge.device.FrameDevice;
import org.videoforge.memory.FrameBuffer;

/**
 * The threads behind the Encode stage, overlapped with inference on the task thread: one
 * postprocesses (RGB tensor -> host NV12/P010: on a GPU the colour kernel and the one download
 * into pinned memory), the other encodes in software, so frame N+1 downloads while x264 takes
 * frame N. Frames pass from one to the other through a hand-off queue of {@value #HANDOFF} host
 * frames, in order. The input queue is the bounded encode queue, bounded in frames and in
 * {@value #QUEUE_MIB} MiB of upscaled frames (device memory on a GPU): a full queue blocks
 * {@link #submit}, which is how a slow encoder backpressures the chain. Twelve frames by default
 * give x264's stalls of tens of milliseconds room at a GPU's pace (docs/BENCHMARKS.md, "What sets
 * the pace end to end"); the byte bound keeps large frames (a 7680x4320 FP16 frame is 199 MB) from
 * holding gigabytes. Failures are kept and rethrown to the task thread on its next call.
 */
final class EncoderWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EncoderWorker.class);

    /** Host frames that may wait between the two threads: enough to keep x264 fed, few pinned buffers. */
    static final int HANDOFF = 2;
    /** MiB of upscaled frames the encode queue may hold; one frame counts at most a quarter, so four always fit. */
    static final int QUEUE_MIB = 512;

    private final FrameDevice device;
    private final int encoderThreads;
    private final String encoderPreset;
    private final Precision precision;
    private final BlockingQueue<FrameEnvelope> queue;
    private final int queueBudgetMib;
    /** The queue's byte bound: taken by {@link #submit} per frame, given back once the frame is postprocessed. */
    private final Semaphore queueMib;
    private final ConcurrentLinkedQueue<EncodedVideo> completed = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Map<String, VideoEncoding> open = new HashMap<>();
    /** Host frames postprocessed and waiting for the encoder. */
    private final BlockingQueue<Postprocessed> handoff = new ArrayBlockingQueue<>(HANDOFF);
    private final Thread postprocessor;
    private final Thread encoder;
    private final Object idleLock = new Object();
    private int busy;
    private volatile boolean stopping;

    private final AtomicLong framesEncoded = new AtomicLong();
    private final AtomicLong poolHits = new AtomicLong();
    private final AtomicLong poolMisses = new AtomicLong();
    private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    private final FrameGaps gaps = new FrameGaps();
    /** When the encoder last took a frame (encode thread only; 0: none yet). */
    private long lastWrittenNanos;
    /** Wall-clock ms when the first / latest frame was done (0: none yet). */
    private final AtomicLong firstDoneMillis = new AtomicLong();
    private final AtomicLong lastDoneMillis = new AtomicLong();
    private final AtomicLong filesOpened = new AtomicLong();
    private final AtomicLong openNanos = new AtomicLong();
    private final AtomicLong finishNanos = new AtomicLong();
    private volatile int peakQueue;
    /** Nanoseconds {@link #submit} blocked on a full queue (task thread only). */
    private long submitWaitNanos;

    EncoderWorker(FrameDevice device, Precision precision, int queueCapacity, int encoderThreads, String encoderPreset,
                  String name) {
        this(device, precision, queueCapacity, encoderThreads, encoderPreset, name, QUEUE_MIB);
    }

    EncoderWorker(FrameDevice device, Precision precision, int queueCapacity, int encoderThreads, String encoderPreset,
                  String name, int queueBudgetMib) {
        this.queueBudgetMib = queueBudgetMib;
        this.queueMib = new Semaphore(queueBudgetMib);
        this.device = device;
        this.precision = precision;
        this.encoderThreads = encoderThreads;
        this.encoderPreset = encoderPreset;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.postprocessor = daemon(this::postprocessLoop, name + "-postprocess");
        this.encoder = daemon(this::encodeLoop, name);
    }

    private static Thread daemon(Runnable loop, String name) {
        Thread t = new Thread(loop, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * A frame on its way from the postprocess thread to the encode thread: the envelope (its
     * payload taken) and its host frame, or no frame for a failed video's marker or after a failure.
     */
    private record Postprocessed(FrameEnvelope envelope, FrameBuffer yuv, long startNanos) implements AutoCloseable {
        @Override
        public void close() {
            try (FrameEnvelope e = envelope) {
                if (yuv != null) {
                    yuv.close();
                }
            }
        }
    }

    /** Queues a frame for encoding, blocking while the queue is full. Takes ownership of it. */
    void submit(FrameEnvelope envelope) throws InterruptedException {
        rethrowFailure();
        synchronized (idleLock) {
            busy++;
        }
        int share = shareOf(envelope);
        boolean counted = false;
        try {
            long t0 = System.nanoTime();
            boolean waited = false;
            if (!queueMib.tryAcquire(share)) {
                queueMib.acquire(share);
                waited = true;
            }
            counted = true;
            if (!queue.offer(envelope)) {
                queue.put(envelope);
                waited = true;
            }
            if (waited) {
                submitWaitNanos += System.nanoTime() - t0;
            }
        } catch (InterruptedException e) {
            if (counted) {
                queueMib.release(share);
            }
            synchronized (idleLock) {
                busy--;
            }
            envelope.close();
            throw e;
        }
        peakQueue = Math.max(peakQueue, queue.size());
    }

    /**
     * Waits until every submitted frame is encoded; rethrows a failure of the worker. Every
     * submitted frame ends in {@link #done()} (encoded, dropped or failed), which wakes this.
     */
    void awaitIdle() throws InterruptedException {
        synchronized (idleLock) {
            while (busy > 0) {
                idleLock.wait();
            }
        }
        rethrowFailure();
    }

    EncodedVideo pollCompleted() {
        return completed.poll();
    }

    int queueDepth() {
        return queue.size();
    }

    /** MiB of the queue's byte bound not taken by queued frames. */
    int queueFreeMib() {
        return queueMib.availablePermits();
    }

    /** A queued frame's share of the byte bound: its payload's MiB, at most a quarter of the bound. */
    private int shareOf(FrameEnvelope e) {
        long bytes = e.payloadBytes();
        return bytes == 0 ? 0 : (int) Math.min(queueBudgetMib / 4, Math.max(1, (bytes + (1 << 20) - 1) >> 20));
    }

    /** What the worker has done so far (task thread: the submit wait is its own). */
    EncoderProgress progress() {
        return new EncoderProgress(framesEncoded.get(), poolHits.get(), poolMisses.get(), firstDoneMillis.get(),
                lastDoneMillis.get(), peakQueue, submitWaitNanos, filesOpened.get(), openNanos.get(),
                finishNanos.get());
    }

    /** The longest gaps between frames the encoder took, so far: live and thread-safe (the accumulator copies it). */
    FrameGaps gaps() {
        return gaps;
    }

    /** Hands the per-frame latencies measured since the last call to {@code sink}. */
    void drainLatencies(LongConsumer sink) {
        for (Long nanos = latencies.poll(); nanos != null; nanos = latencies.poll()) {
            sink.accept(nanos);
        }
    }

    /** Videos started but not finished (no last frame seen yet). */
    synchronized int openVideos() {
        return open.size();
    }

    private void postprocessLoop() {
        while (!stopping) {
            FrameEnvelope envelope;
            try {
                envelope = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            int share = shareOf(envelope); // before postprocess takes the payload
            Postprocessed p;
            try {
                p = postprocess(envelope);
            } catch (Throwable t) {
                // Only the encode thread touches open files: it ends this frame and aborts them.
                failure.compareAndSet(null, t);
                p = new Postprocessed(envelope, null, System.nanoTime());
            } finally {
                queueMib.release(share);
            }
            try {
                handoff.put(p);
            } catch (InterruptedException e) {
                p.close();
                return;
            }
        }
    }

    private Postprocessed postprocess(FrameEnvelope e) {
        long t0 = System.nanoTime();
        if (e.failure() != null || failure.get() != null) {
            return new Postprocessed(e, null, t0);
        }
        VideoTask task = e.video();
        try (FrameBuffer tensor = e.takePayload()) {
            FrameBuffer yuv = device.toHostYuv(tensor, e.width(), e.height(), task.source().video(),
                    task.precision(precision));
            (yuv.recycled() ? poolHits : poolMisses).incrementAndGet();
            return new Postprocessed(e, yuv, t0);
        }
    }

    private void encodeLoop() {
        while (!stopping) {
            Postprocessed next;
            try {
                next = handoff.take();
            } catch (InterruptedException e) {
                return;
            }
            try (Postprocessed p = next) {
                if (failure.get() == null) {
                    encode(p);
                } else {
                    abortAll();
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                abortAll();
            } finally {
                done();
            }
        }
    }

    /** One submitted frame is through (encoded, dropped or failed). */
    private void done() {
        synchronized (idleLock) {
            busy--;
            idleLock.notifyAll();
        }
    }

    private void encode(Postprocessed p) {
        FrameEnvelope e = p.envelope();
        VideoTask task = e.video();
        String key = keyOf(task);
        if (e.failure() != null) {
            fail(task, key, e.failure());
            return;
        }
        VideoEncoding video;
        synchronized (this) {
            video = open.get(key);
        }
        if (video == null) {
            long t0 = System.nanoTime();
            video = VideoEncoding.start(task, e.width(), e.height(), encoderThreads, encoderPreset);
            openNanos.addAndGet(System.nanoTime() - t0);
            filesOpened.incrementAndGet();
            synchronized (this) {
                open.put(key, video);
            }
        }
        video.writer().write(p.yuv(), e.pts());
        long written = System.nanoTime();
        if (lastWrittenNanos != 0) {
            gaps.add(e.index(), written - lastWrittenNanos);
        }
        lastWrittenNanos = written;
        video.frameWritten(e, written - p.startNanos());
        if (e.lastOfVideo()) {
            synchronized (this) {
                open.remove(key);
            }
            try (VideoEncoding done = video) {
                long t0 = System.nanoTime();
                EncodedVideo finished = done.finish();
                finishNanos.addAndGet(System.nanoTime() - t0);
                LOG.info("encoded {}", finished);
                completed.add(finished);
            }
        }
        framesEncoded.incrementAndGet();
        long now = System.currentTimeMillis();
        firstDoneMillis.compareAndSet(0, now);
        lastDoneMillis.set(now);
        latencies.add(System.nanoTime() - p.startNanos());
    }

    /** Drops what was written of a video that ended with an error, and reports the error. */
    private void fail(VideoTask task, String key, EngineError error) {
        VideoEncoding partial;
        synchronized (this) {
            partial = open.remove(key);
        }
        if (partial != null) {
            partial.close();
        }
        EncodedVideo failed = EncodedVideo.failed(task.id(), error.code().number(), error.getMessage());
        failed.describe(task);
        if (task.segment() != null) {
            failed.setFinalPath(task.segment().path().toString()); // never written; tells the assembler where staging is
        }
        completed.add(failed);
    }

    /** Segments of one video are encoded independently: each is its own open file. */
    private static String keyOf(VideoTask task) {
        return task.segment() == null ? task.id() : task.id() + "#" + task.segment().index();
    }

    private synchronized void abortAll() {
        for (VideoEncoding v : open.values()) {
            v.close();
        }
        open.clear();
    }

    private void rethrowFailure() {
        Throwable t = failure.get();
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        if (t != null) {
            throw new IllegalStateException("encoder failed", t);
        }
    }

    /** Stops the threads, releases queued frames and deletes unfinished outputs. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        postprocessor.interrupt();
        encoder.interrupt();
        postprocessor.join(10_000);
        encoder.join(10_000);
        FrameEnvelope left;
        while ((left = queue.poll()) != null) {
            left.close();
        }
        Postprocessed waiting;
        while ((waiting = handoff.poll()) != null) {
            waiting.close();
        }
        abortAll();
    }
}
