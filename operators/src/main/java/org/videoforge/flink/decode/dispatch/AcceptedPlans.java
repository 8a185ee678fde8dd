package org.videoforge.flink.decode.dispatch;

import java.util.HashMap;
import java.util.Map;

/**
 * Keys of the plans the dispatcher has taken, so that the same plan offered again is not split
 * twice: a slot reset to a checkpoint offers again the plans it had not seen accepted, and after a
 * partial failover the intake plans again the requests the source reads again. Both can only repeat
 * plans accepted after the checkpoint restored, so a key is forgotten once a checkpoint taken after
 * its plan was accepted has completed.
 */
final class AcceptedPlans {
    private static final long NOT_YET_CHECKPOINTED = Long.MAX_VALUE;

    /** Key -> the first dispatcher checkpoint taken after the plan was accepted. */
    private final Map<String, Long> keys = new HashMap<>();

    /** Whether {@code key} is new (and now known). */
    boolean accept(String key) {
        return keys.putIfAbsent(key, NOT_YET_CHECKPOINTED) == null;
    }

    void checkpointTaken(long checkpointId) {
        keys.replaceAll((k, v) -> v == NOT_YET_CHECKPOINTED ? checkpointId : v);
    }

    void checkpointCompleted(long checkpointId) {
        keys.values().removeIf(v -> v <= checkpointId);
    }

    void clear() {
        keys.clear();
    }

    int size() {
        return keys.size();
    }
}
