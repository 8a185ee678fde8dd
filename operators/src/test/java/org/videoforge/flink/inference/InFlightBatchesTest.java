package org.videoforge.flink.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.frame.VideoCodec;
import org.videoforge.inference.PendingRun;
import org.videoforge.memory.BucketedBufferPool;

/** Launched batches leave in order, bounded, and never release a buffer a run may still use. */
class InFlightBatchesTest {
    private static final VideoTask VIDEO = new VideoTask("v", null, Path.of("/videos/v.mp4"), VideoCodec.H264);

    private final BucketedBufferPool pool = BucketedBufferPool.host("in-flight-test");
    private final List<Long> emitted = new ArrayList<>();

    @AfterEach
    void poolIsEmpty() {
        assertEquals(0, pool.stats().leasesOut(), "every tensor back in the pool");
        pool.close();
    }

    /** A run that finishes only when the test says so, as a GPU run finishes when the device does. */
    private static final class ManualRun implements PendingRun {
        boolean done;
        boolean awaited;
        RuntimeException failure;

        @Override
        public boolean isDone() {
            return done;
        }

        @Override
        public long await() {
            if (!done) {
                sleepAMillisecond(); // the device finishing
            }
            awaited = true;
            done = true;
            if (failure != null) {
                throw failure;
            }
            return 4_000;
        }
    }

    private static void sleepAMillisecond() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private LaunchedBatch batch(PendingRun run, long... indexes) {
        List<FrameEnvelope> frames = new ArrayList<>();
        List<org.videoforge.memory.FrameBuffer> outputs = new ArrayList<>();
        for (long i : indexes) {
            frames.add(new FrameEnvelope(VIDEO, i, i, false, pool.acquire(64), 8, 8, 0, 0));
            outputs.add(pool.acquire(256));
        }
        return new LaunchedBatch(frames, outputs, run, 16, 16);
    }

    private void emit(LaunchedBatch b) {
        for (FrameEnvelope f : b.frames()) {
            assertEquals(FrameEnvelope.Payload.OUTPUT_TENSOR, f.kind());
            assertEquals(16, f.width());
            emitted.add(f.index());
            f.close();
        }
    }

    @Test
    void batchesLeaveInLaunchOrderAndTheLimitMakesTheOldestWait() {
        InFlightBatches q = new InFlightBatches(2);
        ManualRun r0 = new ManualRun();
        ManualRun r1 = new ManualRun();
        q.makeRoom(this::emit);
        q.add(batch(r0, 0));
        q.finishDone(this::emit);
        q.makeRoom(this::emit);
        q.add(batch(r1, 1));
        r1.done = true; // the younger run is done, the older is not: nothing may overtake it
        q.finishDone(this::emit);
        assertEquals(List.of(), emitted);
        assertEquals(2, q.size());

        assertEquals(0, q.waitedNanos(), "nothing waited for yet");
        q.makeRoom(this::emit); // a third launch needs room: waits for the oldest only
        assertTrue(r0.awaited);
        assertTrue(q.waitedNanos() >= 1_000_000, "the wait for the unfinished run is counted: " + q.waitedNanos());
        assertEquals(List.of(0L), emitted);
        assertEquals(1, q.size());
        q.finishDone(this::emit);
        assertEquals(List.of(0L, 1L), emitted, "the done younger run follows once the older is out");
        assertTrue(q.isEmpty());
    }

    @Test
    void aFinishedRunLeavesAtOnceSoSynchronousBackendsAddNoDelay() {
        InFlightBatches q = new InFlightBatches(2);
        q.add(batch(PendingRun.completed(1_000), 0, 1));
        q.finishDone(this::emit);
        assertEquals(List.of(0L, 1L), emitted);
        assertTrue(q.isEmpty());
        assertEquals(0, q.waitedNanos(), "a finished run costs no wait");
    }

    @Test
    void finishThroughStopsAtItsSequence() {
        InFlightBatches q = new InFlightBatches(3);
        long first = q.add(batch(new ManualRun(), 0));
        q.add(batch(new ManualRun(), 1));
        q.finishThrough(first, this::emit);
        assertEquals(List.of(0L), emitted, "the deadline timer of batch 0 leaves batch 1 in flight");
        q.finishAll(this::emit);
        assertEquals(List.of(0L, 1L), emitted);
    }

    @Test
    void addingBeyondTheLimitIsAProgrammingError() {
        InFlightBatches q = new InFlightBatches(1);
        q.add(batch(new ManualRun(), 0));
        LaunchedBatch extra = batch(new ManualRun(), 1);
        assertThrows(IllegalStateException.class, () -> q.add(extra));
        extra.abandon();
        q.finishAll(this::emit);
    }

    @Test
    void aRunThatFailsOnTheDeviceReleasesItsBuffersAndSurfacesItsError() {
        InFlightBatches q = new InFlightBatches(2);
        ManualRun bad = new ManualRun();
        bad.failure = new EngineError(ErrorCode.INFERENCE_FAILED, "device fault");
        q.add(batch(bad, 0, 1));
        EngineError e = assertThrows(EngineError.class, () -> q.finishAll(this::emit));
        assertSame(ErrorCode.INFERENCE_FAILED, e.code());
        assertEquals(List.of(), emitted);
    }

    @Test
    void abandoningWaitsForEachRunBeforeReleasingItsBuffers() {
        InFlightBatches q = new InFlightBatches(2);
        ManualRun r0 = new ManualRun();
        ManualRun r1 = new ManualRun();
        q.add(batch(r0, 0));
        q.add(batch(r1, 1, 2));
        q.abandonAll();
        assertTrue(r0.awaited && r1.awaited, "no buffer goes back while the device may still write it");
        assertFalse(emitted.contains(0L));
        assertTrue(q.isEmpty());
    }
}
