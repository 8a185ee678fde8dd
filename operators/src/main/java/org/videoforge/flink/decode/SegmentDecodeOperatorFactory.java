package org.videoforge.flink.decode;

import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.operators.coordination.OperatorCoordinator;
import org.apache.flink.runtime.operators.coordination.OperatorEventDispatcher;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.CoordinatedOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.flink.core.VideoPlan;
import org.videoforge.flink.decode.dispatch.SegmentDispatcher;
import org.videoforge.flink.envelope.FrameEnvelope;

/**
 * Makes the segmented jobs' decode stage: a {@link SegmentDecodeOperator} in each slot, wired to
 * the {@link SegmentDispatcher} that Flink runs for it on the JobManager.
 */
public final class SegmentDecodeOperatorFactory extends AbstractStreamOperatorFactory<FrameEnvelope>
        implements OneInputStreamOperatorFactory<VideoPlan, FrameEnvelope>, CoordinatedOperatorFactory<FrameEnvelope> {
    private static final long serialVersionUID = 1L;

    private final PipelineConfig config;

    public SegmentDecodeOperatorFactory(PipelineConfig config) {
        this.config = config;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends StreamOperator<FrameEnvelope>> T createStreamOperator(
            StreamOperatorParameters<FrameEnvelope> parameters) {
        OperatorID id = parameters.getStreamConfig().getOperatorID();
        OperatorEventDispatcher events = parameters.getOperatorEventDispatcher();
        SegmentDecodeOperator operator = new SegmentDecodeOperator(parameters, config,
                events.getOperatorEventGateway(id));
        events.registerEventHandler(id, operator);
        return (T) operator;
    }

    @Override
    public OperatorCoordinator.Provider getCoordinatorProvider(String operatorName, OperatorID operatorID) {
        return new SegmentDispatcher.Provider(operatorID, operatorName);
    }

    @Override
    public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
        return SegmentDecodeOperator.class;
    }
}
