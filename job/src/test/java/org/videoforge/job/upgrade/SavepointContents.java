package org.videoforge.job.upgrade;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.streaming.api.graph.StreamGraphHasherV2;
import org.videoforge.flink.core.VideoTask;
import org.videoforge.flink.core.VideoTaskSerializer;

/**
 * What a savepoint of the segmented job holds, read from its {@code _metadata} with Flink's own
 * reader: each operator's state (by uid), and the segments the Decode stage still had queued.
 * The queue is version 1 of the state (Java-serialized {@link VideoTask}s, read through
 * {@link VideoTaskSerializer}): the fixture writer uses this to describe what it wrote.
 */
final class SavepointContents {
    /** The Decode stage's uid and its queue's operator list state (SegmentDecodeOperator). */
    private static final String DECODE_UID = "decode";
    private static final String QUEUE_STATE = "queued-segments";

    private final CheckpointMetadata metadata;

    private SavepointContents(CheckpointMetadata metadata) {
        this.metadata = metadata;
    }

    static SavepointContents read(Path savepointDir) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(savepointDir.resolve("_metadata")))) {
            return new SavepointContents(Checkpoints.loadCheckpointMetadata(in,
                    SavepointContents.class.getClassLoader(), savepointDir.toString()));
        }
    }

    long checkpointId() {
        return metadata.getCheckpointId();
    }

    /** One line per operator with state, by uid (or id): its operator/keyed/coordinator state and bytes. */
    List<String> describeOperators() {
        List<String> lines = new ArrayList<>();
        for (OperatorState op : metadata.getOperatorStates()) {
            if (op.getStateSize() == 0 && op.getCoordinatorState() == null) {
                continue;
            }
            List<String> parts = new ArrayList<>();
            for (OperatorSubtaskState subtask : op.getStates()) {
                for (OperatorStateHandle h : subtask.getManagedOperatorState()) {
                    h.getStateNameToPartitionOffsets().forEach((name, info) -> {
                        int n = info.getOffsets().length;
                        parts.add("operator list state \"" + name + "\": " + n + (n == 1 ? " entry" : " entries"));
                    });
                }
                for (KeyedStateHandle h : subtask.getManagedKeyedState()) {
                    parts.add("keyed state: " + h.getStateSize() + " bytes");
                }
            }
            if (op.getCoordinatorState() != null) {
                parts.add("coordinator state: " + op.getCoordinatorState().getStateSize() + " bytes");
            }
            String who = op.getOperatorUid().orElse(op.getOperatorName().orElse(op.getOperatorID().toString()));
            lines.add("`" + who + "` (" + op.getStateSize() + " bytes): " + String.join("; ", parts));
        }
        lines.sort(null);
        return lines;
    }

    /** 0-based indices of the segments in the Decode stage's queue, over all its subtasks. */
    TreeSet<Integer> queuedSegments() throws Exception {
        OperatorID decode = new OperatorID(StreamGraphHasherV2.generateUserSpecifiedHash(DECODE_UID));
        TreeSet<Integer> queued = new TreeSet<>();
        for (OperatorState op : metadata.getOperatorStates()) {
            if (!op.getOperatorID().equals(decode)) {
                continue;
            }
            for (OperatorSubtaskState subtask : op.getStates()) {
                for (OperatorStateHandle h : subtask.getManagedOperatorState()) {
                    Map<String, OperatorStateHandle.StateMetaInfo> states = h.getStateNameToPartitionOffsets();
                    if (states.containsKey(QUEUE_STATE)) {
                        queued.addAll(segmentsAt(h, states.get(QUEUE_STATE).getOffsets()));
                    }
                }
            }
            return queued;
        }
        throw new IllegalStateException("the savepoint has no state of operator " + DECODE_UID + " (" + decode + ")");
    }

    /** Each entry: a byte[] (the list state's serializer) holding a Java-serialized VideoTask. */
    private static List<Integer> segmentsAt(OperatorStateHandle handle, long[] offsets) throws Exception {
        List<Integer> out = new ArrayList<>();
        try (FSDataInputStream in = handle.openInputStream()) {
            DataInputViewStreamWrapper view = new DataInputViewStreamWrapper(in);
            for (long offset : offsets) {
                in.seek(offset);
                byte[] bytes = BytePrimitiveArraySerializer.INSTANCE.deserialize(view);
                VideoTask task = VideoTaskSerializer.INSTANCE.deserialize(VideoTaskSerializer.JAVA_SERIALIZATION, bytes);
                if (!task.id().equals(UpgradeFixture.REQUEST_ID)) {
                    throw new IllegalStateException("a queued segment of another video: " + task);
                }
                out.add(task.segment().index());
            }
        }
        return out;
    }
}
