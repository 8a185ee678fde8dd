package org.videoforge.model;

import static org.videoforge.model.OnnxFields.*;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Float16;

/**
 * The main graph of an ONNX model as far as the engine reasons about a model's structure: its
 * nodes (op type, inputs, outputs, scalar and list attributes), graph inputs and outputs, and the
 * values of small constant tensors (initializers and Constant nodes). Read with protobuf-java's
 * CodedInputStream and onnx.proto's field numbers ({@link OnnxFields}), as {@link OnnxGraphBuilder}
 * writes them. Weights are kept as byte strings, not decoded.
 */
public final class OnnxGraph {

    /** One attribute; the fields its type does not use are 0, empty or null. */
    public record Attribute(long i, float f, String s, List<Long> ints, List<Float> floats, Tensor t) {
    }

    /** One node; {@code attributes} by name. */
    public record Node(String opType, List<String> inputs, List<String> outputs, Map<String, Attribute> attributes) {
        public Optional<Attribute> attribute(String name) {
            return Optional.ofNullable(attributes.get(name));
        }

        /** The string attribute {@code name}, or {@code fallback} (ONNX's default) where the node has none. */
        public String string(String name, String fallback) {
            return attribute(name).map(Attribute::s).orElse(fallback);
        }
    }

    /** A constant tensor: element type (onnx.proto's DataType), dims and its undecoded data. */
    public record Tensor(String name, int dataType, long[] dims, ByteString raw, List<Float> floatData,
                         List<Long> int64Data) {
        /** Its elements as floats (FLOAT, FLOAT16 or INT64 tensors); empty for other types. */
        public Optional<float[]> floats() {
            return switch (dataType) {
                case DATA_TYPE_FLOAT -> Optional.of(raw.isEmpty() ? unbox(floatData)
                        : toArray(raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer()));
                case DATA_TYPE_FLOAT16 -> {
                    var b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
                    float[] f = new float[b.remaining()];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = Float16.toFloat(b.get(i));
                    }
                    yield Optional.of(f);
                }
                case DATA_TYPE_INT64 -> {
                    long[] v = raw.isEmpty() ? int64Data.stream().mapToLong(Long::longValue).toArray()
                            : toArray(raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer());
                    float[] f = new float[v.length];
                    for (int i = 0; i < v.length; i++) {
                        f[i] = v[i];
                    }
                    yield Optional.of(f);
                }
                default -> Optional.empty();
            };
        }
    }

    private final List<Node> nodes = new ArrayList<>();
    private final List<String> inputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    private final Map<String, Tensor> initializers = new HashMap<>();

    private OnnxGraph() {
    }

    /** Reads {@code model} (ModelProto bytes); MODEL_INVALID if they are not a protobuf message. */
    public static OnnxGraph read(byte[] model) {
        OnnxGraph g = new OnnxGraph();
        try {
            CodedInputStream in = limitless(CodedInputStream.newInstance(model));
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == MODEL_GRAPH) {
                    g.readGraph(limitless(in.readBytes().newCodedInput()));
                } else {
                    in.skipField(tag);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new EngineError(ErrorCode.MODEL_INVALID, "not an ONNX model: " + e.getMessage(), e);
        }
        return g;
    }

    public List<Node> nodes() {
        return nodes;
    }

    /** Graph input names, initializers excluded (as ONNX Runtime lists inputs). */
    public List<String> inputs() {
        return inputs.stream().filter(n -> !initializers.containsKey(n)).toList();
    }

    public List<String> outputs() {
        return outputs;
    }

    /** The node that outputs {@code tensor}, if a node does (not a graph input or initializer). */
    public Optional<Node> producer(String tensor) {
        return nodes.stream().filter(n -> n.outputs().contains(tensor)).findFirst();
    }

    /** The nodes that read {@code tensor}. */
    public List<Node> consumers(String tensor) {
        return nodes.stream().filter(n -> n.inputs().contains(tensor)).toList();
    }

    /** The value of {@code tensor} if it is constant: an initializer or a Constant node's value. */
    public Optional<Tensor> constant(String tensor) {
        Tensor t = initializers.get(tensor);
        if (t != null) {
            return Optional.of(t);
        }
        return producer(tensor).filter(n -> n.opType().equals("Constant"))
                .flatMap(n -> n.attribute("value")).map(Attribute::t);
    }

    private void readGraph(CodedInputStream g) throws IOException {
        for (int tag = g.readTag(); tag != 0; tag = g.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case GRAPH_NODE -> nodes.add(readNode(limitless(g.readBytes().newCodedInput())));
                case GRAPH_INITIALIZER -> {
                    Tensor t = readTensor(limitless(g.readBytes().newCodedInput()));
                    initializers.put(t.name(), t);
                }
                case GRAPH_INPUT -> inputs.add(readValueInfoName(g.readBytes().newCodedInput()));
                case GRAPH_OUTPUT -> outputs.add(readValueInfoName(g.readBytes().newCodedInput()));
                default -> g.skipField(tag);
            }
        }
    }

    private static Node readNode(CodedInputStream n) throws IOException {
        String op = "";
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        Map<String, Attribute> attributes = new HashMap<>();
        for (int tag = n.readTag(); tag != 0; tag = n.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case NODE_INPUT -> in.add(n.readString());
                case NODE_OUTPUT -> out.add(n.readString());
                case NODE_OP_TYPE -> op = n.readString();
                case NODE_ATTRIBUTE -> readAttribute(limitless(n.readBytes().newCodedInput()), attributes);
                default -> n.skipField(tag);
            }
        }
        return new Node(op, List.copyOf(in), List.copyOf(out), Map.copyOf(attributes));
    }

    private static void readAttribute(CodedInputStream a, Map<String, Attribute> into) throws IOException {
        String name = null;
        long i = 0;
        float f = 0;
        String s = null;
        Tensor t = null;
        List<Long> ints = new ArrayList<>();
        List<Float> floats = new ArrayList<>();
        for (int tag = a.readTag(); tag != 0; tag = a.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case ATTR_NAME -> name = a.readString();
                case ATTR_F -> f = a.readFloat();
                case ATTR_I -> i = a.readInt64();
                case ATTR_S -> s = a.readBytes().toStringUtf8();
                case ATTR_T -> t = readTensor(limitless(a.readBytes().newCodedInput()));
                case ATTR_FLOATS -> readRepeated(a, tag, () -> floats.add(a.readFloat()));
                case ATTR_INTS -> readRepeated(a, tag, () -> ints.add(a.readInt64()));
                default -> a.skipField(tag);
            }
        }
        if (name != null) {
            into.put(name, new Attribute(i, f, s, List.copyOf(ints), List.copyOf(floats), t));
        }
    }

    private static Tensor readTensor(CodedInputStream t) throws IOException {
        String name = "";
        int type = 0;
        List<Long> dims = new ArrayList<>();
        List<Float> floatData = new ArrayList<>();
        List<Long> int64Data = new ArrayList<>();
        ByteString raw = ByteString.EMPTY;
        for (int tag = t.readTag(); tag != 0; tag = t.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case TENSOR_DIMS -> readRepeated(t, tag, () -> dims.add(t.readInt64()));
                case TENSOR_DATA_TYPE -> type = t.readInt32();
                case TENSOR_FLOAT_DATA -> readRepeated(t, tag, () -> floatData.add(t.readFloat()));
                case TENSOR_INT64_DATA -> readRepeated(t, tag, () -> int64Data.add(t.readInt64()));
                case TENSOR_NAME -> name = t.readString();
                case TENSOR_RAW_DATA -> raw = t.readBytes();
                default -> t.skipField(tag);
            }
        }
        return new Tensor(name, type, dims.stream().mapToLong(Long::longValue).toArray(), raw, floatData, int64Data);
    }

    private static String readValueInfoName(CodedInputStream v) throws IOException {
        for (int tag = v.readTag(); tag != 0; tag = v.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == VALUE_INFO_NAME) {
                return v.readString();
            }
            v.skipField(tag);
        }
        return "";
    }

    private interface Element {
        void read() throws IOException;
    }

    /** A repeated scalar written packed (one length-delimited run, proto3 writers) or one element a tag (proto2). */
    private static void readRepeated(CodedInputStream in, int tag, Element element) throws IOException {
        if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            element.read();
            return;
        }
        int limit = in.pushLimit(in.readRawVarint32());
        while (in.getBytesUntilLimit() > 0) {
            element.read();
        }
        in.popLimit(limit);
    }

    private static CodedInputStream limitless(CodedInputStream in) {
        in.setSizeLimit(Integer.MAX_VALUE);
        return in;
    }

    private static float[] unbox(List<Float> values) {
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = values.get(i);
        }
        return f;
    }

    private static float[] toArray(FloatBuffer b) {
        float[] f = new float[b.remaining()];
        b.get(f);
        return f;
    }

    private static long[] toArray(LongBuffer b) {
        long[] v = new long[b.remaining()];
        b.get(v);
        return v;
    }
}
