package org.videoforge.flink.request;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.UUID;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.videoforge.codec.KeyframeIndex;
import org.videoforge.contract.UpscaleRequest;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.flink.core.VideoPlan;
import org.videoforge.flink.core.VideoSegment;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.flink.plan.PlannedWork;
import org.videoforge.flink.plan.WorkPlanner;
import org.videoforge.flink.plan.WorkRequest;
import org.videoforge.flink.segment.SegmentPlanner;
import org.videoforge.frame.Precision;
import org.videoforge.frame.VideoCodec;
import org.videoforge.inference.ModelRef;

/**
 * Takes requests on: parses the Avro record, checks what can be checked before any work with the
 * {@link WorkPlanner} the CLI uses too (input, output, encoder, model), splits the input into
 * keyframe-aligned segments and emits the plan. A request that fails here becomes a dead
 * letter (side output) and a failed plan, whose result is reported the same way as every other
 * (so results stay exactly-once); the job keeps consuming.
 */
public final class RequestIntake extends ProcessFunction<RawRequest, VideoPlan> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RequestIntake.class);

    public static final String STAGE = "Intake";
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {
    };

    private final String stagingDir;
    private final double defaultSegmentSeconds;
    private final ModelRef defaultModel;
    private final Precision defaultPrecision;
    private transient AvroCodec<UpscaleRequest> codec;
    private transient WorkPlanner planner;

    /**
     * @param stagingDir            where segment files are staged (storage every TaskManager shares)
     * @param defaultSegmentSeconds segment length for requests that name none
     * @param defaultModel          the model of requests that name none
     * @param defaultPrecision      the precision of requests that name none
     */
    public RequestIntake(Path stagingDir, double defaultSegmentSeconds, ModelRef defaultModel,
                         Precision defaultPrecision) {
        this.stagingDir = stagingDir.toAbsolutePath().toString();
        this.defaultSegmentSeconds = defaultSegmentSeconds;
        this.defaultModel = defaultModel;
        this.defaultPrecision = defaultPrecision;
    }

    @Override
    public void processElement(RawRequest raw, Context ctx, Collector<VideoPlan> out) {
        if (codec == null) {
            codec = new AvroCodec<>(UpscaleRequest.class);
            planner = new WorkPlanner(defaultModel, defaultPrecision);
        }
        String id = "unreadable:" + raw.getOrigin();
        String output = null;
        try {
            UpscaleRequest request = codec.decode(raw.getValue());
            id = requireText(request.getRequestId(), "requestId");
            Path outputPath = pathOf(requireText(request.getOutputUri(), "outputUri"), "outputUri");
            output = outputPath.toString();
            VideoPlan plan = plan(request, id, outputPath, raw);
            LOG.info("request {} ({}): {} segment(s)", id, raw.getOrigin(), plan.segments().size());
            out.collect(plan);
        } catch (EngineError e) {
            if (e.code().number() >= 9000) {
                throw e;
            }
            LOG.warn("request {} ({}) rejected: {}", id, raw.getOrigin(), e.oneLine());
            ctx.output(DEAD_LETTERS, new DeadLetter(raw, id, e.code().number(), e.getMessage()));
            out.collect(VideoPlan.failed(VideoTask.failed(id, output, e, raw.getReceivedAtMillis()).from(raw.getOrigin())));
        }
    }

    private VideoPlan plan(UpscaleRequest request, String id, Path output, RawRequest raw) {
        double seconds = request.getSegmentSeconds() == null ? defaultSegmentSeconds : request.getSegmentSeconds();
        if (!(seconds > 0)) {
            throw new EngineError(ErrorCode.REQUEST_INVALID, "segmentSeconds must be positive, not " + seconds);
        }
        PlannedWork work = planner.plan(new WorkRequest(id, raw.getOrigin(), pathOf(request.getInputUri(), "inputUri"),
                null, output,
                request.getOutputCodec() == null ? null : VideoCodec.valueOf(request.getOutputCodec().name()),
                request.getModel() == null ? null : ModelRef.of(request.getModel()),
                request.getPrecision() == null ? null : Precision.valueOf(request.getPrecision().name()),
                request.getQuality(), raw.getReceivedAtMillis()));
        VideoTask video = work.task();
        KeyframeIndex keyframes = KeyframeIndex.read(video.source());
        Path staging = stagingFor(id);
        List<VideoSegment> segments = SegmentPlanner.plan(keyframes.framePts(), keyframes.keyframePts(),
                video.source().video().timeBase(), seconds, staging);
        createDirectory(staging);
        return VideoPlan.of(video, segments);
    }

    /** One directory per request: a readable prefix of its id, plus a digest so ids never collide. */
    private Path stagingFor(String requestId) {
        String readable = requestId.replaceAll("[^A-Za-z0-9._-]", "_");
        if (readable.length() > 48) {
            readable = readable.substring(0, 48);
        }
        String digest = UUID.nameUUIDFromBytes(requestId.getBytes(StandardCharsets.UTF_8)).toString().substring(0, 8);
        return Paths.get(stagingDir, readable + "-" + digest);
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new EngineError(ErrorCode.OUTPUT_WRITE_FAILED, "cannot create staging directory " + dir + ": " + e, e);
        }
    }

    private static String requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new EngineError(ErrorCode.REQUEST_INVALID, "request has no " + field);
        }
        return value;
    }

    /** A file: URI or a plain absolute path. */
    static Path pathOf(String uri, String field) {
        requireText(uri, field);
        try {
            if (uri.startsWith("file:")) {
                return Paths.get(URI.create(uri)).toAbsolutePath();
            }
            if (uri.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
                throw new EngineError(ErrorCode.REQUEST_INVALID, field + " " + uri
                        + ": only file: URIs and paths are supported (mount object storage on the TaskManagers)");
            }
            Path p = Paths.get(uri);
            if (!p.isAbsolute()) {
                throw new EngineError(ErrorCode.REQUEST_INVALID, field + " " + uri + " must be an absolute path");
            }
            return p;
        } catch (IllegalArgumentException e) {
            throw new EngineError(ErrorCode.REQUEST_INVALID, field + " " + uri + " is not a valid URI or path", e);
        }
    }
}
