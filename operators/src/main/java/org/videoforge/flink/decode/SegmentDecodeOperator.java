package org.videoforge.flink.decode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.operators.coordination.OperatorEvent;
import org.apache.flink.runtime.operators.coordination.OperatorEventGateway;
import org.apache.flink.runtime.operators.coordination.OperatorEventHandler;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.videoforge.device.FrameDevice;
import org.videoforge.error.EngineError;
import org.videoforge.flink.core.FrameDevices;
import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.flink.core.VideoPlan;
import org.videoforge.flink.core.VideoPlanSerializer;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.flink.core.VideoTaskSerializer;
import org.videoforge.flink.decode.dispatch.DispatchEvent;
import org.videoforge.flink.decode.dispatch.DispatchEvent.InputEnded;
import org.videoforge.flink.decode.dispatch.DispatchEvent.NoMoreSegments;
import org.videoforge.flink.decode.dispatch.DispatchEvent.PlanAccepted;
import org.videoforge.flink.decode.dispatch.DispatchEvent.PlanOffered;
import org.videoforge.flink.decode.dispatch.DispatchEvent.SegmentAssigned;
import org.videoforge.flink.decode.dispatch.DispatchEvent.SegmentRequested;
import org.videoforge.flink.decode.dispatch.SegmentDispatcher;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.metrics.StageMetrics;
import org.videoforge.flink.metrics.TelemetryNames;

/**
 * The Decode stage of the segmented jobs: video plans in, frames out, straight into the chained
 * Preprocess -> Inference -> Encode (each emit runs them; the encoder's bounded queue is what
 * blocks a fast decoder). A plan that reaches this slot is offered to the {@link SegmentDispatcher},
 * which hands every video's segments to the slots one at a time, on demand: a slot asks for a
 * segment when it has none, decodes it, and asks again. A rejected request's plan carries only its
 * failure, which goes on at once, ahead of any video's frames.
 *
 * <p>A segment is decoded in one task-thread action, between which the task takes in more input and
 * checkpoint barriers: a checkpoint or savepoint (aligned, as savepoints always are) waits for at
 * most the segment in progress. The state holds the segment this slot was given and has not
 * finished, and the plans it offered and has not seen accepted; both are offered or decoded again
 * after a restore. A failure thus costs the segment in progress.
 *
 * <p>A coded error of one input (damaged data, a model that cannot run it) ends that segment with a
 * failure envelope, which the encoder turns into a failed result for its video, and the job goes
 * on; internal errors (9xxx) still fail the task.
 */
public final class SegmentDecodeOperator extends AbstractStreamOperator<FrameEnvelope>
        implements OneInputStreamOperator<VideoPlan, FrameEnvelope>, BoundedOneInput, OperatorEventHandler {
    private static final long serialVersionUID = 2L;
    private static final Logger LOG = LoggerFactory.getLogger(SegmentDecodeOperator.class);

    public static final String STAGE = "Decode";

    private final PipelineConfig config;
    private final transient OperatorEventGateway dispatcher;
    private final transient MailboxExecutor mailbox;
    private transient FrameDevice device;
    private transient SegmentInputs inputs;
    /** Segments given to this slot and not finished (one at most, a few after a restore of version 1). */
    private transient ArrayDeque<VideoTask> segments;
    /** Plans offered to the dispatcher and not yet accepted, by key. */
    private transient Map<String, VideoPlan> offered;
    private transient ListState<byte[]> segmentState;
    private transient ListState<byte[]> offeredState;
    private transient boolean scheduled;
    private transient boolean requested;
    private transient boolean noMoreSegments;
    private transient LongCounter started;
    private transient LongCounter opened;
    private transient LongCounter openNanos;
    private transient LongCounter firstFrameNanos;
    private transient LongCounter pictures;

    SegmentDecodeOperator(StreamOperatorParameters<FrameEnvelope> parameters, PipelineConfig config,
                          OperatorEventGateway dispatcher) {
        super(parameters);
        this.config = config;
        this.dispatcher = dispatcher;
        // The dispatcher's events come as the task's mails of the lowest priority: waiting for them
        // (endInput) must run those too, which this operator's own executor's yield() would not.
        this.mailbox = parameters.getContainingTask().getMailboxExecutorFactory().createExecutor(TaskMailbox.MIN_PRIORITY);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        var store = context.getOperatorStateStore();
        segmentState = store.getListState(bytes("segments"));
        offeredState = store.getListState(bytes("offered-plans"));
        segments = new ArrayDeque<>();
        offered = new LinkedHashMap<>();
        for (byte[] b : segmentState.get()) {
            segments.add(SimpleVersionedSerialization.readVersionAndDeSerialize(VideoTaskSerializer.INSTANCE, b));
        }
        for (byte[] b : offeredState.get()) {
            VideoPlan plan = SimpleVersionedSerialization.readVersionAndDeSerialize(VideoPlanSerializer.INSTANCE, b);
            offered.put(plan.key(), plan);
        }
        // Savepoints of version 1 (slot k took segments k, k+p, ...) hold this slot's queue here, Java-serialized.
        ListState<byte[]> legacy = store.getListState(bytes("queued-segments"));
        for (byte[] b : legacy.get()) {
            segments.add(VideoTaskSerializer.INSTANCE.deserialize(VideoTaskSerializer.JAVA_SERIALIZATION, b));
        }
        legacy.clear();
    }

    private static ListStateDescriptor<byte[]> bytes(String name) {
        return new ListStateDescriptor<>(name, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    }

    @Override
    public void open() throws Exception {
        super.open();
        device = FrameDevices.open(config, FrameDevices.gpuIndex(getRuntimeContext(), config));
        inputs = new SegmentInputs(device);
        started = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.SEGMENTS_STARTED, new LongCounter());
        opened = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.SEGMENT_INPUTS_OPENED, new LongCounter());
        openNanos = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.SEGMENT_OPEN_NANOS, new LongCounter());
        firstFrameNanos = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.SEGMENT_FIRST_FRAME_NANOS,
                new LongCounter());
        pictures = StageMetrics.accumulator(getRuntimeContext(), TelemetryNames.PICTURES_DECODED, new LongCounter());
        for (VideoPlan plan : offered.values()) {
            dispatcher.sendEventToCoordinator(new PlanOffered(plan));
        }
        scheduleNext();
        requestIfIdle();
    }

    @Override
    public void processElement(StreamRecord<VideoPlan> element) {
        VideoPlan plan = element.getValue();
        if (plan.isFailed()) {
            emit(FrameEnvelope.failed(plan.video(), plan.video().failure()));
            return;
        }
        offered.put(plan.key(), plan);
        dispatcher.sendEventToCoordinator(new PlanOffered(plan));
    }

    @Override
    public void handleOperatorEvent(OperatorEvent event) {
        if (!(event instanceof DispatchEvent e)) {
            throw new IllegalArgumentException("unexpected event " + event);
        }
        if (e instanceof PlanAccepted accepted) {
            offered.remove(accepted.key());
        } else if (e instanceof SegmentAssigned assigned) {
            requested = false;
            segments.add(assigned.segment());
            scheduleNext();
        } else if (e instanceof NoMoreSegments) {
            requested = false;
            noMoreSegments = true;
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        segmentState.update(serialized(segments, VideoTaskSerializer.INSTANCE));
        offeredState.update(serialized(offered.values(), VideoPlanSerializer.INSTANCE));
    }

    private static <T> List<byte[]> serialized(Iterable<T> items, SimpleVersionedSerializer<T> serializer)
            throws java.io.IOException {
        List<byte[]> out = new ArrayList<>();
        for (T item : items) {
            out.add(SimpleVersionedSerialization.writeVersionAndSerialize(serializer, item));
        }
        return out;
    }

    /**
     * A bounded job's input ended: every plan this slot got is offered. The slot goes on taking
     * segments until the dispatcher says every one is handed out; the task finishes after that.
     */
    @Override
    public void endInput() throws Exception {
        dispatcher.sendEventToCoordinator(new InputEnded());
        while (!noMoreSegments || !segments.isEmpty()) {
            VideoTask task = segments.poll();
            if (task != null) {
                decode(task);
            } else {
                requestIfIdle();
                mailbox.yield(); // the dispatcher's answer arrives as a mail
            }
        }
        inputs.discard();
    }

    /**
     * Decoding runs as a processing-time timer, not a plain mailbox action: when the job stops with
     * a savepoint Flink quiesces the timers before it waits out the pending mails, so a stop costs
     * at most the segment in progress; the one not started stays in the savepoint.
     */
    private void scheduleNext() {
        if (!scheduled && !segments.isEmpty()) {
            scheduled = true;
            ProcessingTimeService timers = getProcessingTimeService();
            timers.registerTimer(timers.getCurrentProcessingTime(), time -> decodeNext());
        }
    }

    private void decodeNext() throws Exception {
        scheduled = false;
        VideoTask task = segments.poll();
        if (task != null) {
            decode(task);
        }
        // The decoder stays open while the slot waits: the next segment is most often of the same video.
        requestIfIdle();
        scheduleNext();
    }

    private void requestIfIdle() {
        if (segments.isEmpty() && !requested && !noMoreSegments) {
            requested = true;
            dispatcher.sendEventToCoordinator(new SegmentRequested());
        }
    }

    private void decode(VideoTask task) throws InterruptedException {
        FrameEnvelope inFlight = null;
        try (EnvelopeDecoder frames = new EnvelopeDecoder(task, inputs.open(task), () -> 0)) {
            started.add(1L);
            opened.add(inputs.opened() ? 1L : 0L);
            openNanos.add(inputs.openNanos());
            firstFrameNanos.add(frames.firstFrameNanos());
            while ((inFlight = frames.next()) != null) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("cancelled while decoding " + task);
                }
                emit(inFlight);
                inFlight = null;
            }
            pictures.add(inputs.picturesSinceOpen());
        } catch (EngineError e) {
            if (inFlight != null) {
                inFlight.close(); // a stage failed before the encoder took it
            }
            inputs.discard();
            if (e.code().number() >= 9000) {
                throw e;
            }
            LOG.warn("{} failed: {}", task, e.oneLine());
            emit(FrameEnvelope.failed(task, e));
        }
    }

    private void emit(FrameEnvelope envelope) {
        output.collect(new StreamRecord<>(envelope));
    }

    @Override
    public void close() throws Exception {
        try {
            if (inputs != null) {
                inputs.close();
            }
        } finally {
            try {
                if (device != null) {
                    device.close();
                }
            } finally {
                super.close();
            }
        }
    }
}
