package org.videoforge.flink.core;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/** How the state serializers of this package write the field kinds Flink's views have no call for. */
public final class StateFields {
    private StateFields() {
    }

    public static void writeNullable(DataOutputView out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    public static String readNullable(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** By name, so that reordering or adding constants never changes what old bytes mean. */
    public static void writeEnum(DataOutputView out, Enum<?> e) throws IOException {
        writeNullable(out, e == null ? null : e.name());
    }

    public static <E extends Enum<E>> E readEnum(DataInputView in, Class<E> type) throws IOException {
        String name = readNullable(in);
        if (name == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IOException("unknown " + type.getSimpleName() + " '" + name + "' in state", e);
        }
    }
}
