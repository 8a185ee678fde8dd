package org.videoforge.flink.commit;

import org.videoforge.flink.commit.EncodedVideoSerializer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.videoforge.flink.assemble.VideoAssembler;
import org.videoforge.flink.assemble.VideoResult;
import org.videoforge.flink.encode.EncodedVideo;
import org.videoforge.flink.metrics.PipelineMetrics;

/**
 * Exactly-once output of the segmented jobs, as a two-phase-commit Sink V2: the writer stages the
 * encoded segments of each checkpoint ({@link StagingWriter}), the committer renames them into
 * place once that checkpoint has completed ({@link SegmentCommitter}), and the post-commit topology
 * assembles each video from its committed segments ({@link VideoAssembler}) and sends the results
 * to {@code results} (a Kafka topic, or a batch run's report).
 */
public final class SegmentCommitSink implements Sink<EncodedVideo>, SupportsCommitter<EncodedVideo>,
        SupportsPostCommitTopology<EncodedVideo> {
    private static final long serialVersionUID = 1L;

    public static final String STAGE = "Commit";

    private final Sink<VideoResult> results;
    private final String slotGroup;

    /**
     * @param results   where each video's result goes
     * @param slotGroup slot sharing group of the assembler and the results sink
     */
    public SegmentCommitSink(Sink<VideoResult> results, String slotGroup) {
        this.results = results;
        this.slotGroup = slotGroup;
    }

    @Override
    public CommittingSinkWriter<EncodedVideo, EncodedVideo> createWriter(WriterInitContext context) {
        return new StagingWriter();
    }

    @Override
    public Committer<EncodedVideo> createCommitter(CommitterInitContext context) {
        return new SegmentCommitter(PipelineMetrics.segmentsCommitted(context.metricGroup()));
    }

    @Override
    public SimpleVersionedSerializer<EncodedVideo> getCommittableSerializer() {
        return new EncodedVideoSerializer();
    }

    @Override
    public void addPostCommitTopology(DataStream<CommittableMessage<EncodedVideo>> committed) {
        committed
                .filter(m -> m instanceof CommittableWithLineage)
                .name("Committed segments").uid("committed-segments")
                .map(m -> ((CommittableWithLineage<EncodedVideo>) m).getCommittable())
                .returns(TypeInformation.of(EncodedVideo.class))
                .name("Segment").uid("committed-segment")
                .keyBy(EncodedVideo::getVideoId)
                .process(new VideoAssembler())
                .name(VideoAssembler.STAGE).uid("assemble")
                .slotSharingGroup(slotGroup)
                .sinkTo(results)
                .name("Results").uid("results")
                .slotSharingGroup(slotGroup);
    }
}
