package org.videoforge.flink.pipeline;

import org.videoforge.flink.core.VideoTask;
import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.flink.core.FrameDevices;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.operators.SlotSharingGroup;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.videoforge.flink.encode.EncodeOperator;
import org.videoforge.flink.encode.EncodedVideo;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.envelope.FrameEnvelopeTypeInfo;
import org.videoforge.flink.inference.InferenceOperator;
import org.videoforge.flink.preprocess.PreprocessFunction;
import org.videoforge.flink.publish.PublishSink;
import org.videoforge.flink.source.VideoSource;
import org.videoforge.inference.BackendKind;

/**
 * The frame's journey, top to bottom: Decode -> Preprocess -> Inference -> Encode, chained into
 * one task in one slot sharing group, then Publish (the atomic rename of finished files).
 * Envelopes pass by reference between the chained stages, so object reuse is switched on.
 */
public final class UpscalePipeline {
    /** The slot sharing group every stage of the frame path is placed in. */
    public static final String SLOT_GROUP = "videoforge-frames";

    /** Task heap each frame-path slot asks for on a fine-grained cluster (frames live off-heap). */
    static final int SLOT_TASK_HEAP_MB = 512;

    private UpscalePipeline() {
    }

    /**
     * The slot sharing group of the frame path. On a cluster with a GPU backend it asks for one
     * {@code gpu} external resource, so that each chain gets a slot with its own GPU (honoured when
     * fine-grained resource management is on; see flink-conf/). The embedded MiniCluster declares
     * no external resources, so there the group carries no resource request.
     */
    static SlotSharingGroup slotFor(StreamExecutionEnvironment env, PipelineConfig config) {
        boolean local = "local".equals(env.getConfiguration().get(DeploymentOptions.TARGET));
        if (config.backend() == BackendKind.CPU || local) {
            return SlotSharingGroup.newBuilder(SLOT_GROUP).build();
        }
        return SlotSharingGroup.newBuilder(SLOT_GROUP)
                .setCpuCores(1.0)
                .setTaskHeapMemoryMB(SLOT_TASK_HEAP_MB)
                .setExternalResource(FrameDevices.GPU_RESOURCE, 1.0)
                .build();
    }

    public static DataStreamSink<EncodedVideo> build(StreamExecutionEnvironment env, List<VideoTask> videos,
                                                     PipelineConfig config) {
        env.getConfig().enableObjectReuse();
        SlotSharingGroup slot = slotFor(env, config);

        VideoSource.Builder source = VideoSource.builder().setConfig(config);
        videos.forEach(source::addVideo);

        DataStream<FrameEnvelope> decoded = env
                .fromSource(source.build(), WatermarkStrategy.noWatermarks(), VideoSource.STAGE)
                .uid("decode")
                .slotSharingGroup(slot);

        return framePath(decoded, config, slot)
                .sinkTo(new PublishSink())
                .name(PublishSink.STAGE)
                .uid("publish")
                .slotSharingGroup(slot);
    }

    /**
     * Preprocess -> Inference -> Encode after a decode stage, in {@code slot}: the part of the frame
     * path the CLI and the segmented jobs share.
     */
    static DataStream<EncodedVideo> framePath(DataStream<FrameEnvelope> decoded, PipelineConfig config,
                                              SlotSharingGroup slot) {
        DataStream<FrameEnvelope> tensors = decoded
                .map(new PreprocessFunction(config))
                .returns(FrameEnvelopeTypeInfo.producedBy(PreprocessFunction.STAGE))
                .name(PreprocessFunction.STAGE)
                .uid("preprocess")
                .slotSharingGroup(slot);

        DataStream<FrameEnvelope> upscaled = tensors
                .transform(InferenceOperator.STAGE, FrameEnvelopeTypeInfo.producedBy(InferenceOperator.STAGE),
                        new InferenceOperator(config))
                .uid("inference")
                .slotSharingGroup(slot);

        return upscaled
                .transform(EncodeOperator.STAGE, TypeInformation.of(EncodedVideo.class), new EncodeOperator(config))
                .uid("encode")
                .slotSharingGroup(slot);
    }
}
