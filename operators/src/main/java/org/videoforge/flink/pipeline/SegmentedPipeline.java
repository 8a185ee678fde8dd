package org.videoforge.flink.pipeline;

import org.videoforge.flink.core.PipelineConfig;
import java.nio.file.Path;
import org.apache.flink.api.common.operators.SlotSharingGroup;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.videoforge.flink.assemble.VideoResult;
import org.videoforge.flink.commit.SegmentCommitSink;
import org.videoforge.flink.decode.SegmentDecodeOperator;
import org.videoforge.flink.decode.SegmentDecodeOperatorFactory;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.envelope.FrameEnvelopeTypeInfo;
import org.videoforge.flink.request.DeadLetter;
import org.videoforge.flink.request.RawRequest;
import org.videoforge.flink.request.RequestIntake;
import org.videoforge.flink.core.VideoPlan;

/**
 * The segmented job, for a stream of requests (Kafka) or a bounded backlog (a manifest):
 *
 * <pre>
 *  requests -> Intake (parse, check, probe, split into keyframe segments) --dead letters-->
 *           -> plans -> [Decode -> Preprocess -> Inference -> Encode] (chained, one GPU slot each;
 *              the segment dispatcher hands each slot the next segment when it asks)
 *           -> Commit (stage; rename when the checkpoint completes) -> Assemble (per video) -> results
 * </pre>
 *
 * Segments of one video spread over all frame-path slots. Everything shares the frame path's slot
 * sharing group: intake, commit and assembly are light, and one group means a slot per GPU is all
 * the job needs. Progress is Flink state: the committed
 * segments and the assembler's ledger; the Kafka offsets or the bounded source's position.
 * Exactly-once needs checkpointing; a checkpoint waits for at most one segment per slot (see
 * {@link SegmentDecodeOperator}).
 */
public final class SegmentedPipeline {
    private SegmentedPipeline() {
    }

    /**
     * @param stagingDir  where segment files are staged and committed; shared by all TaskManagers
     * @param deadLetters where rejected requests go, or null to only report them as results
     */
    public static void build(StreamExecutionEnvironment env, DataStream<RawRequest> requests, PipelineConfig config,
                             Path stagingDir, double defaultSegmentSeconds, Sink<VideoResult> results,
                             Sink<DeadLetter> deadLetters) {
        env.getConfig().enableObjectReuse();
        SlotSharingGroup frames = UpscalePipeline.slotFor(env, config);

        SingleOutputStreamOperator<VideoPlan> plans = requests
                .process(new RequestIntake(stagingDir, defaultSegmentSeconds, config.model(), config.precision()))
                .name(RequestIntake.STAGE).uid("intake")
                .slotSharingGroup(frames);
        if (deadLetters != null) {
            plans.getSideOutput(RequestIntake.DEAD_LETTERS)
                    .sinkTo(deadLetters).name("Dead letters").uid("dead-letters")
                    .slotSharingGroup(frames);
        }

        DataStream<FrameEnvelope> decoded = plans
                .rebalance()
                .transform(SegmentDecodeOperator.STAGE, FrameEnvelopeTypeInfo.producedBy(SegmentDecodeOperator.STAGE),
                        new SegmentDecodeOperatorFactory(config))
                .uid("decode")
                .slotSharingGroup(frames);

        UpscalePipeline.framePath(decoded, config, frames)
                .sinkTo(new SegmentCommitSink(results, UpscalePipeline.SLOT_GROUP))
                .name(SegmentCommitSink.STAGE).uid("commit")
                .slotSharingGroup(frames);
    }
}
