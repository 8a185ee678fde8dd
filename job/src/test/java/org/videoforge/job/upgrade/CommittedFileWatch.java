package org.videoforge.job.upgrade;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts how often each committed segment name ({@code segment-NNNNN.mp4}) appears in a video's
 * staging directory while open: the committer's atomic rename is a create of that name (inotify's
 * moved-to). A second commit of a segment, even with the same bytes, shows as a second create; a
 * segment committed before the watch began shows as none. The filesystem's view, independent of
 * what the job logs.
 */
final class CommittedFileWatch implements AutoCloseable {
    private static final Pattern COMMITTED = Pattern.compile("segment-(\\d+)\\.mp4");

    private final WatchService watcher;
    private final Thread reader;
    private final Map<Integer, Integer> created = new TreeMap<>();
    private boolean overflowed;

    private CommittedFileWatch(Path dir) throws IOException {
        watcher = FileSystems.getDefault().newWatchService();
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
        reader = new Thread(this::read, "committed-file-watch");
        reader.setDaemon(true);
        reader.start();
    }

    static CommittedFileWatch of(Path videoStaging) throws IOException {
        return new CommittedFileWatch(videoStaging);
    }

    private void read() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                for (WatchEvent<?> event : key.pollEvents()) {
                    record(event);
                }
                if (!key.reset()) {
                    return; // the directory is gone: the job cleaned it up
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private synchronized void record(WatchEvent<?> event) {
        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
            overflowed = true;
            return;
        }
        Matcher m = COMMITTED.matcher(event.context().toString());
        if (m.matches()) {
            created.merge(Integer.parseInt(m.group(1)), 1, Integer::sum);
        }
    }

    /** Segment index to the times its committed name was created since the watch began. */
    synchronized Map<Integer, Integer> created() {
        if (overflowed) {
            throw new IllegalStateException("the filesystem dropped events (inotify overflow): counts unknown");
        }
        return new TreeMap<>(created);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        watcher.close();
        reader.join(5000);
    }
}
