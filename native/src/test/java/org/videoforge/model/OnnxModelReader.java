package org.videoforge.model;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Test-side decoder of the few ModelProto fields the tests check, written independently of
 * {@link OnnxGraphBuilder} (it reads the wire format back with CodedInputStream).
 */
final class OnnxModelReader {
    record Initializer(String name, int dataType, long[] dims, int rawBytes) {
        long elements() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }
    }

    /** A graph input or output: element type and dims, each a number or a dim_param name. */
    record ValueInfo(String name, int elemType, List<String> dims) {
    }

    record Node(String opType, List<String> inputs, List<String> outputs) {
    }

    long irVersion;
    String opsetDomain;
    long opsetVersion;
    final List<Initializer> initializers = new ArrayList<>();
    final List<ValueInfo> inputs = new ArrayList<>();
    final List<ValueInfo> outputs = new ArrayList<>();
    final List<Node> nodes = new ArrayList<>();

    static OnnxModelReader read(byte[] model) {
        OnnxModelReader r = new OnnxModelReader();
        try {
            CodedInputStream in = CodedInputStream.newInstance(model);
            in.setSizeLimit(Integer.MAX_VALUE);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> r.irVersion = in.readInt64();
                    case 7 -> r.readGraph(CodedInputStream.newInstance(in.readByteArray()));
                    case 8 -> {
                        CodedInputStream op = CodedInputStream.newInstance(in.readByteArray());
                        for (int t = op.readTag(); t != 0; t = op.readTag()) {
                            switch (WireFormat.getTagFieldNumber(t)) {
                                case 1 -> r.opsetDomain = op.readString();
                                case 2 -> r.opsetVersion = op.readInt64();
                                default -> op.skipField(t);
                            }
                        }
                    }
                    default -> in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r;
    }

    long initializerElements() {
        return initializers.stream().mapToLong(Initializer::elements).sum();
    }

    private void readGraph(CodedInputStream g) throws IOException {
        g.setSizeLimit(Integer.MAX_VALUE);
        for (int tag = g.readTag(); tag != 0; tag = g.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> nodes.add(readNode(CodedInputStream.newInstance(g.readByteArray())));
                case 5 -> initializers.add(readTensor(CodedInputStream.newInstance(g.readByteArray())));
                case 11 -> inputs.add(readValueInfo(CodedInputStream.newInstance(g.readByteArray())));
                case 12 -> outputs.add(readValueInfo(CodedInputStream.newInstance(g.readByteArray())));
                default -> g.skipField(tag);
            }
        }
    }

    private static Node readNode(CodedInputStream n) throws IOException {
        String op = null;
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (int tag = n.readTag(); tag != 0; tag = n.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> in.add(n.readString());
                case 2 -> out.add(n.readString());
                case 4 -> op = n.readString();
                default -> n.skipField(tag);
            }
        }
        return new Node(op, in, out);
    }

    private static Initializer readTensor(CodedInputStream t) throws IOException {
        t.setSizeLimit(Integer.MAX_VALUE);
        List<Long> dims = new ArrayList<>();
        int type = 0;
        String name = null;
        int raw = 0;
        for (int tag = t.readTag(); tag != 0; tag = t.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> dims.add(t.readInt64());
                case 2 -> type = t.readInt32();
                case 8 -> name = t.readString();
                case 9 -> raw = t.readByteArray().length;
                default -> t.skipField(tag);
            }
        }
        return new Initializer(name, type, dims.stream().mapToLong(Long::longValue).toArray(), raw);
    }

    private static ValueInfo readValueInfo(CodedInputStream v) throws IOException {
        String name = null;
        int elemType = 0;
        List<String> dims = new ArrayList<>();
        for (int tag = v.readTag(); tag != 0; tag = v.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> name = v.readString();
                case 2 -> {
                    CodedInputStream type = CodedInputStream.newInstance(v.readByteArray());
                    for (int t = type.readTag(); t != 0; t = type.readTag()) {
                        if (WireFormat.getTagFieldNumber(t) != 1) {
                            type.skipField(t);
                            continue;
                        }
                        CodedInputStream tensor = CodedInputStream.newInstance(type.readByteArray());
                        for (int u = tensor.readTag(); u != 0; u = tensor.readTag()) {
                            switch (WireFormat.getTagFieldNumber(u)) {
                                case 1 -> elemType = tensor.readInt32();
                                case 2 -> readShape(CodedInputStream.newInstance(tensor.readByteArray()), dims);
                                default -> tensor.skipField(u);
                            }
                        }
                    }
                }
                default -> v.skipField(tag);
            }
        }
        return new ValueInfo(name, elemType, dims);
    }

    private static void readShape(CodedInputStream s, List<String> dims) throws IOException {
        for (int tag = s.readTag(); tag != 0; tag = s.readTag()) {
            CodedInputStream d = CodedInputStream.newInstance(s.readByteArray());
            String dim = "?";
            for (int t = d.readTag(); t != 0; t = d.readTag()) {
                switch (WireFormat.getTagFieldNumber(t)) {
                    case 1 -> dim = Long.toString(d.readInt64());
                    case 2 -> dim = d.readString();
                    default -> d.skipField(t);
                }
            }
            dims.add(dim);
        }
    }
}
