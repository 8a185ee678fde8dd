package org.videoforge.job.telemetry;

import java.io.PrintStream;
import java.util.Map;
import java.util.stream.Collectors;
import org.videoforge.flink.metrics.FrameGaps;
import org.videoforge.flink.metrics.LatencySummary;
import org.videoforge.flink.metrics.TelemetryNames;

/** The end-of-run report, read from the job's accumulators. */
public final class TelemetrySummary {
    private final Map<String, Object> accumulators;
    private final double wallSeconds;

    public TelemetrySummary(Map<String, Object> accumulators, double wallSeconds) {
        this.accumulators = accumulators;
        this.wallSeconds = wallSeconds;
    }

    public long framesEncoded() {
        return number(TelemetryNames.FRAMES_ENCODED);
    }

    public long framesDecoded() {
        return number(TelemetryNames.FRAMES_DECODED);
    }

    public long videosCompleted() {
        return number(TelemetryNames.VIDEOS_COMPLETED);
    }

    public long poolHits() {
        return number(TelemetryNames.POOL_HITS);
    }

    public long poolMisses() {
        return number(TelemetryNames.POOL_MISSES);
    }

    public long hostCopies() {
        return number(TelemetryNames.HOST_COPIES);
    }

    public LatencySummary latency(String stage) {
        Object v = accumulators.get(TelemetryNames.latency(stage));
        return v instanceof LatencySummary ? (LatencySummary) v : new LatencySummary();
    }

    public double fps() {
        return wallSeconds <= 0 ? 0 : framesEncoded() / wallSeconds;
    }

    /**
     * Frames per second between the first and the last frame out of the encoder (start-up and the
     * first frame left out), or 0 with fewer than two frames.
     */
    public double steadyFps() {
        long first = number(TelemetryNames.ENCODE_FIRST_MILLIS);
        long last = number(TelemetryNames.ENCODE_LAST_MILLIS);
        long frames = framesEncoded();
        return frames < 2 || last <= first ? 0 : (frames - 1) * 1000.0 / (last - first);
    }

    public void print(PrintStream out, int decodeQueueBound, int encodeQueueBound) {
        out.printf("frames       %d decoded, %d encoded, %d video(s)%n", framesDecoded(), framesEncoded(),
                videosCompleted());
        out.printf("throughput   %.2f fps over %.1f s%n", fps(), wallSeconds);
        out.printf("steady       %.2f fps from the first to the last encoded frame%n", steadyFps());
        out.printf("%-12s %10s %10s%n", "stage", "avg ms", "peak ms");
        for (String stage : TelemetryNames.STAGES) {
            LatencySummary l = latency(stage);
            out.printf("%-12s %10.2f %10.2f%n", stage, l.averageMillis(), l.peakMillis());
        }
        out.printf("queues       decode peak %d/%d, encode peak %d/%d%n", number(TelemetryNames.DECODE_QUEUE_PEAK),
                decodeQueueBound, number(TelemetryNames.ENCODE_QUEUE_PEAK), encodeQueueBound);
        out.printf("waits        %.0f ms for model runs, %.0f ms for room in the encode queue%n",
                number(TelemetryNames.INFERENCE_WAIT_NANOS) / 1e6, number(TelemetryNames.ENCODE_WAIT_NANOS) / 1e6);
        long hits = poolHits();
        long total = hits + poolMisses();
        out.printf("pool         hit rate %.1f%% (%d hits, %d misses)%n", total == 0 ? 0 : 100.0 * hits / total, hits,
                poolMisses());
        out.printf("host copies  %d%n", hostCopies());
        long files = number(TelemetryNames.ENCODER_FILES);
        if (files > 0) {
            out.printf("files        %d: encoder open %.1f ms, finish %.1f ms (its flush and the trailer), averages%n",
                    files, number(TelemetryNames.ENCODER_OPEN_NANOS) / 1e6 / files,
                    number(TelemetryNames.ENCODER_FINISH_NANOS) / 1e6 / files);
        }
        if (accumulators.get(TelemetryNames.ENCODE_GAPS) instanceof FrameGaps gaps && !gaps.longest().isEmpty()) {
            out.printf("stalls       longest gaps between frames into the encoder: %s%n", gaps.longest().stream()
                    .map(g -> String.format("%.1f ms before frame %d", g.millis(), g.frame()))
                    .collect(Collectors.joining(", ")));
        }
    }

    /**
     * What segments cost to start and decode (the segmented jobs): how often a slot opened an input
     * rather than going on from the previous segment of the video, the averages per segment, and the
     * pictures the decoders decoded per frame that came out (1.0: no picture decoded twice).
     */
    public void printSegments(PrintStream out) {
        long segments = number(TelemetryNames.SEGMENTS_STARTED);
        if (segments == 0) {
            return;
        }
        long opened = number(TelemetryNames.SEGMENT_INPUTS_OPENED);
        out.printf("segments     %d: %d opened their input (%.1f ms each), %d went on with the decoder; "
                        + "first frame %.1f ms (average)%n",
                segments, opened, opened == 0 ? 0 : number(TelemetryNames.SEGMENT_OPEN_NANOS) / 1e6 / opened,
                segments - opened, number(TelemetryNames.SEGMENT_FIRST_FRAME_NANOS) / 1e6 / segments);
        long pictures = number(TelemetryNames.PICTURES_DECODED);
        long frames = framesEncoded();
        out.printf("decoding     %d pictures for %d frames out (%.3f per frame)%n", pictures, frames,
                frames == 0 ? 0 : (double) pictures / frames);
    }

    private long number(String name) {
        Object v = accumulators.get(name);
        return v instanceof Number ? ((Number) v).longValue() : 0;
    }
}
