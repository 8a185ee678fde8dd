package org.videoforge.flink.decode.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.groups.OperatorCoordinatorMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.checkpoint.CheckpointCoordinator;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.executiongraph.ExecutionGraphID;
import org.apache.flink.runtime.jobgraph.JobVertexID;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.messages.Acknowledge;
import org.apache.flink.runtime.operators.coordination.CoordinatorStore;
import org.apache.flink.runtime.operators.coordination.CoordinatorStoreImpl;
import org.apache.flink.runtime.operators.coordination.OperatorCoordinator;
import org.apache.flink.runtime.operators.coordination.OperatorEvent;
import org.apache.flink.runtime.scheduler.strategy.ExecutionVertexID;
import org.junit.jupiter.api.Test;
import org.videoforge.flink.decode.dispatch.DispatchEvent.InputEnded;
import org.videoforge.flink.decode.dispatch.DispatchEvent.NoMoreSegments;
import org.videoforge.flink.decode.dispatch.DispatchEvent.PlanAccepted;
import org.videoforge.flink.decode.dispatch.DispatchEvent.PlanOffered;
import org.videoforge.flink.decode.dispatch.DispatchEvent.SegmentAssigned;
import org.videoforge.flink.decode.dispatch.DispatchEvent.SegmentRequested;

/** The dispatcher on its own, with the slots' gateways recording what it sends. */
class SegmentDispatcherTest {
    private final Map<Integer, List<OperatorEvent>> sent = new HashMap<>();
    private SegmentDispatcher dispatcher;

    private SegmentDispatcher start(int slots) throws Exception {
        dispatcher = new SegmentDispatcher(new TestContext(slots), "Decode");
        dispatcher.start();
        return dispatcher;
    }

    private void ready(int slot, int attempt) {
        dispatcher.executionAttemptReady(slot, attempt, new RecordingGateway(slot, attempt));
    }

    private void from(int slot, OperatorEvent e) throws Exception {
        dispatcher.handleEventFromOperator(slot, 0, e);
    }

    /** Segment names slot {@code slot} was given, in order. */
    private List<String> assigned(int slot) {
        return sent.getOrDefault(slot, List.of()).stream().filter(e -> e instanceof SegmentAssigned)
                .map(e -> Plans.name(((SegmentAssigned) e).segment())).toList();
    }

    private long count(int slot, Class<?> type) {
        return sent.getOrDefault(slot, List.of()).stream().filter(type::isInstance).count();
    }

    @Test
    void eachRequestGetsTheNextSegmentSoAFreeSlotTakesWhatABusyOneWouldHaveWaitedFor() throws Exception {
        start(2);
        ready(0, 0);
        ready(1, 0);
        from(0, new SegmentRequested());
        from(1, new SegmentRequested());
        from(1, new PlanOffered(Plans.video("a", 6)));
        assertEquals(List.of("a#0"), assigned(0), "the slot that asked first");
        assertEquals(List.of("a#1"), assigned(1));
        // slot 0 is busy with a slow segment: slot 1 asks again and again
        for (int i = 0; i < 4; i++) {
            from(1, new SegmentRequested());
        }
        assertEquals(List.of("a#1", "a#2", "a#3", "a#4", "a#5"), assigned(1));
        from(0, new SegmentRequested());
        assertEquals(List.of("a#0"), assigned(0), "nothing left: slot 0 waits");
        from(0, new PlanOffered(Plans.video("b", 1)));
        assertEquals(List.of("a#0", "b#0"), assigned(0), "a waiting slot gets the next video's segment");
    }

    @Test
    void aPlanOfferedTwiceIsSplitOnceAndAcknowledgedEachTime() throws Exception {
        start(2);
        ready(0, 0);
        ready(1, 0);
        from(0, new PlanOffered(Plans.video("a", 2)));
        from(1, new PlanOffered(Plans.video("a", 2)));
        assertEquals(1, count(0, PlanAccepted.class));
        assertEquals(1, count(1, PlanAccepted.class));
        for (int i = 0; i < 3; i++) {
            from(0, new SegmentRequested());
            from(0, new SegmentRequested()); // a repeated request while waiting changes nothing
        }
        assertEquals(List.of("a#0", "a#1"), assigned(0));
    }

    @Test
    void aSlotResetToACheckpointGetsBackWhatItWasGivenAfterIt() throws Exception {
        start(2);
        ready(0, 0);
        ready(1, 0);
        from(1, new PlanOffered(Plans.video("a", 5)));
        from(0, new SegmentRequested());
        dispatcher.checkpointCoordinator(7, new CompletableFuture<>());
        from(0, new SegmentRequested()); // a#1 after checkpoint 7
        from(1, new SegmentRequested()); // a#2
        dispatcher.notifyCheckpointComplete(7);
        assertEquals(List.of("a#0", "a#1"), assigned(0));

        dispatcher.executionAttemptFailed(0, 0, new RuntimeException("TaskManager lost"));
        dispatcher.subtaskReset(0, 7);
        ready(0, 1);
        dispatcher.handleEventFromOperator(0, 1, new SegmentRequested());
        dispatcher.handleEventFromOperator(0, 0, new SegmentRequested()); // the failed attempt: ignored
        assertEquals(List.of("a#0", "a#1", "a#1"), assigned(0), "a#0 is in the slot's checkpoint 7, a#1 is not");
        from(1, new SegmentRequested());
        assertEquals(List.of("a#2", "a#3"), assigned(1));
    }

    @Test
    void aGlobalRestoreStartsFromTheCheckpointsQueue() throws Exception {
        start(1);
        ready(0, 0);
        from(0, new PlanOffered(Plans.video("a", 4)));
        from(0, new SegmentRequested());
        CompletableFuture<byte[]> checkpoint = new CompletableFuture<>();
        dispatcher.checkpointCoordinator(3, checkpoint);
        from(0, new SegmentRequested());
        from(0, new PlanOffered(Plans.video("b", 2)));
        assertEquals(List.of("a#0", "a#1"), assigned(0));

        sent.clear();
        dispatcher.resetToCheckpoint(3, checkpoint.get());
        ready(0, 1);
        dispatcher.handleEventFromOperator(0, 1, new PlanOffered(Plans.video("b", 2))); // offered again, not in checkpoint 3
        for (int i = 0; i < 6; i++) {
            dispatcher.handleEventFromOperator(0, 1, new SegmentRequested());
        }
        assertEquals(List.of("a#1", "a#2", "a#3", "b#0", "b#1"), assigned(0));
    }

    @Test
    void aBoundedJobsSlotsFinishOnlyWhenEveryInputEndedAndEverySegmentIsOut() throws Exception {
        start(2);
        ready(0, 0);
        ready(1, 0);
        from(0, new PlanOffered(Plans.video("a", 2)));
        from(0, new InputEnded());
        from(0, new SegmentRequested());
        from(0, new SegmentRequested());
        from(0, new SegmentRequested());
        assertEquals(0, count(0, NoMoreSegments.class), "slot 1 may still offer plans");
        from(1, new PlanOffered(Plans.video("b", 1)));
        from(1, new InputEnded());
        assertEquals(List.of("a#0", "a#1", "b#0"), assigned(0));
        from(0, new SegmentRequested());
        from(1, new SegmentRequested());
        assertEquals(1, count(0, NoMoreSegments.class));
        assertEquals(1, count(1, NoMoreSegments.class));
    }

    @Test
    void aSlotThatSpeaksBeforeItsGatewayIsReadyIsAnsweredOnceItIs() throws Exception {
        start(1);
        from(0, new PlanOffered(Plans.video("a", 1)));
        from(0, new SegmentRequested());
        assertTrue(sent.isEmpty());
        ready(0, 0);
        assertEquals(1, count(0, PlanAccepted.class));
        assertEquals(List.of("a#0"), assigned(0));
    }

    @Test
    void planKeysAreForgottenOnceACheckpointTakenAfterTheirAcceptanceCompleted() {
        AcceptedPlans keys = new AcceptedPlans();
        assertTrue(keys.accept("a@r-0@1"));
        assertFalse(keys.accept("a@r-0@1"));
        keys.checkpointTaken(4);
        assertTrue(keys.accept("b@r-0@2"));
        keys.checkpointCompleted(3);
        assertEquals(2, keys.size());
        keys.checkpointCompleted(4);
        assertEquals(1, keys.size(), "a's plan is before checkpoint 4 everywhere now; b's may still come again");
        assertFalse(keys.accept("b@r-0@2"));
    }

    private final class RecordingGateway implements OperatorCoordinator.SubtaskGateway {
        private final int slot;
        private final ExecutionAttemptID attempt;

        RecordingGateway(int slot, int attempt) {
            this.slot = slot;
            this.attempt = new ExecutionAttemptID(new ExecutionGraphID(),
                    new ExecutionVertexID(new JobVertexID(), slot), attempt);
        }

        @Override
        public CompletableFuture<Acknowledge> sendEvent(OperatorEvent evt) {
            sent.computeIfAbsent(slot, k -> new ArrayList<>()).add(evt);
            return CompletableFuture.completedFuture(Acknowledge.get());
        }

        @Override
        public ExecutionAttemptID getExecution() {
            return attempt;
        }

        @Override
        public int getSubtask() {
            return slot;
        }
    }

    private static final class TestContext implements OperatorCoordinator.Context {
        private final int parallelism;

        TestContext(int parallelism) {
            this.parallelism = parallelism;
        }

        @Override
        public JobID getJobID() {
            return new JobID();
        }

        @Override
        public OperatorID getOperatorId() {
            return new OperatorID();
        }

        @Override
        public OperatorCoordinatorMetricGroup metricGroup() {
            return new CoordinatorMetrics();
        }

        @Override
        public void failJob(Throwable cause) {
            throw new AssertionError("the dispatcher failed the job", cause);
        }

        @Override
        public int currentParallelism() {
            return parallelism;
        }

        @Override
        public ClassLoader getUserCodeClassloader() {
            return getClass().getClassLoader();
        }

        @Override
        public CoordinatorStore getCoordinatorStore() {
            return new CoordinatorStoreImpl();
        }

        @Override
        public boolean isConcurrentExecutionAttemptsSupported() {
            return false;
        }

        @Override
        public CheckpointCoordinator getCheckpointCoordinator() {
            return null;
        }
    }

    private static final class CoordinatorMetrics extends UnregisteredMetricsGroup
            implements OperatorCoordinatorMetricGroup {
    }
}
