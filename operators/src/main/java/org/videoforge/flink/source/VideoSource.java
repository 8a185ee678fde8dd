package org.videoforge.flink.source;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SourceReaderOptions;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.videoforge.flink.envelope.FrameEnvelope;
import org.videoforge.flink.envelope.FrameEnvelopeTypeInfo;
import org.videoforge.flink.core.PipelineConfig;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.flink.source.enumerator.VideoEnumeratorState;
import org.videoforge.flink.source.enumerator.VideoEnumeratorStateSerializer;
import org.videoforge.flink.source.enumerator.VideoSplitEnumerator;
import org.videoforge.flink.source.reader.VideoSourceReader;
import org.videoforge.flink.source.split.VideoSplit;
import org.videoforge.flink.source.split.VideoSplitSerializer;

/**
 * The Decode stage as a Flink source: each split is a video, decoded to frames on the reader's
 * fetcher thread and emitted as {@link FrameEnvelope}s.
 *
 * <pre>{@code
 * VideoSource source = VideoSource.builder().addVideo(task).setConfig(config).build();
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "Decode");
 * }</pre>
 */
public final class VideoSource
        implements Source<FrameEnvelope, VideoSplit, VideoEnumeratorState>, ResultTypeQueryable<FrameEnvelope> {
    private static final long serialVersionUID = 1L;

    /** Stage name; also what the envelope serializer names if Decode's output leaves the chain. */
    public static final String STAGE = "Decode";

    private final List<VideoTask> videos;
    private final PipelineConfig config;

    VideoSource(List<VideoTask> videos, PipelineConfig config) {
        this.videos = List.copyOf(videos);
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<FrameEnvelope, VideoSplit> createReader(SourceReaderContext context) {
        Configuration readerConfig = new Configuration();
        // One frame per fetch. Besides the queue, one frame waits in the fetcher's hand (blocked on a
        // full queue) and one is being emitted by the reader: the queue gets the rest of the bound.
        readerConfig.set(SourceReaderOptions.ELEMENT_QUEUE_CAPACITY, Math.max(1, config.decodeQueue() - 2));
        return VideoSourceReader.create(readerConfig, context, config);
    }

    @Override
    public SplitEnumerator<VideoSplit, VideoEnumeratorState> createEnumerator(
            SplitEnumeratorContext<VideoSplit> context) {
        List<VideoSplit> splits = new ArrayList<>();
        for (VideoTask v : videos) {
            splits.add(VideoSplit.of(v));
        }
        return new VideoSplitEnumerator(context, splits);
    }

    @Override
    public SplitEnumerator<VideoSplit, VideoEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<VideoSplit> context, VideoEnumeratorState checkpoint) {
        return new VideoSplitEnumerator(context, checkpoint.pending());
    }

    @Override
    public SimpleVersionedSerializer<VideoSplit> getSplitSerializer() {
        return VideoSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<VideoEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new VideoEnumeratorStateSerializer();
    }

    @Override
    public TypeInformation<FrameEnvelope> getProducedType() {
        return FrameEnvelopeTypeInfo.producedBy(STAGE);
    }

    /** Builder of {@link VideoSource}. */
    public static final class Builder {
        private final List<VideoTask> videos = new ArrayList<>();
        private PipelineConfig config = PipelineConfig.builder().build();

        public Builder addVideo(VideoTask task) {
            videos.add(task);
            return this;
        }

        public Builder setConfig(PipelineConfig config) {
            this.config = config;
            return this;
        }

        public VideoSource build() {
            if (videos.isEmpty()) {
                throw new IllegalArgumentException("no videos to read");
            }
            return new VideoSource(videos, config);
        }
    }
}
