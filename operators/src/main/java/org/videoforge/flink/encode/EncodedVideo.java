package org.videoforge.flink.encode;

import java.util.Objects;

/**
 * A video the Encode stage has finished writing under its temporary name, on its way to be
 * published. A Flink POJO (public no-arg constructor, getters and setters), so no Kryo is involved.
 */
public final class EncodedVideo {
    private String videoId;
    private String tempPath;
    private String finalPath;
    private long frames;

    public EncodedVideo() {
    }

    public EncodedVideo(String videoId, String tempPath, String finalPath, long frames) {
        this.videoId = videoId;
        this.tempPath = tempPath;
        this.finalPath = finalPath;
        this.frames = frames;
    }

    public String getVideoId() {
        return videoId;
    }

    public void setVideoId(String videoId) {
        this.videoId = videoId;
    }

    public String getTempPath() {
        return tempPath;
    }

    public void setTempPath(String tempPath) {
        this.tempPath = tempPath;
    }

    public String getFinalPath() {
        return finalPath;
    }

    public void setFinalPath(String finalPath) {
        this.finalPath = finalPath;
    }

    public long getFrames() {
        return frames;
    }

    public void setFrames(long frames) {
        this.frames = frames;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EncodedVideo)) {
            return false;
        }
        EncodedVideo e = (EncodedVideo) o;
        return frames == e.frames && Objects.equals(videoId, e.videoId) && Objects.equals(tempPath, e.tempPath)
                && Objects.equals(finalPath, e.finalPath);
    }

    @Override
    public int hashCode() {
        return Objects.hash(videoId, tempPath, finalPath, frames);
    }

    @Override
    public String toString() {
        return "EncodedVideo{" + videoId + ", " + frames + " frames -> " + finalPath + "}";
    }
}
