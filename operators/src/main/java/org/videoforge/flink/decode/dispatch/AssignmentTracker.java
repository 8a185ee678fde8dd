package org.videoforge.flink.decode.dispatch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.videoforge.flink.core.VideoTask;

/**
 * Which slot got which segment since the last completed checkpoint, as Flink's source
 * coordinator tracks split assignments. A segment handed out before the dispatcher's checkpoint N
 * reaches its slot before that slot's barrier N, so it is in the slot's state of checkpoint N; one
 * handed out after is not. When a slot is reset to checkpoint N, the segments it got after N would
 * be lost: they are returned.
 */
final class AssignmentTracker {
    /** Assignments made before the dispatcher's checkpoint with this id (and after the previous one). */
    private final NavigableMap<Long, Map<Integer, List<VideoTask>>> byCheckpoint = new TreeMap<>();
    private Map<Integer, List<VideoTask>> sinceLastCheckpoint = new HashMap<>();

    void assigned(int subtask, VideoTask segment) {
        sinceLastCheckpoint.computeIfAbsent(subtask, k -> new ArrayList<>()).add(segment);
    }

    void checkpointTaken(long checkpointId) {
        byCheckpoint.put(checkpointId, sinceLastCheckpoint);
        sinceLastCheckpoint = new HashMap<>();
    }

    /** From then on a restore starts at this checkpoint or a later one. */
    void checkpointCompleted(long checkpointId) {
        byCheckpoint.headMap(checkpointId, true).clear();
    }

    /**
     * The segments {@code subtask} got after checkpoint {@code restoredCheckpointId} (all of them
     * when it is none, e.g. in a batch job), in the order it got them; forgotten here.
     */
    List<VideoTask> takeAfter(int subtask, long restoredCheckpointId) {
        List<VideoTask> lost = new ArrayList<>();
        for (Map<Integer, List<VideoTask>> m : byCheckpoint.tailMap(restoredCheckpointId, false).values()) {
            List<VideoTask> l = m.remove(subtask);
            if (l != null) {
                lost.addAll(l);
            }
        }
        List<VideoTask> l = sinceLastCheckpoint.remove(subtask);
        if (l != null) {
            lost.addAll(l);
        }
        return lost;
    }

    /** A global restore: nothing handed out before it matters any more. */
    void clear() {
        byCheckpoint.clear();
        sinceLastCheckpoint = new HashMap<>();
    }
}
