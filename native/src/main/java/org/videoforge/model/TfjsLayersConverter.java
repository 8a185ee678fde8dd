package org.videoforge.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;
import org.videoforge.frame.Precision;

/**
 * Converts a Keras Functional model exported as a TF.js layers-model (NHWC, pixel range
 * [0, range]) to an ONNX model with the engine's contract: NCHW, [0,1] in and out.
 *
 * <p>The graph is walked generically from each layer's inbound_nodes. Keras layouts become ONNX
 * ones on the way: conv kernels HWIO to OIHW, channel axis 3 to 1, UpSampling2D to Resize
 * (nearest, asymmetric, floor). The input is multiplied by the input range, the output by
 * 1/output range and clipped to [0,1] (UpscalerJS clips its output the same way). Supported
 * layers: InputLayer, Conv2D (stride 1, no dilation, linear or relu), Activation (relu, linear),
 * Concatenate, Add, UpSampling2D (nearest), and the two custom layers UpscalerJS registers for its
 * RRDN models: MultiplyBeta (x times beta, 0.2; the residual scaling of ESRGAN's RRDB blocks) and
 * PixelShuffle&lt;s&gt;x (tf.depthToSpace in NHWC, which is ONNX DepthToSpace in DCR mode). Anything
 * else fails with MODEL_INVALID.
 */
public final class TfjsLayersConverter {
    private static final Set<String> SUPPORTED = Set.of("InputLayer", "Conv2D", "Activation", "Concatenate",
            "Add", "UpSampling2D", "MultiplyBeta");
    /** UpscalerJS registers one PixelShuffle class per scale: PixelShuffle2x, PixelShuffle3x, ... */
    private static final Pattern PIXEL_SHUFFLE = Pattern.compile("PixelShuffle(\\d+)x");
    /** The beta UpscalerJS's MultiplyBeta multiplies by (its JavaScript ignores the layer config). */
    private static final float UPSCALERJS_BETA = 0.2f;

    /** One application of a layer: its entry in inbound_nodes, and that entry's index. */
    private record LayerCall(JsonNode layer, JsonNode inbound, int index) {
    }

    private final TfjsLayersModel model;
    private final OnnxGraphBuilder graph;
    /** Keras tensor ("layer:node:index") to ONNX tensor name. */
    private final Map<String, String> tensors = new HashMap<>();
    /** ONNX tensor name to its channel count, to catch mis-wired graphs while converting. */
    private final Map<String, Integer> channels = new HashMap<>();

    private TfjsLayersConverter(TfjsLayersModel model, OnnxGraphBuilder graph) {
        this.model = model;
        this.graph = graph;
    }

    /**
     * ONNX model bytes for {@code model}; {@code inputRange} and {@code outputRange} are the pixel
     * value ranges the Keras model was trained on (255 for [0,255], 1 for [0,1]).
     */
    public static byte[] convert(TfjsLayersModel model, String graphName, Precision precision,
                                 float inputRange, float outputRange) {
        return convert(model, new OnnxGraphBuilder(graphName, precision), inputRange, outputRange);
    }

    /** As above, into {@code graph} (e.g. one set to tap or int8-quantize its convolutions). */
    public static byte[] convert(TfjsLayersModel model, OnnxGraphBuilder graph, float inputRange, float outputRange) {
        TfjsLayersConverter c = new TfjsLayersConverter(model, graph);
        c.walk(inputRange, outputRange);
        return c.graph.build();
    }

    private void walk(float inputRange, float outputRange) {
        JsonNode config = model.modelConfig();
        String modelClass = config.path("class_name").asText();
        if (!modelClass.equals("Functional") && !modelClass.equals("Model")) {
            throw TfjsLayersModel.invalid("only Keras Functional models are supported, not " + modelClass);
        }
        JsonNode layers = config.path("config").path("layers");
        for (JsonNode layer : layers) {
            String cls = layer.path("class_name").asText();
            if (!SUPPORTED.contains(cls) && !PIXEL_SHUFFLE.matcher(cls).matches()) {
                throw TfjsLayersModel.invalid("unsupported Keras layer class " + cls + " (layer "
                        + layer.path("name").asText() + ")");
            }
        }
        String inputKey = singleEndpoint(config.path("config").path("input_layers"), "input");
        String outputKey = singleEndpoint(config.path("config").path("output_layers"), "output");

        String x = graph.input(ModelShapes.INPUT, ModelShapes.inputDims());
        channels.put(x, 3);
        tensors.put(inputKey, scaled(x, inputRange));
        checkInputLayer(layers, inputKey);

        // Emit each layer call once all its inputs exist; Keras usually lists layers in order.
        List<LayerCall> pending = new ArrayList<>();
        for (JsonNode layer : layers) {
            if (layer.path("class_name").asText().equals("InputLayer")) {
                continue;
            }
            JsonNode calls = layer.path("inbound_nodes");
            for (int call = 0; call < calls.size(); call++) {
                pending.add(new LayerCall(layer, calls.get(call), call));
            }
        }
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (var it = pending.iterator(); it.hasNext(); ) {
                LayerCall call = it.next();
                List<String> in = resolve(call.layer(), call.inbound());
                if (in != null) {
                    String out = emit(call.layer(), in);
                    tensors.put(call.layer().path("name").asText() + ":" + call.index() + ":0", out);
                    it.remove();
                    progress = true;
                }
            }
            if (!progress) {
                throw TfjsLayersModel.invalid("layer inputs cannot be resolved, e.g. layer "
                        + pending.get(0).layer().path("name").asText());
            }
        }

        String out = tensors.get(outputKey);
        if (out == null) {
            throw TfjsLayersModel.invalid("output layer " + outputKey + " is not produced by the graph");
        }
        if (channels.get(out) != 3) {
            throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH, "the model returns " + channels.get(out)
                    + " channels, not 3");
        }
        String clipped = graph.clip(scaled(out, 1f / outputRange), 0f, 1f);
        graph.output(clipped, ModelShapes.OUTPUT, ModelShapes.outputDims());
    }

    private String scaled(String x, float factor) {
        if (factor == 1f) {
            return x;
        }
        String y = graph.mul(x, factor);
        channels.put(y, channels.get(x));
        return y;
    }

    /** The ONNX tensors feeding one layer call, or null if some are not produced yet. */
    private List<String> resolve(JsonNode layer, JsonNode call) {
        if (!call.isArray()) {
            throw TfjsLayersModel.invalid("unsupported inbound_nodes format in layer " + layer.path("name").asText());
        }
        List<String> in = new ArrayList<>();
        for (JsonNode ref : call) {
            String t = tensors.get(ref.get(0).asText() + ":" + ref.get(1).asInt() + ":" + ref.get(2).asInt());
            if (t == null) {
                return null;
            }
            in.add(t);
        }
        return in;
    }

    private String emit(JsonNode layer, List<String> in) {
        String cls = layer.path("class_name").asText();
        String name = layer.path("name").asText();
        JsonNode cfg = layer.path("config");
        switch (cls) {
            case "Conv2D":
                return conv2d(name, cfg, single(name, in));
            case "Activation":
                return activation(name, cfg.path("activation").asText(), single(name, in));
            case "Concatenate":
                return concatenate(name, cfg, in);
            case "Add":
                return add(name, in);
            case "UpSampling2D":
                return upSampling2d(name, cfg, single(name, in));
            case "MultiplyBeta":
                return multiplyBeta(name, cfg, single(name, in));
            default:
                Matcher shuffle = PIXEL_SHUFFLE.matcher(cls);
                if (shuffle.matches()) {
                    return pixelShuffle(name, cfg, Integer.parseInt(shuffle.group(1)), single(name, in));
                }
                throw TfjsLayersModel.invalid("unsupported Keras layer class " + cls + " (layer " + name + ")");
        }
    }

    private String conv2d(String name, JsonNode cfg, String x) {
        requireChannelsLast(name, cfg);
        for (JsonNode s : cfg.path("strides")) {
            require(s.asInt() == 1, name, "strides other than 1 are not supported");
        }
        for (JsonNode d : cfg.path("dilation_rate")) {
            require(d.asInt() == 1, name, "dilation is not supported");
        }
        require(cfg.path("groups").asInt(1) == 1, name, "grouped convolution is not supported");
        TfjsLayersModel.Weight kernel = model.weight(name, "kernel")
                .orElseThrow(() -> TfjsLayersModel.invalid("no kernel weight for Conv2D " + name));
        int[] s = kernel.shape();
        require(s.length == 4, name, "kernel is not 4-D HWIO");
        int kh = s[0];
        int kw = s[1];
        int in = s[2];
        int out = s[3];
        require(out == cfg.path("filters").asInt(out), name, "kernel shape disagrees with filters");
        require(in == channels.get(x), name, "kernel takes " + in + " channels but gets " + channels.get(x));
        float[] bias = cfg.path("use_bias").asBoolean(true)
                ? model.weight(name, "bias")
                        .orElseThrow(() -> TfjsLayersModel.invalid("no bias weight for Conv2D " + name)).values()
                : new float[out];
        require(bias.length == out, name, "bias has " + bias.length + " values for " + out + " filters");
        int[] pads = padding(name, cfg.path("padding").asText("valid"), kh, kw);
        String y = graph.conv(name, x, ConvWeights.fromHwio(kernel.values(), kh, kw, in, out, bias), pads);
        channels.put(y, out);
        return activation(name, cfg.path("activation").asText("linear"), y);
    }

    /** ONNX pads {top, left, bottom, right}; TF's "same" puts an odd extra pixel at the end. */
    private static int[] padding(String name, String mode, int kh, int kw) {
        switch (mode) {
            case "valid":
                return new int[] {0, 0, 0, 0};
            case "same":
                return new int[] {(kh - 1) / 2, (kw - 1) / 2, kh - 1 - (kh - 1) / 2, kw - 1 - (kw - 1) / 2};
            default:
                throw TfjsLayersModel.invalid("layer " + name + ": padding " + mode + " is not supported");
        }
    }

    private String activation(String name, String kind, String x) {
        switch (kind) {
            case "linear":
                return x;
            case "relu": {
                String y = graph.relu(x);
                channels.put(y, channels.get(x));
                return y;
            }
            default:
                throw TfjsLayersModel.invalid("layer " + name + ": activation " + kind + " is not supported");
        }
    }

    private String concatenate(String name, JsonNode cfg, List<String> in) {
        int axis = cfg.path("axis").asInt(-1);
        int nchwAxis = nhwcToNchwAxis(name, axis);
        String y = graph.concat(nchwAxis, in);
        if (nchwAxis == 1) {
            channels.put(y, in.stream().mapToInt(channels::get).sum());
        } else {
            channels.put(y, channels.get(in.get(0)));
        }
        return y;
    }

    private static int nhwcToNchwAxis(String name, int axis) {
        switch (axis) {
            case 3:
            case -1:
                return 1;
            case 1:
            case -3:
                return 2;
            case 2:
            case -2:
                return 3;
            default:
                throw TfjsLayersModel.invalid("layer " + name + ": concatenation axis " + axis + " is not supported");
        }
    }

    private String add(String name, List<String> in) {
        require(in.size() >= 2, name, "Add needs at least two inputs");
        Set<Integer> widths = new LinkedHashSet<>();
        String sum = in.get(0);
        widths.add(channels.get(sum));
        for (int i = 1; i < in.size(); i++) {
            widths.add(channels.get(in.get(i)));
            sum = graph.add(sum, in.get(i));
        }
        require(widths.size() == 1, name, "adds tensors of different channel counts " + widths);
        channels.put(sum, widths.iterator().next());
        return sum;
    }

    private String upSampling2d(String name, JsonNode cfg, String x) {
        requireChannelsLast(name, cfg);
        String interpolation = cfg.path("interpolation").asText("nearest");
        require(interpolation.equals("nearest"), name, "interpolation " + interpolation + " is not supported");
        JsonNode size = cfg.path("size");
        int sh = size.isArray() ? size.get(0).asInt() : size.asInt(2);
        int sw = size.isArray() ? size.get(1).asInt() : size.asInt(2);
        String y = graph.resizeNearest(x, sh, sw);
        channels.put(y, channels.get(x));
        return y;
    }

    /**
     * UpscalerJS's MultiplyBeta ignores its config and multiplies by 0.2; a config that says
     * otherwise would mean a model this converter does not know, so it fails rather than guess.
     */
    private String multiplyBeta(String name, JsonNode cfg, String x) {
        float beta = (float) cfg.path("beta").asDouble(UPSCALERJS_BETA);
        require(beta == UPSCALERJS_BETA, name, "beta " + beta + " differs from UpscalerJS's " + UPSCALERJS_BETA);
        return scaled(x, beta);
    }

    /** tf.depthToSpace(x, s, 'NHWC'): out[h*s+i][w*s+j][c] = in[h][w][(i*s+j)*C+c], ONNX's DCR order. */
    private String pixelShuffle(String name, JsonNode cfg, int classScale, String x) {
        int scale = cfg.path("scale").asInt(classScale);
        require(scale == classScale && scale > 1, name, "scale " + scale + " does not match its class");
        int c = channels.get(x);
        require(c % (scale * scale) == 0, name, c + " channels cannot be shuffled by " + scale);
        String y = graph.depthToSpace(x, scale, "DCR");
        channels.put(y, c / (scale * scale));
        return y;
    }

    private void checkInputLayer(JsonNode layers, String inputKey) {
        String inputLayer = inputKey.substring(0, inputKey.indexOf(':'));
        for (JsonNode layer : layers) {
            if (layer.path("name").asText().equals(inputLayer)) {
                JsonNode shape = layer.path("config").path("batch_input_shape");
                if (shape.size() != 4 || shape.get(3).asInt() != 3) {
                    throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH,
                            "the model input must be NHWC with 3 channels, not " + shape);
                }
                return;
            }
        }
        throw TfjsLayersModel.invalid("input layer " + inputLayer + " is missing");
    }

    private static String singleEndpoint(JsonNode endpoints, String what) {
        if (endpoints.size() != 1) {
            throw new EngineError(ErrorCode.MODEL_SHAPE_MISMATCH,
                    "the model must have one " + what + ", not " + endpoints.size());
        }
        JsonNode e = endpoints.get(0);
        return e.get(0).asText() + ":" + e.get(1).asInt() + ":" + e.get(2).asInt();
    }

    private static String single(String name, List<String> in) {
        require(in.size() == 1, name, "expects one input, got " + in.size());
        return in.get(0);
    }

    private static void requireChannelsLast(String name, JsonNode cfg) {
        String format = cfg.path("data_format").asText("channels_last");
        require(format.equals("channels_last"), name, "data_format " + format + " is not supported");
    }

    private static void require(boolean ok, String layer, String message) {
        if (!ok) {
            throw TfjsLayersModel.invalid("layer " + layer + ": " + message);
        }
    }
}
