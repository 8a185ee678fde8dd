package org.videoforge.flink.core;

import java.io.Serializable;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Objects;
import org.videoforge.codec.MediaInfo;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;
import org.videoforge.frame.VideoCodec;
import org.videoforge.inference.ModelRef;

/**
 * One piece of work for the frame path: a whole video (the CLI) or one segment of one (the
 * segmented jobs), with its probed input, where the result goes and how it is made. Referenced by
 * every envelope of its frames. A task can also carry a failure found before any frame was decoded
 * (unreadable request, missing input): it then travels the same path as frames do, so that its
 * result is committed and reported exactly like a finished video's.
 *
 * <p>In checkpoints and savepoints a task is written by {@link VideoTaskSerializer}, field by field.
 * It stays Serializable for operator events and job graphs, and because savepoints of earlier
 * versions hold tasks Java-serialized: keep the serialVersionUID and the fields' names and types
 * that {@link VideoTaskSerializer}'s version 1 reads.
 */
public final class VideoTask implements Serializable {
    private static final long serialVersionUID = 2L;

    private final String id;
    private final MediaInfo source;
    private final String output;
    private final VideoCodec outputCodec;
    private final VideoSegment segment;
    private final ModelRef model;
    private final Precision precision;
    private final Integer crf;
    private final long acceptedAtMillis;
    private final ErrorCode failureCode;
    private final String failureMessage;
    private final String origin;

    /** A whole video, made with the pipeline's model and precision (the CLI). */
    public VideoTask(String id, MediaInfo source, Path output, VideoCodec outputCodec) {
        this(id, source, output.toAbsolutePath().toString(), outputCodec, null, null, null, null,
                System.currentTimeMillis(), null, null, null);
    }

    /** Every field, as {@link VideoTaskSerializer} reads them back. */
    VideoTask(String id, MediaInfo source, String output, VideoCodec outputCodec, VideoSegment segment,
              ModelRef model, Precision precision, Integer crf, long acceptedAtMillis,
              ErrorCode failureCode, String failureMessage, String origin) {
        this.id = Objects.requireNonNull(id, "id");
        this.source = source;
        this.output = output;
        this.outputCodec = outputCodec;
        this.segment = segment;
        this.model = model;
        this.precision = precision;
        this.crf = crf;
        this.acceptedAtMillis = acceptedAtMillis;
        this.failureCode = failureCode;
        this.failureMessage = failureMessage;
        this.origin = origin;
    }

    /** A request that failed before its video could be processed; {@code output} may be null. */
    public static VideoTask failed(String id, String output, EngineError error, long acceptedAtMillis) {
        return new VideoTask(id, null, output, null, null, null, null, null, acceptedAtMillis,
                error.code(), error.getMessage(), null);
    }

    /** The same video made with a request's own model, precision and quality (null = the pipeline's). */
    public VideoTask withOptions(ModelRef model, Precision precision, Integer crf, long acceptedAtMillis) {
        return new VideoTask(id, source, output, outputCodec, segment, model, precision, crf, acceptedAtMillis,
                failureCode, failureMessage, origin);
    }

    /** The same task, recorded as coming from {@code origin} (a Kafka record, a manifest line). */
    public VideoTask from(String origin) {
        return new VideoTask(id, source, output, outputCodec, segment, model, precision, crf, acceptedAtMillis,
                failureCode, failureMessage, origin);
    }

    /** One segment of this video. */
    public VideoTask forSegment(VideoSegment s) {
        return new VideoTask(id, source, output, outputCodec, s, model, precision, crf, acceptedAtMillis,
                failureCode, failureMessage, origin);
    }

    /** The video's id (a request id): segments of one video share it. */
    public String id() {
        return id;
    }

    /** The probed input; null for a failed task. */
    public MediaInfo source() {
        return source;
    }

    /** The final output path of the whole video; written under a temporary name and renamed on success. */
    public Path output() {
        return output == null ? null : Paths.get(output);
    }

    public VideoCodec outputCodec() {
        return outputCodec;
    }

    /** The segment this task covers, or null for the whole video. */
    public VideoSegment segment() {
        return segment;
    }

    /** The model to run, or {@code fallback} (the pipeline's) where the request named none. */
    public ModelRef model(ModelRef fallback) {
        return model != null ? model : fallback;
    }

    public Precision precision(Precision fallback) {
        return precision != null ? precision : fallback;
    }

    /** Encoder CRF asked for, or null for the encoder's default. */
    public Integer crf() {
        return crf;
    }

    /** When the request was read: the start of its end-to-end duration. */
    public long acceptedAtMillis() {
        return acceptedAtMillis;
    }

    /**
     * Where the request came from: a Kafka record ({@code topic-partition@offset}) or a manifest
     * line; null for the CLI's videos and for tasks restored from savepoints of version 1.
     */
    public String origin() {
        return origin;
    }

    /** The model the request named, or null for the pipeline's. */
    ModelRef requestedModel() {
        return model;
    }

    /** The precision the request named, or null for the pipeline's. */
    Precision requestedPrecision() {
        return precision;
    }

    /** The output path as given, or null. */
    String outputOrNull() {
        return output;
    }

    ErrorCode failureCode() {
        return failureCode;
    }

    String failureMessage() {
        return failureMessage;
    }

    /** The failure found before processing, or null. */
    public EngineError failure() {
        return failureCode == null ? null : new EngineError(failureCode, failureMessage);
    }

    @Override
    public String toString() {
        String where = source == null ? "failed: " + failureCode : source.path() + " -> " + output;
        return id + (segment == null ? "" : " " + segment) + " (" + where + ")";
    }
}
