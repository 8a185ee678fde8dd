package org.videoforge.model;

import static org.videoforge.model.OnnxFields.*;

import org.videoforge.frame.Float16;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.videoforge.frame.Precision;

/**
 * Builds a single-graph ONNX model (ModelProto bytes) node by node.
 *
 * <p>ONNX publishes no Java bindings, and generating classes from onnx.proto would add protoc to
 * the build for the handful of messages a feed-forward conv net needs. So this class writes
 * those messages directly with protobuf-java's CodedOutputStream, using the field numbers of
 * onnx.proto ({@link OnnxFields}). IR version 8, default-domain opset 17 (19 for FP16
 * graphs with int8 Q/DQ, and for FP8 Q/DQ).
 *
 * <p>Weights and constants are stored in the model's {@link Precision} (FLOAT or FLOAT16
 * raw_data, little-endian); graph inputs and outputs get that element type too. Each op method
 * returns the name of the tensor it produced, to be fed to the next op.
 */
public final class OnnxGraphBuilder {
    public static final long IR_VERSION = 8;
    public static final long OPSET_VERSION = 17;
    /** The opset of FP16 graphs with Q/DQ and of FP8 Q/DQ: QuantizeLinear takes float16, yields float8 from 19. */
    public static final long OPSET_VERSION_FP16_QDQ = 19;

    /** One dimension of a graph input or output: a fixed size or a named dynamic axis. */
    public record Dim(long value, String param) {
        public static Dim of(long value) {
            return new Dim(value, null);
        }

        public static Dim param(String name) {
            return new Dim(-1, name);
        }
    }

    private final String graphName;
    private final Precision precision;
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private long parameterCount;
    private boolean tapConvInputs;
    private Map<String, Float> int8InputRanges;
    private Set<String> floatConvs = Set.of();
    private Quantized quantized = Quantized.INT8;

    /** The type of quantized convolutions: symmetric, zero point 0, {@code largest} the range's step count. */
    public enum Quantized {
        /** int8: 127 steps each side. */
        INT8(DATA_TYPE_INT8, 127f),
        /** FP8 E4M3 (finite, no infinities): Hopper's 8-bit float, largest finite value 448. */
        FP8_E4M3(DATA_TYPE_FLOAT8E4M3FN, 448f);

        final int dataType;
        final float largest;

        Quantized(int dataType, float largest) {
            this.dataType = dataType;
            this.largest = largest;
        }
    }

    /** Name prefix of the extra outputs {@link #tapConvInputs()} adds: TAP + the convolution's name. */
    public static final String TAP = "tap:";

    public OnnxGraphBuilder(String graphName, Precision precision) {
        this.graphName = graphName;
        this.precision = precision;
    }

    public Precision precision() {
        return precision;
    }

    /** Number of weight values added with {@link #weight} (and so by conv / prelu); constants excluded. */
    public long parameterCount() {
        return parameterCount;
    }

    /** Declares a graph input of the model's element type. */
    public String input(String name, Dim... dims) {
        claim(name);
        inputs.add(valueInfo(name, dims));
        return name;
    }

    /** Declares {@code tensor} as a graph output called {@code name} (through an Identity node if renamed). */
    public void output(String tensor, String name, Dim... dims) {
        if (!tensor.equals(name)) {
            claim(name);
            nodes.add(node("Identity", name, List.of(tensor), name));
        }
        outputs.add(valueInfo(name, dims));
    }

    /** A trained (or generated) parameter tensor in the model's precision; counted in {@link #parameterCount()}. */
    public String weight(String name, float[] values, long... dims) {
        parameterCount += values.length;
        return initializer(name, values, precision, dims);
    }

    /** A constant tensor in the model's precision, e.g. a scalar factor. */
    public String constant(String name, float[] values, long... dims) {
        return initializer(name, values, precision, dims);
    }

    /**
     * Makes every later convolution's input also a graph output, {@link #TAP} + the convolution's
     * name (same element type, dynamic shape): what int8 calibration reads ({@link #quantizeConvs}).
     */
    public OnnxGraphBuilder tapConvInputs() {
        tapConvInputs = true;
        return this;
    }

    /**
     * Explicit int8 quantization of every later convolution, as TensorRT builds int8 kernels from
     * it: QuantizeLinear/DequantizeLinear pairs on the input (symmetric, one scale: the calibrated
     * largest magnitude {@code inputRanges.get(conv name)} over 127) and on the weights (symmetric,
     * one scale per output channel). Bias, activations between convolutions and the output stay
     * in the model's precision; an FP16 model is written in opset 19 (the first whose QuantizeLinear
     * takes float16), with its scales in FP16.
     */
    public OnnxGraphBuilder quantizeConvs(Map<String, Float> inputRanges) {
        return quantizeConvs(inputRanges, Set.of());
    }

    /** As {@link #quantizeConvs(Map)}, leaving the convolutions named in {@code keepFloat} in float. */
    public OnnxGraphBuilder quantizeConvs(Map<String, Float> inputRanges, Set<String> keepFloat) {
        return quantizeConvs(inputRanges, keepFloat, Quantized.INT8);
    }

    /**
     * As {@link #quantizeConvs(Map, Set)}, to {@code type}: the scales are range / {@code type.largest}
     * (FP8 E4M3 graphs are written in opset 19 whatever their precision).
     */
    public OnnxGraphBuilder quantizeConvs(Map<String, Float> inputRanges, Set<String> keepFloat, Quantized type) {
        int8InputRanges = Map.copyOf(inputRanges);
        floatConvs = Set.copyOf(keepFloat);
        quantized = type;
        return this;
    }

    /** Convolution, stride 1, with explicit pads {top, left, bottom, right}. */
    public String conv(String name, String x, ConvWeights w, int[] pads) {
        String node = unique(name);
        String weight = weight(node + ".weight", w.weight(), w.outChannels(), w.inChannels(), w.kernelH(), w.kernelW());
        String bias = weight(node + ".bias", w.bias(), w.outChannels());
        if (tapConvInputs) {
            output(x, TAP + node, Dim.param(node + ".n"), Dim.param(node + ".c"), Dim.param(node + ".h"),
                    Dim.param(node + ".w"));
        }
        if (int8InputRanges != null && !floatConvs.contains(node)) {
            Float range = int8InputRanges.get(node);
            if (range == null) {
                throw new IllegalArgumentException("no calibrated input range for convolution " + node);
            }
            x = quantizeDequantize(node + ".input", x, new float[] {range / quantized.largest}, -1);
            weight = quantizeDequantize(node + ".weight", weight, channelScales(w), 0);
        }
        ProtoWriter n = node("Conv", node, List.of(x, weight, bias), node);
        n.message(NODE_ATTRIBUTE, intsAttribute("kernel_shape", w.kernelH(), w.kernelW()));
        n.message(NODE_ATTRIBUTE, intsAttribute("pads", pads[0], pads[1], pads[2], pads[3]));
        n.message(NODE_ATTRIBUTE, intsAttribute("strides", 1, 1));
        nodes.add(n);
        return node;
    }

    /** The smallest quantization scale written: above FP16's smallest subnormal (6e-8), so never 0. */
    private static final float MIN_SCALE = 1e-7f;

    /** Symmetric per-output-channel weight scales: each channel's largest magnitude over the type's largest step. */
    private float[] channelScales(ConvWeights w) {
        float[] scales = new float[w.outChannels()];
        float[] v = w.weight();
        int per = v.length / scales.length;
        for (int c = 0; c < scales.length; c++) {
            float max = 0;
            for (int i = c * per; i < (c + 1) * per; i++) {
                max = Math.max(max, Math.abs(v[i]));
            }
            scales[c] = max / quantized.largest;
        }
        return scales;
    }

    /** QuantizeLinear then DequantizeLinear to the quantized type, zero point 0; {@code axis} -1: one scale. */
    private String quantizeDequantize(String name, String x, float[] scales, int axis) {
        long[] dims = axis < 0 ? new long[0] : new long[] {scales.length};
        for (int i = 0; i < scales.length; i++) {
            scales[i] = Math.max(scales[i], MIN_SCALE); // a zero scale divides by zero; FP16 keeps 1e-7
        }
        String scale = initializer(name + ".scale", scales, precision, dims);
        String zero = tensor(name + ".zero", quantized.dataType, new byte[scales.length], dims); // 0 in both types
        String q = unique(name + ".q");
        String dq = unique(name + ".dq");
        ProtoWriter quantize = node("QuantizeLinear", q, List.of(x, scale, zero), q);
        ProtoWriter dequantize = node("DequantizeLinear", dq, List.of(q, scale, zero), dq);
        if (axis >= 0) {
            quantize.message(NODE_ATTRIBUTE, intAttribute("axis", axis));
            dequantize.message(NODE_ATTRIBUTE, intAttribute("axis", axis));
        }
        nodes.add(quantize);
        nodes.add(dequantize);
        return dq;
    }

    /** Convolution, stride 1, output the size of the input ("same"; odd kernels only). */
    public String conv(String name, String x, ConvWeights w) {
        if (w.kernelH() % 2 == 0 || w.kernelW() % 2 == 0) {
            throw new IllegalArgumentException("same padding needs an odd kernel, not " + w.kernelH() + "x" + w.kernelW());
        }
        int ph = w.kernelH() / 2;
        int pw = w.kernelW() / 2;
        return conv(name, x, w, new int[] {ph, pw, ph, pw});
    }

    /** PReLU with one slope per channel of an NCHW tensor. */
    public String prelu(String name, String x, float[] slopes) {
        String node = unique(name);
        String slope = weight(node + ".slope", slopes, slopes.length, 1, 1);
        nodes.add(node("PRelu", node, List.of(x, slope), node));
        return node;
    }

    public String leakyRelu(String x, float alpha) {
        String node = unique("LeakyRelu");
        ProtoWriter n = node("LeakyRelu", node, List.of(x), node);
        n.message(NODE_ATTRIBUTE, floatAttribute("alpha", alpha));
        nodes.add(n);
        return node;
    }

    public String relu(String x) {
        return simple("Relu", List.of(x));
    }

    public String add(String a, String b) {
        return simple("Add", List.of(a, b));
    }

    public String mul(String a, String b) {
        return simple("Mul", List.of(a, b));
    }

    /** x times a scalar constant (stored in the model's precision). */
    public String mul(String x, float factor) {
        String node = unique("Mul");
        String c = constant(node + ".factor", new float[] {factor});
        nodes.add(node("Mul", node, List.of(x, c), node));
        return node;
    }

    public String concat(int axis, List<String> xs) {
        String node = unique("Concat");
        ProtoWriter n = node("Concat", node, xs, node);
        n.message(NODE_ATTRIBUTE, intAttribute("axis", axis));
        nodes.add(n);
        return node;
    }

    /**
     * DepthToSpace; mode "CRD" is PyTorch's PixelShuffle, "DCR" is TensorFlow's depth_to_space
     * (both read in NCHW).
     */
    public String depthToSpace(String x, int blockSize, String mode) {
        String node = unique("DepthToSpace");
        ProtoWriter n = node("DepthToSpace", node, List.of(x), node);
        n.message(NODE_ATTRIBUTE, intAttribute("blocksize", blockSize));
        n.message(NODE_ATTRIBUTE, stringAttribute("mode", mode));
        nodes.add(n);
        return node;
    }

    /**
     * Nearest-neighbour upscaling of H and W by integer factors: out[y][x] = in[y / sh][x / sw],
     * as Keras UpSampling2D and PyTorch F.interpolate(mode="nearest") compute it.
     */
    public String resizeNearest(String x, int scaleH, int scaleW) {
        String node = unique("Resize");
        // Scales are a FLOAT tensor whatever the data type; roi is left out (empty name).
        String scales = initializer(node + ".scales", new float[] {1, 1, scaleH, scaleW}, Precision.FP32, 4);
        ProtoWriter n = node("Resize", node, List.of(x, "", scales), node);
        n.message(NODE_ATTRIBUTE, stringAttribute("mode", "nearest"));
        n.message(NODE_ATTRIBUTE, stringAttribute("coordinate_transformation_mode", "asymmetric"));
        n.message(NODE_ATTRIBUTE, stringAttribute("nearest_mode", "floor"));
        nodes.add(n);
        return node;
    }

    /** Tile: the input repeated {@code repeats[i]} times along axis i. */
    public String tile(String x, long... repeats) {
        String node = unique("Tile");
        ByteBuffer raw = ByteBuffer.allocate(8 * repeats.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(repeats);
        String r = tensor(node + ".repeats", DATA_TYPE_INT64, raw.array(), repeats.length);
        nodes.add(node("Tile", node, List.of(x, r), node));
        return node;
    }

    /**
     * ConvTranspose without bias or padding, kernel = stride = {@code k}: each input pixel becomes a
     * k x k block. {@code weight} is [inChannels, outChannels / group, k, k] (ONNX's layout), in the
     * model's precision.
     */
    public String convTranspose(String name, String x, float[] weight, int inChannels, int outPerGroup, int k,
                                int group) {
        String node = unique(name);
        String w = initializer(node + ".weight", weight, precision, inChannels, outPerGroup, k, k);
        ProtoWriter n = node("ConvTranspose", node, List.of(x, w), node);
        n.message(NODE_ATTRIBUTE, intsAttribute("kernel_shape", k, k));
        n.message(NODE_ATTRIBUTE, intsAttribute("strides", k, k));
        n.message(NODE_ATTRIBUTE, intAttribute("group", group));
        nodes.add(n);
        return node;
    }

    public String clip(String x, float min, float max) {
        String node = unique("Clip");
        String lo = constant(node + ".min", new float[] {min});
        String hi = constant(node + ".max", new float[] {max});
        nodes.add(node("Clip", node, List.of(x, lo, hi), node));
        return node;
    }

    /** The serialized ModelProto. */
    public byte[] build() {
        ProtoWriter graph = new ProtoWriter();
        for (ProtoWriter n : nodes) {
            graph.message(GRAPH_NODE, n);
        }
        graph.string(GRAPH_NAME, graphName);
        for (byte[] t : initializers) {
            graph.bytes(GRAPH_INITIALIZER, t);
        }
        for (ProtoWriter i : inputs) {
            graph.message(GRAPH_INPUT, i);
        }
        for (ProtoWriter o : outputs) {
            graph.message(GRAPH_OUTPUT, o);
        }
        long version = int8InputRanges != null && (precision == Precision.FP16 || quantized != Quantized.INT8)
                ? OPSET_VERSION_FP16_QDQ : OPSET_VERSION;
        ProtoWriter opset = new ProtoWriter().string(OPSET_DOMAIN, "").int64(OPSET_VERSION_FIELD, version);
        return new ProtoWriter()
                .int64(MODEL_IR_VERSION, IR_VERSION)
                .string(MODEL_PRODUCER_NAME, "videoforge")
                .string(MODEL_PRODUCER_VERSION, "1")
                .message(MODEL_GRAPH, graph)
                .message(MODEL_OPSET_IMPORT, opset)
                .toByteArray();
    }

    private String simple(String opType, List<String> in) {
        String node = unique(opType);
        nodes.add(node(opType, node, in, node));
        return node;
    }

    private String initializer(String name, float[] values, Precision type, long... dims) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (count != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for " + count + " elements");
        }
        return tensor(name, dataType(type), rawData(values, type), dims);
    }

    private String tensor(String name, int dataType, byte[] raw, long... dims) {
        claim(name);
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) {
            t.int64(TENSOR_DIMS, d);
        }
        t.int64(TENSOR_DATA_TYPE, dataType);
        t.string(TENSOR_NAME, name);
        t.bytes(TENSOR_RAW_DATA, raw);
        initializers.add(t.toByteArray());
        return name;
    }

    private static byte[] rawData(float[] values, Precision type) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (type == Precision.FP16) {
            for (float v : values) {
                raw.putShort(Float16.fromFloat(v));
            }
        } else {
            raw.asFloatBuffer().put(values);
        }
        return raw.array();
    }

    private static int dataType(Precision type) {
        return type == Precision.FP16 ? DATA_TYPE_FLOAT16 : DATA_TYPE_FLOAT;
    }

    private ProtoWriter valueInfo(String name, Dim... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Dim d : dims) {
            ProtoWriter dim = new ProtoWriter();
            if (d.param() != null) {
                dim.string(DIM_PARAM, d.param());
            } else {
                dim.int64(DIM_VALUE, d.value());
            }
            shape.message(SHAPE_DIM, dim);
        }
        ProtoWriter tensorType = new ProtoWriter()
                .int64(TENSOR_TYPE_ELEM_TYPE, dataType(precision))
                .message(TENSOR_TYPE_SHAPE, shape);
        ProtoWriter type = new ProtoWriter().message(TYPE_TENSOR_TYPE, tensorType);
        return new ProtoWriter().string(VALUE_INFO_NAME, name).message(VALUE_INFO_TYPE, type);
    }

    private static ProtoWriter node(String opType, String name, List<String> in, String out) {
        ProtoWriter n = new ProtoWriter();
        for (String i : in) {
            n.string(NODE_INPUT, i);
        }
        n.string(NODE_OUTPUT, out);
        n.string(NODE_NAME, name);
        n.string(NODE_OP_TYPE, opType);
        return n;
    }

    private static ProtoWriter intAttribute(String name, long value) {
        return new ProtoWriter().string(ATTR_NAME, name).int64(ATTR_TYPE, ATTR_TYPE_INT).int64(ATTR_I, value);
    }

    private static ProtoWriter intsAttribute(String name, long... values) {
        ProtoWriter a = new ProtoWriter().string(ATTR_NAME, name).int64(ATTR_TYPE, ATTR_TYPE_INTS);
        for (long v : values) {
            a.int64(ATTR_INTS, v);
        }
        return a;
    }

    private static ProtoWriter floatAttribute(String name, float value) {
        return new ProtoWriter().string(ATTR_NAME, name).int64(ATTR_TYPE, ATTR_TYPE_FLOAT).float32(ATTR_F, value);
    }

    private static ProtoWriter stringAttribute(String name, String value) {
        return new ProtoWriter().string(ATTR_NAME, name).int64(ATTR_TYPE, ATTR_TYPE_STRING)
                .bytes(ATTR_S, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh tensor/node name derived from {@code base}. */
    private String unique(String base) {
        String name = base;
        for (int i = 1; names.contains(name); i++) {
            name = base + "_" + i;
        }
        names.add(name);
        return name;
    }

    private void claim(String name) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("tensor name already used: " + name);
        }
    }
}
