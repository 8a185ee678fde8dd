package org.videoforge.flink.assemble;

import java.util.HashMap;
import java.util.Map;

/**
 * The outcome of one request, as the job reports it (to the results topic as an Avro
 * UpscaleResult, or to a batch run's report). A Flink POJO.
 */
public final class VideoResult {
    private String requestId;
    private boolean succeeded;
    private int errorCode;
    private String errorMessage;
    private long frames;
    private int segments;
    private long durationMillis;
    private double fps;
    private long slotMillis;
    private String outputUri;
    private Map<String, Double> stageMillis = new HashMap<>();

    public VideoResult() {
    }

    public static VideoResult failed(String requestId, int errorCode, String errorMessage, long durationMillis) {
        VideoResult r = new VideoResult();
        r.requestId = requestId;
        r.errorCode = errorCode;
        r.errorMessage = errorMessage;
        r.durationMillis = durationMillis;
        return r;
    }

    public String getRequestId() {
        return requestId;
    }

    public void setRequestId(String requestId) {
        this.requestId = requestId;
    }

    public boolean isSucceeded() {
        return succeeded;
    }

    public void setSucceeded(boolean succeeded) {
        this.succeeded = succeeded;
    }

    public int getErrorCode() {
        return errorCode;
    }

    public void setErrorCode(int errorCode) {
        this.errorCode = errorCode;
    }

    public String getErrorMessage() {
        return errorMessage;
    }

    public void setErrorMessage(String errorMessage) {
        this.errorMessage = errorMessage;
    }

    public long getFrames() {
        return frames;
    }

    public void setFrames(long frames) {
        this.frames = frames;
    }

    public int getSegments() {
        return segments;
    }

    public void setSegments(int segments) {
        this.segments = segments;
    }

    public long getDurationMillis() {
        return durationMillis;
    }

    public void setDurationMillis(long durationMillis) {
        this.durationMillis = durationMillis;
    }

    public double getFps() {
        return fps;
    }

    public void setFps(double fps) {
        this.fps = fps;
    }

    /** Wall time of its segments in the frame path, summed over slots. */
    public long getSlotMillis() {
        return slotMillis;
    }

    public void setSlotMillis(long slotMillis) {
        this.slotMillis = slotMillis;
    }

    public String getOutputUri() {
        return outputUri;
    }

    public void setOutputUri(String outputUri) {
        this.outputUri = outputUri;
    }

    /** Average per-frame milliseconds per stage, and the assembly's total. */
    public Map<String, Double> getStageMillis() {
        return stageMillis;
    }

    public void setStageMillis(Map<String, Double> stageMillis) {
        this.stageMillis = stageMillis;
    }

    @Override
    public String toString() {
        return requestId + (succeeded ? " SUCCEEDED " + frames + " frames -> " + outputUri
                : " FAILED E" + errorCode + ": " + errorMessage);
    }
}
