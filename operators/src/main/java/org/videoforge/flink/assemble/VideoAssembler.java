package org.videoforge.flink.assemble;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.videoforge.codec.MediaProbe;
import org.videoforge.codec.SegmentMuxer;
import org.videoforge.codec.VideoWriter;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.encode.EncodedVideo;
import org.videoforge.flink.encode.FrameTimings;
import org.videoforge.flink.core.TempOutputs;
import org.videoforge.flink.publish.PublishSink;

/**
 * Joins a video's committed segments into its final file and reports its result. Keyed by video
 * (request) id; the segments it has seen are Flink state, so a restart neither loses nor repeats
 * them. When all segments of a video are committed it concatenates them (no re-encode), adds the
 * source's audio and subtitles, and publishes the file with one atomic rename; the first failed
 * segment fails the video instead. Segment files are deleted only after a checkpoint taken after
 * the publish has completed: until then a restore may replay the commit and assemble again (same
 * bytes, same name, so the output is still written exactly once as far as anyone can observe).
 */
public final class VideoAssembler extends KeyedProcessFunction<String, EncodedVideo, VideoResult>
        implements CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(VideoAssembler.class);

    public static final String STAGE = "Assemble";

    private transient MapState<Integer, EncodedVideo> segments;
    private transient ValueState<Integer> received;
    private transient ValueState<Boolean> reported;
    private transient ListState<String> cleanupState;
    private transient List<String> cleanupPending;
    private transient TreeMap<Long, List<String>> cleanupAwaiting;

    @Override
    public void open(OpenContext openContext) {
        segments = getRuntimeContext().getMapState(new MapStateDescriptor<>("segments", Types.INT,
                TypeInformation.of(EncodedVideo.class)));
        received = getRuntimeContext().getState(new ValueStateDescriptor<>("received", Types.INT));
        reported = getRuntimeContext().getState(new ValueStateDescriptor<>("reported", Types.BOOLEAN));
    }

    @Override
    public void processElement(EncodedVideo segment, Context ctx, Collector<VideoResult> out) throws Exception {
        if (segments.contains(segment.getSegmentIndex())) {
            return; // a commit replayed after a restore: already counted
        }
        segments.put(segment.getSegmentIndex(), segment);
        int seen = (received.value() == null ? 0 : received.value()) + 1;
        received.update(seen);
        boolean done = Boolean.TRUE.equals(reported.value());
        if (!done && !segment.succeeded()) {
            out.collect(failure(segment, segment.getErrorCode(), segment.getErrorMessage()));
            reported.update(true);
            done = true;
        }
        if (seen < segment.getSegmentCount()) {
            return;
        }
        if (!done) {
            out.collect(assemble(segment.getVideoId()));
        }
        scheduleCleanup(segment);
        segments.clear();
        received.clear();
        reported.clear();
    }

    private VideoResult assemble(String videoId) throws Exception {
        List<EncodedVideo> parts = new ArrayList<>();
        for (EncodedVideo s : segments.values()) {
            parts.add(s);
        }
        parts.sort(Comparator.comparingInt(EncodedVideo::getSegmentIndex));
        EncodedVideo first = parts.get(0);
        Path output = Paths.get(first.getVideoOutput());
        Path temp = TempOutputs.tempFor(output);
        long t0 = System.nanoTime();
        try {
            List<Path> files = new ArrayList<>();
            long frames = 0;
            FrameTimings timings = new FrameTimings();
            for (EncodedVideo s : parts) {
                files.add(Paths.get(s.getFinalPath()));
                frames += s.getFrames();
                timings = timings.plus(s.getTimings());
            }
            long written = SegmentMuxer.concatenate(files, MediaProbe.probe(Paths.get(first.getSourcePath()), null),
                    temp, VideoWriter.containerFormatFor(output));
            if (written != frames) {
                throw new EngineError(ErrorCode.INTERNAL, "assembled " + written + " frames of " + videoId
                        + " but its segments encoded " + frames);
            }
            PublishSink.publish(temp, output);
            LOG.info("published {}: {} segments, {} frames -> {}", videoId, parts.size(), frames, output);
            return success(first, parts.size(), frames, timings, System.nanoTime() - t0);
        } catch (EngineError e) {
            TempOutputs.discard(temp);
            return failure(first, e.code().number(), e.getMessage());
        }
    }

    private static VideoResult success(EncodedVideo first, int segmentCount, long frames, FrameTimings t,
                                       long assembleNanos) {
        VideoResult r = new VideoResult();
        r.setRequestId(first.getVideoId());
        r.setSucceeded(true);
        r.setFrames(frames);
        r.setSegments(segmentCount);
        r.setOutputUri(first.getVideoOutput());
        long millis = System.currentTimeMillis() - first.getAcceptedAtMillis();
        r.setDurationMillis(millis);
        // The frame path's own speed (the contract's fps): end to end is frames / durationMillis.
        r.setFps(t.getWallNanos() > 0 ? frames * 1e9 / t.getWallNanos() : 0);
        r.setSlotMillis(t.getWallNanos() / 1_000_000);
        Map<String, Double> stages = r.getStageMillis();
        stages.put("decode", perFrameMillis(t.getDecodeNanos(), frames));
        stages.put("preprocess", perFrameMillis(t.getPreprocessNanos(), frames));
        stages.put("inference", perFrameMillis(t.getInferenceNanos(), frames));
        stages.put("encode", perFrameMillis(t.getEncodeNanos(), frames));
        stages.put("assemble", assembleNanos / 1e6);
        return r;
    }

    private static double perFrameMillis(long nanos, long frames) {
        return frames == 0 ? 0 : nanos / 1e6 / frames;
    }

    private static VideoResult failure(EncodedVideo segment, int code, String message) {
        return VideoResult.failed(segment.getVideoId(), code, message,
                segment.getAcceptedAtMillis() == 0 ? 0 : System.currentTimeMillis() - segment.getAcceptedAtMillis());
    }

    /**
     * The video's staging directory (its segments' directory), deleted once it is safe to. Every
     * segment of a planned video names its staged path, failed ones too; a request that failed at
     * intake has none, and no staging directory.
     */
    private void scheduleCleanup(EncodedVideo segment) {
        if (segment.getFinalPath() != null) {
            cleanupPending.add(Paths.get(segment.getFinalPath()).getParent().toString());
        }
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        cleanupState = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("cleanup", Types.STRING));
        cleanupPending = new ArrayList<>();
        cleanupAwaiting = new TreeMap<>();
        for (String dir : cleanupState.get()) {
            cleanupPending.add(dir); // published before the checkpoint we restored: deletable after the next
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        if (!cleanupPending.isEmpty()) {
            cleanupAwaiting.put(context.getCheckpointId(), cleanupPending);
            cleanupPending = new ArrayList<>();
        }
        List<String> all = new ArrayList<>();
        cleanupAwaiting.values().forEach(all::addAll);
        cleanupState.update(all);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        Map<Long, List<String>> due = cleanupAwaiting.headMap(checkpointId, true);
        for (List<String> dirs : due.values()) {
            dirs.forEach(VideoAssembler::deleteStaging);
        }
        due.clear();
    }

    private static void deleteStaging(String dir) {
        try {
            FileUtils.deleteDirectory(new File(dir));
        } catch (IOException e) {
            LOG.warn("could not remove staging directory {}: {}", dir, e.toString());
        }
    }
}
