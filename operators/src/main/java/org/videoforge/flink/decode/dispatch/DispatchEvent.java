package org.videoforge.flink.decode.dispatch;

import org.apache.flink.runtime.operators.coordination.OperatorEvent;
import org.videoforge.flink.core.VideoPlan;
import org.videoforge.flink.core.VideoTask;

/**
 * What the decode stage's slots and the {@link SegmentDispatcher} say to each other. Slots offer
 * the plans that reach them and ask for work; the dispatcher acknowledges plans and hands out one
 * segment per request.
 */
public sealed interface DispatchEvent extends OperatorEvent {
    /** Slot to dispatcher: a video's plan, to be split among the slots. Offered until accepted. */
    record PlanOffered(VideoPlan plan) implements DispatchEvent {
    }

    /** Dispatcher to slot: the plan with this key is the dispatcher's now (also when offered twice). */
    record PlanAccepted(String key) implements DispatchEvent {
    }

    /** Slot to dispatcher: this slot has nothing to decode and takes the next segment. */
    record SegmentRequested() implements DispatchEvent {
    }

    /** Dispatcher to slot: the segment to decode next, the answer to one request. */
    record SegmentAssigned(VideoTask segment) implements DispatchEvent {
    }

    /** Slot to dispatcher: the slot's input (of a bounded job) ended; it offered every plan it got. */
    record InputEnded() implements DispatchEvent {
    }

    /** Dispatcher to slot: every slot's input ended and every segment is handed out: the slot may finish. */
    record NoMoreSegments() implements DispatchEvent {
    }
}
