package org.videoforge.job.upgrade;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * How many times each segment of one video was encoded and committed in this JVM, from the lines
 * the job logs at INFO: the encoder's {@code encoded EncodedVideo{<id> segment N/M, ...}} and the
 * committer's {@code committed EncodedVideo{<id> segment N/M, ...}} (N 1-based). The job's files
 * cannot tell: x264 with one thread encodes a segment to the same bytes every time.
 *
 * <p>While open, the {@code org.videoforge} loggers log INFO to this capture and, as before, WARN
 * and above to the root logger's appenders. Should those lines change, the counts come out empty
 * and the test fails (never passes) until the patterns here follow them.
 */
final class SegmentEvents implements AutoCloseable {
    private static final String LOGGER = "org.videoforge";
    private static final Pattern LINE =
            Pattern.compile("^(encoded|committed) EncodedVideo\\{(.+) segment (\\d+)/\\d+[,}]");

    private final String videoId;
    private final Map<Integer, Integer> encoded = new TreeMap<>();
    private final Map<Integer, Integer> committed = new TreeMap<>();
    private final LoggerContext context;
    private final Appender appender;

    private SegmentEvents(String videoId) {
        this.videoId = videoId;
        context = (LoggerContext) LogManager.getContext(false);
        appender = new AbstractAppender("segment-events", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                record(event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        LoggerConfig config = new LoggerConfig(LOGGER, Level.INFO, false);
        config.addAppender(appender, Level.INFO, null);
        context.getConfiguration().getRootLogger().getAppenders().values()
                .forEach(a -> config.addAppender(a, Level.WARN, null));
        context.getConfiguration().addLogger(LOGGER, config);
        context.updateLoggers();
    }

    /** Starts counting the events of {@code videoId}. */
    static SegmentEvents capture(String videoId) {
        return new SegmentEvents(videoId);
    }

    private synchronized void record(String message) {
        Matcher m = LINE.matcher(message);
        if (m.find() && m.group(2).equals(videoId)) {
            int index = Integer.parseInt(m.group(3)) - 1;
            (m.group(1).equals("encoded") ? encoded : committed).merge(index, 1, Integer::sum);
        }
    }

    /** Segment index (0-based) to the times it was encoded. */
    synchronized Map<Integer, Integer> encoded() {
        return new TreeMap<>(encoded);
    }

    /** Segment index (0-based) to the times it was committed (renamed into place). */
    synchronized Map<Integer, Integer> committed() {
        return new TreeMap<>(committed);
    }

    @Override
    public void close() {
        context.getConfiguration().removeLogger(LOGGER);
        context.updateLoggers();
        appender.stop();
    }
}
