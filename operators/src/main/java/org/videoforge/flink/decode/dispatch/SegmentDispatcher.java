package org.videoforge.flink.decode.dispatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.operators.coordination.OperatorCoordinator;
import org.apache.flink.runtime.operators.coordination.OperatorEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.videoforge.flink.core.VideoPlan;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.flink.decode.dispatch.DispatchEvent.InputEnded;
import org.videoforge.flink.decode.dispatch.DispatchEvent.NoMoreSegments;
import org.videoforge.flink.decode.dispatch.DispatchEvent.PlanAccepted;
import org.videoforge.flink.decode.dispatch.DispatchEvent.PlanOffered;
import org.videoforge.flink.decode.dispatch.DispatchEvent.SegmentAssigned;
import org.videoforge.flink.decode.dispatch.DispatchEvent.SegmentRequested;

/**
 * Hands the segments of every video to the decode slots on demand: a slot asks when it has nothing
 * to decode and gets the next segment, so a slot that draws long or slow segments simply asks less
 * often, and no slot idles while another has work queued. Runs on the JobManager, as the
 * coordinator of the decode operator (the way Flink's source enumerators hand out splits).
 *
 * <p>Exactly once: the dispatcher's checkpoint holds the segments no slot has; a slot's holds the
 * segment it got and has not finished. Flink orders the dispatcher's events with the checkpoint (an
 * event sent before the dispatcher's checkpoint reaches the slot before its barrier; one sent after
 * is held back until the slot has taken its checkpoint), so every segment is in exactly one of the
 * two, or already encoded and in the commit sink's state. A slot reset to a checkpoint gets back, via
 * {@link #subtaskReset}, the segments it was given after that checkpoint ({@link AssignmentTracker}).
 * Plans offered twice are taken once ({@link AcceptedPlans}).
 *
 * <p>All methods run on the JobManager's main thread (the coordinator contract); nothing here blocks.
 */
public final class SegmentDispatcher implements OperatorCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentDispatcher.class);

    private final Context context;
    private final String name;
    private SegmentQueue queue = new SegmentQueue();
    private final AssignmentTracker tracker = new AssignmentTracker();
    private final AcceptedPlans accepted = new AcceptedPlans();
    /** The latest attempt of each slot. */
    private final Map<Integer, Slot> slots = new HashMap<>();
    /** Slots that asked for a segment and have none yet, in the order they asked. */
    private final Set<Integer> waiting = new LinkedHashSet<>();
    /** Slots whose (bounded) input ended. */
    private final Set<Integer> inputEnded = new HashSet<>();

    SegmentDispatcher(Context context, String name) {
        this.context = context;
        this.name = name;
    }

    @Override
    public void start() {
        context.metricGroup().gauge("segmentsQueued", () -> queue.size());
    }

    @Override
    public void close() {
    }

    /**
     * One attempt of a slot, and what is to be sent to it. A slot's operator speaks first while its
     * task is still initializing, before Flink has made its gateway ready: answers wait here until
     * then. (No checkpoint can start before every task runs, so none falls in between.)
     */
    private static final class Slot {
        final int attempt;
        SubtaskGateway gateway;
        final List<DispatchEvent> outbox = new ArrayList<>();

        Slot(int attempt) {
            this.attempt = attempt;
        }

        void send(DispatchEvent event) {
            if (gateway != null) {
                gateway.sendEvent(event);
            } else {
                outbox.add(event);
            }
        }

        void ready(SubtaskGateway gateway) {
            this.gateway = gateway;
            outbox.forEach(gateway::sendEvent);
            outbox.clear();
        }
    }

    /** The slot's current attempt, made current if {@code attempt} is newer; null for an older attempt. */
    private Slot slot(int subtask, int attempt) {
        Slot s = slots.get(subtask);
        if (s == null || attempt > s.attempt) {
            s = new Slot(attempt);
            slots.put(subtask, s);
        }
        return s.attempt == attempt ? s : null;
    }

    @Override
    public void handleEventFromOperator(int subtask, int attemptNumber, OperatorEvent event) {
        Slot slot = slot(subtask, attemptNumber);
        if (slot == null) {
            LOG.info("{}: ignoring {} from a former attempt {} of slot {}", name, event, attemptNumber, subtask);
            return;
        }
        if (event instanceof PlanOffered offered) {
            VideoPlan plan = offered.plan();
            if (accepted.accept(plan.key())) {
                queue.add(plan);
                LOG.info("{}: {} from slot {}; {} segment(s) queued", name, plan, subtask, queue.size());
            }
            slot.send(new PlanAccepted(plan.key()));
        } else if (event instanceof SegmentRequested) {
            waiting.add(subtask);
        } else if (event instanceof InputEnded) {
            inputEnded.add(subtask);
        } else {
            throw new IllegalArgumentException("unexpected event from slot " + subtask + ": " + event);
        }
        dispatch();
    }

    /** Gives each waiting slot a segment while there are any; tells them when there will be none. */
    private void dispatch() {
        Iterator<Integer> asking = waiting.iterator();
        while (asking.hasNext() && !queue.isEmpty()) {
            int slot = asking.next();
            asking.remove();
            VideoTask segment = queue.poll();
            tracker.assigned(slot, segment);
            slots.get(slot).send(new SegmentAssigned(segment));
        }
        if (queue.isEmpty() && inputEnded.size() == context.currentParallelism()) {
            for (int slot : waiting) {
                slots.get(slot).send(new NoMoreSegments());
            }
            waiting.clear();
        }
    }

    @Override
    public void checkpointCoordinator(long checkpointId, CompletableFuture<byte[]> result) throws Exception {
        tracker.checkpointTaken(checkpointId);
        accepted.checkpointTaken(checkpointId);
        result.complete(SimpleVersionedSerialization.writeVersionAndSerialize(SegmentQueue.Serializer.INSTANCE, queue));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        tracker.checkpointCompleted(checkpointId);
        accepted.checkpointCompleted(checkpointId);
    }

    @Override
    public void resetToCheckpoint(long checkpointId, byte[] checkpointData) throws Exception {
        queue = checkpointData == null ? new SegmentQueue()
                : SimpleVersionedSerialization.readVersionAndDeSerialize(SegmentQueue.Serializer.INSTANCE, checkpointData);
        tracker.clear();
        accepted.clear();
        waiting.clear();
        inputEnded.clear();
        LOG.info("{}: restored checkpoint {}: {} segment(s) queued", name, checkpointId, queue.size());
    }

    @Override
    public void subtaskReset(int subtask, long checkpointId) {
        List<VideoTask> lost = tracker.takeAfter(subtask, checkpointId);
        queue.returnFirst(lost);
        waiting.remove(subtask);
        inputEnded.remove(subtask);
        LOG.info("{}: slot {} reset to checkpoint {}: {} segment(s) it had are queued again", name, subtask,
                checkpointId, lost.size());
    }

    @Override
    public void executionAttemptFailed(int subtask, int attemptNumber, Throwable reason) {
        Slot s = slots.get(subtask);
        if (s != null && s.attempt == attemptNumber) {
            slots.remove(subtask); // what its outbox held was assigned to it: subtaskReset returns it
            waiting.remove(subtask);
        }
    }

    @Override
    public void executionAttemptReady(int subtask, int attemptNumber, SubtaskGateway gateway) {
        Slot s = slot(subtask, attemptNumber);
        if (s != null) {
            s.ready(gateway);
        }
    }

    /** Creates the dispatcher on the JobManager; part of the job graph. */
    public static final class Provider implements OperatorCoordinator.Provider {
        private static final long serialVersionUID = 1L;

        private final OperatorID operatorId;
        private final String name;

        public Provider(OperatorID operatorId, String name) {
            this.operatorId = operatorId;
            this.name = name;
        }

        @Override
        public OperatorID getOperatorId() {
            return operatorId;
        }

        @Override
        public OperatorCoordinator create(Context context) {
            return new SegmentDispatcher(context, name);
        }
    }
}
