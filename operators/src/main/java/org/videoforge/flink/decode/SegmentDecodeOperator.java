package org.videoforge.flink.decode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.ProcessingTimeService;
import org.apache.flink.util.InstantiationUtil;
import org.videoforge.device.FrameDevice;
import org.videoforge.error.EngineError;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.core.FrameDevices;
import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.flink.core.VideoPlan;

/**
 * The Decode stage of the segmented jobs: video plans in (every slot sees every plan and takes its
 * share of the segments, see {@link VideoPlan}), frames out, straight into the chained Preprocess ->
 * Inference -> Encode (each emit runs them; the encoder's bounded queue is what blocks a fast
 * decoder).
 *
 * <p>Its segments are only queued — in operator state — and decoded later, one segment per
 * task-thread action. Between actions the task takes in more input and checkpoint barriers, so a
 * checkpoint or savepoint, aligned as savepoints always are, waits for at most the segment in
 * progress; the queued ones are part of the snapshot and are decoded after a restore. A failure
 * thus costs the segment in progress.
 *
 * <p>A coded error of one input (damaged data, a model that cannot run it) ends that segment with a
 * failure envelope, which the encoder turns into a failed result for its video, and the job goes
 * on; internal errors (9xxx) still fail the task.
 */
public final class SegmentDecodeOperator extends AbstractStreamOperator<FrameEnvelope>
        implements OneInputStreamOperator<VideoPlan, FrameEnvelope>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    public static final String STAGE = "Decode";

    private final PipelineConfig config;
    private transient FrameDevice device;
    private transient ArrayDeque<VideoTask> queue;
    private transient ListState<byte[]> queueState;
    private transient boolean scheduled;

    public SegmentDecodeOperator(PipelineConfig config) {
        this.config = config;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        // Java serialization of VideoTask, explicit and stable (serialVersionUID), not Kryo's guess.
        queueState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("queued-segments", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        queue = new ArrayDeque<>();
        for (byte[] bytes : queueState.get()) {
            queue.add(InstantiationUtil.deserializeObject(bytes, getUserCodeClassloader()));
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        device = FrameDevices.open(config, FrameDevices.gpuIndex(getRuntimeContext(), config));
        scheduleNext();
    }

    @Override
    public void processElement(StreamRecord<VideoPlan> element) {
        queue.addAll(element.getValue().tasksFor(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks()));
        scheduleNext();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<byte[]> queued = new ArrayList<>(queue.size());
        for (VideoTask task : queue) {
            queued.add(InstantiationUtil.serializeObject(task));
        }
        queueState.update(queued);
    }

    @Override
    public void endInput() throws Exception {
        while (!queue.isEmpty()) {
            decode(queue.poll());
        }
    }

    /**
     * Decoding runs as a processing-time timer, not a plain mailbox action: when the job stops with
     * a savepoint Flink quiesces the timers before it waits out the pending mails, so a stop costs
     * at most the segment in progress; the queued ones stay in the savepoint.
     */
    private void scheduleNext() {
        if (!scheduled && !queue.isEmpty()) {
            scheduled = true;
            ProcessingTimeService timers = getProcessingTimeService();
            timers.registerTimer(timers.getCurrentProcessingTime(), time -> decodeNext());
        }
    }

    private void decodeNext() throws Exception {
        scheduled = false;
        VideoTask task = queue.poll();
        if (task != null) {
            decode(task);
        }
        scheduleNext();
    }

    private void decode(VideoTask task) throws InterruptedException {
        if (task.failure() != null) {
            emit(FrameEnvelope.failed(task, task.failure()));
            return;
        }
        FrameEnvelope inFlight = null;
        try (EnvelopeDecoder frames = new EnvelopeDecoder(device, task, () -> 0)) {
            while ((inFlight = frames.next()) != null) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("cancelled while decoding " + task);
                }
                emit(inFlight);
                inFlight = null;
            }
        } catch (EngineError e) {
            if (inFlight != null) {
                inFlight.close(); // a stage failed before the encoder took it
            }
            if (e.code().number() >= 9000) {
                throw e;
            }
            emit(FrameEnvelope.failed(task, e));
        }
    }

    private void emit(FrameEnvelope envelope) {
        output.collect(new StreamRecord<>(envelope));
    }

    @Override
    public void close() throws Exception {
        try {
            if (device != null) {
                device.close();
            }
        } finally {
            super.close();
        }
    }
}
