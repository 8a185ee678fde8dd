package org.videoforge.flink.pipeline;

import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.videoforge.flink.encode.EncodeOperator;
import org.videoforge.flink.encode.EncodedVideo;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.envelope.FrameEnvelopeTypeInfo;
import org.videoforge.flink.inference.InferenceFunction;
import org.videoforge.flink.preprocess.PreprocessFunction;
import org.videoforge.flink.publish.PublishSink;
import org.videoforge.flink.source.VideoSource;

/**
 * The frame's journey, top to bottom: Decode -> Preprocess -> Inference -> Encode, chained into
 * one task in one slot sharing group, then Publish (the atomic rename of finished files).
 * Envelopes pass by reference between the chained stages, so object reuse is switched on.
 */
public final class UpscalePipeline {
    /** The slot sharing group every stage of the frame path is placed in. */
    public static final String SLOT_GROUP = "videoforge-frames";

    private UpscalePipeline() {
    }

    public static DataStreamSink<EncodedVideo> build(StreamExecutionEnvironment env, List<VideoTask> videos,
                                                     PipelineConfig config) {
        env.getConfig().enableObjectReuse();

        VideoSource.Builder source = VideoSource.builder().setConfig(config);
        videos.forEach(source::addVideo);

        DataStream<FrameEnvelope> decoded = env
                .fromSource(source.build(), WatermarkStrategy.noWatermarks(), VideoSource.STAGE)
                .uid("decode")
                .slotSharingGroup(SLOT_GROUP);

        DataStream<FrameEnvelope> tensors = decoded
                .map(new PreprocessFunction(config))
                .returns(FrameEnvelopeTypeInfo.producedBy(PreprocessFunction.STAGE))
                .name(PreprocessFunction.STAGE)
                .uid("preprocess")
                .slotSharingGroup(SLOT_GROUP);

        DataStream<FrameEnvelope> upscaled = tensors
                .map(new InferenceFunction(config))
                .returns(FrameEnvelopeTypeInfo.producedBy(InferenceFunction.STAGE))
                .name(InferenceFunction.STAGE)
                .uid("inference")
                .slotSharingGroup(SLOT_GROUP);

        DataStream<EncodedVideo> encoded = upscaled
                .transform(EncodeOperator.STAGE, TypeInformation.of(EncodedVideo.class), new EncodeOperator(config))
                .uid("encode")
                .slotSharingGroup(SLOT_GROUP);

        return encoded
                .sinkTo(new PublishSink())
                .name(PublishSink.STAGE)
                .uid("publish")
                .slotSharingGroup(SLOT_GROUP);
    }
}
