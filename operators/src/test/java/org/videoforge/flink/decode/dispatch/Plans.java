package org.videoforge.flink.decode.dispatch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.videoforge.flink.core.StateFixtures;
import org.videoforge.flink.core.VideoPlan;
import org.videoforge.flink.core.VideoSegment;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.frame.VideoCodec;

/** Plans of made-up videos for the dispatcher's tests, and a short name of each segment task. */
final class Plans {
    private Plans() {
    }

    /** Video {@code id} (origin {@code origin-<id>}) in {@code n} segments of 10 frames. */
    static VideoPlan video(String id, int n) {
        List<VideoSegment> segments = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            segments.add(new VideoSegment(i, n, i == 0 ? Long.MIN_VALUE : i * 1000L,
                    i + 1 < n ? (i + 1) * 1000L : Long.MAX_VALUE, 10, i * 10L,
                    Path.of("/staging", id, String.format("segment-%05d.mp4", i))));
        }
        VideoTask video = new VideoTask(id, StateFixtures.film(), Path.of("/out", id + ".mkv"), VideoCodec.HEVC)
                .from("origin-" + id);
        return VideoPlan.of(video, segments);
    }

    /** "id#segment". */
    static String name(VideoTask t) {
        return t.id() + "#" + t.segment().index();
    }
}
