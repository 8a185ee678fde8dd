package org.videoforge.flink.core;

import static org.videoforge.flink.core.StateFields.readEnum;
import static org.videoforge.flink.core.StateFields.readNullable;
import static org.videoforge.flink.core.StateFields.writeEnum;
import static org.videoforge.flink.core.StateFields.writeNullable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.videoforge.codec.MediaInfo;
import org.videoforge.codec.RawInputHint;
import org.videoforge.codec.StreamSummary;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.ColorMatrix;
import org.videoforge.frame.ColorRange;
import org.videoforge.frame.ColorSpec;
import org.videoforge.frame.PixelFormat;
import org.videoforge.frame.Precision;
import org.videoforge.frame.Rational;
import org.videoforge.frame.VideoCodec;
import org.videoforge.frame.VideoStreamInfo;
import org.videoforge.inference.ModelRef;

/**
 * {@link VideoTask}s in checkpoints, savepoints and splits, written field by field (the probed
 * input, its segment, the request's options) so that a savepoint outlives changes to the classes.
 * A new field is a new version; every older version stays readable:
 * <ul>
 *   <li>1: Java serialization of the task, as the segmented jobs' decode stage and the CLI's splits
 *       kept it until the state got versions (classes then in {@code flink.pipeline} and
 *       {@code flink.segment}); read through {@link LegacyObjectInput}.</li>
 *   <li>2: field by field; adds the request's origin.</li>
 * </ul>
 */
public final class VideoTaskSerializer implements SimpleVersionedSerializer<VideoTask> {
    public static final VideoTaskSerializer INSTANCE = new VideoTaskSerializer();
    static final int VERSION = 2;
    /** Version 1: Java serialization, as the state of savepoints made before versions kept it. */
    public static final int JAVA_SERIALIZATION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(VideoTask task) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(512);
        write(task, out);
        return out.getCopyOfBuffer();
    }

    @Override
    public VideoTask deserialize(int version, byte[] bytes) throws IOException {
        if (version == JAVA_SERIALIZATION) {
            return LegacyObjectInput.read(bytes, VideoTask.class);
        }
        if (version != VERSION) {
            throw new IOException("unknown VideoTask serialization version " + version);
        }
        return read(new DataInputDeserializer(bytes));
    }

    /**
     * For serializers that embed tasks: the version, then the task. (A format of their own that
     * embeds tasks thus never has to change when the task's does.)
     */
    public static void writeVersioned(VideoTask t, DataOutputView out) throws IOException {
        out.writeInt(VERSION);
        write(t, out);
    }

    /** Reads what {@link #writeVersioned} wrote, of any version. */
    public static VideoTask readVersioned(DataInputView in) throws IOException {
        int version = in.readInt();
        if (version != VERSION) {
            throw new IOException("unknown VideoTask serialization version " + version + " embedded");
        }
        return read(in);
    }

    private static void write(VideoTask t, DataOutputView out) throws IOException {
        out.writeUTF(t.id());
        writeNullable(out, t.origin());
        out.writeBoolean(t.source() != null);
        if (t.source() != null) {
            writeMedia(t.source(), out);
        }
        writeNullable(out, t.outputOrNull());
        writeEnum(out, t.outputCodec());
        out.writeBoolean(t.segment() != null);
        if (t.segment() != null) {
            writeSegment(t.segment(), out);
        }
        writeNullable(out, t.requestedModel() == null ? null : t.requestedModel().reference());
        writeEnum(out, t.requestedPrecision());
        out.writeInt(t.crf() == null ? -1 : t.crf());
        out.writeLong(t.acceptedAtMillis());
        out.writeInt(t.failureCode() == null ? -1 : t.failureCode().number());
        writeNullable(out, t.failureMessage());
    }

    private static VideoTask read(DataInputView in) throws IOException {
        String id = in.readUTF();
        String origin = readNullable(in);
        MediaInfo source = in.readBoolean() ? readMedia(in) : null;
        String output = readNullable(in);
        VideoCodec outputCodec = readEnum(in, VideoCodec.class);
        VideoSegment segment = in.readBoolean() ? readSegment(in) : null;
        String model = readNullable(in);
        Precision precision = readEnum(in, Precision.class);
        int crf = in.readInt();
        long acceptedAt = in.readLong();
        int failure = in.readInt();
        String failureMessage = readNullable(in);
        return new VideoTask(id, source, output, outputCodec, segment, model == null ? null : ModelRef.of(model),
                precision, crf < 0 ? null : crf, acceptedAt, failure < 0 ? null : ErrorCode.ofNumber(failure),
                failureMessage, origin);
    }

    public static void writeSegment(VideoSegment s, DataOutputView out) throws IOException {
        out.writeInt(s.index());
        out.writeInt(s.count());
        out.writeLong(s.startPts());
        out.writeLong(s.endPts());
        out.writeLong(s.frames());
        out.writeLong(s.firstFrame());
        out.writeUTF(s.path().toString());
    }

    public static VideoSegment readSegment(DataInputView in) throws IOException {
        return new VideoSegment(in.readInt(), in.readInt(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                Path.of(in.readUTF()));
    }

    private static void writeMedia(MediaInfo m, DataOutputView out) throws IOException {
        out.writeUTF(m.path().toString());
        out.writeUTF(m.formatName());
        out.writeInt(m.videoStreamIndex());
        VideoStreamInfo v = m.video();
        writeEnum(out, v.codec());
        out.writeInt(v.width());
        out.writeInt(v.height());
        writeEnum(out, v.pixelFormat());
        ColorSpec c = v.color();
        writeEnum(out, c.matrix());
        writeEnum(out, c.range());
        out.writeBoolean(c.matrixTagged());
        out.writeBoolean(c.rangeTagged());
        out.writeInt(c.primaries());
        out.writeInt(c.transfer());
        writeRational(v.timeBase(), out);
        writeRational(v.frameRate(), out);
        out.writeLong(v.frameCount());
        out.writeDouble(v.durationSeconds());
        int[] matrix = v.displayMatrix();
        out.writeInt(matrix == null ? -1 : matrix.length);
        if (matrix != null) {
            for (int x : matrix) {
                out.writeInt(x);
            }
        }
        out.writeInt(m.otherStreams().size());
        for (StreamSummary s : m.otherStreams()) {
            out.writeInt(s.index());
            writeNullable(out, s.mediaType());
            writeNullable(out, s.codecName());
            out.writeDouble(s.durationSeconds());
        }
        RawInputHint hint = m.rawHint();
        out.writeBoolean(hint != null);
        if (hint != null) {
            writeEnum(out, hint.codec());
            out.writeInt(hint.width());
            out.writeInt(hint.height());
        }
    }

    private static MediaInfo readMedia(DataInputView in) throws IOException {
        Path path = Path.of(in.readUTF());
        String format = in.readUTF();
        int streamIndex = in.readInt();
        VideoCodec codec = readEnum(in, VideoCodec.class);
        int width = in.readInt();
        int height = in.readInt();
        PixelFormat pixelFormat = readEnum(in, PixelFormat.class);
        ColorSpec color = new ColorSpec(readEnum(in, ColorMatrix.class), readEnum(in, ColorRange.class),
                in.readBoolean(), in.readBoolean(), in.readInt(), in.readInt());
        Rational timeBase = readRational(in);
        Rational frameRate = readRational(in);
        long frameCount = in.readLong();
        double duration = in.readDouble();
        int matrixLength = in.readInt();
        int[] matrix = null;
        if (matrixLength >= 0) {
            matrix = new int[matrixLength];
            for (int i = 0; i < matrixLength; i++) {
                matrix[i] = in.readInt();
            }
        }
        VideoStreamInfo video = new VideoStreamInfo(codec, width, height, pixelFormat, color, timeBase, frameRate,
                frameCount, duration, matrix);
        int others = in.readInt();
        List<StreamSummary> streams = new ArrayList<>(others);
        for (int i = 0; i < others; i++) {
            streams.add(new StreamSummary(in.readInt(), readNullable(in), readNullable(in), in.readDouble()));
        }
        RawInputHint hint = in.readBoolean() ? new RawInputHint(readEnum(in, VideoCodec.class), in.readInt(),
                in.readInt()) : null;
        return new MediaInfo(path, format, streamIndex, video, streams, hint);
    }

    private static void writeRational(Rational r, DataOutputView out) throws IOException {
        out.writeInt(r.num());
        out.writeInt(r.den());
    }

    private static Rational readRational(DataInputView in) throws IOException {
        return new Rational(in.readInt(), in.readInt());
    }

    /**
     * Reads Java-serialized state of version 1. The classes it names moved since (e.g.
     * {@code org.videoforge.flink.pipeline.VideoTask} is {@code org.videoforge.flink.core.VideoTask}):
     * they are looked up by their new names; the fields and serialVersionUIDs are unchanged.
     */
    static final class LegacyObjectInput extends ObjectInputStream {
        private static final Map<String, Class<?>> MOVED = Map.of(
                "org.videoforge.flink.pipeline.VideoTask", VideoTask.class,
                "org.videoforge.flink.segment.VideoSegment", VideoSegment.class);

        private LegacyObjectInput(InputStream in) throws IOException {
            super(in);
        }

        static <T> T read(byte[] bytes, Class<T> type) throws IOException {
            try (LegacyObjectInput in = new LegacyObjectInput(new ByteArrayInputStream(bytes))) {
                return type.cast(in.readObject());
            } catch (ClassNotFoundException | ClassCastException e) {
                throw new IOException("cannot read a version 1 (Java-serialized) " + type.getSimpleName(), e);
            }
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            Class<?> moved = MOVED.get(desc.getName());
            if (moved != null) {
                return moved;
            }
            try { // the job's classes come from its user-code class loader, which loaded this class
                return Class.forName(desc.getName(), false, VideoTask.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc); // primitives' descriptors
            }
        }
    }
}
