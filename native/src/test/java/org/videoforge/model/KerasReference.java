package org.videoforge.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Test oracle: evaluates the Keras graph of an UpscalerJS model.json directly, in its own NHWC
 * layout, with plain loops over the raw HWIO kernels, and UpscalerJS's two custom layers as its
 * JavaScript defines them (MultiplyBeta: times 0.2; PixelShuffle: tf.depthToSpace in NHWC). It
 * shares no code with the converter, so agreement with the ONNX model proves the layout
 * transposes and op mappings.
 */
final class KerasReference {
    /** An NHWC image of one batch item: data[(y * w + x) * c + ch]. */
    record Image(int h, int w, int c, float[] data) {
    }

    private final JsonNode layers;
    private final String outputLayer;
    private final Map<String, float[]> weights = new HashMap<>();
    private final Map<String, int[]> shapes = new HashMap<>();

    /** {@code shards} gives the bytes of a weight file named in the manifest. */
    KerasReference(byte[] modelJson, Function<String, byte[]> shards) throws IOException {
        JsonNode root = new ObjectMapper().readTree(modelJson);
        JsonNode config = root.get("modelTopology").get("model_config").get("config");
        layers = config.get("layers");
        outputLayer = config.get("output_layers").get(0).get(0).asText();
        for (JsonNode group : root.get("weightsManifest")) {
            readGroup(group, shards);
        }
    }

    /**
     * A model from its Keras config and weights read elsewhere (a Keras HDF5 file, through jhdf):
     * the evaluation is still this class's own.
     */
    KerasReference(JsonNode modelConfig, Map<String, TfjsLayersModel.Weight> weights) {
        JsonNode config = modelConfig.get("config");
        layers = config.get("layers");
        outputLayer = config.get("output_layers").get(0).get(0).asText();
        weights.forEach((name, w) -> {
            this.weights.put(name, w.values());
            shapes.put(name, w.shape());
        });
    }

    private void readGroup(JsonNode group, Function<String, byte[]> shards) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (JsonNode path : group.get("paths")) {
            all.write(shards.apply(path.asText()));
        }
        ByteBuffer data = ByteBuffer.wrap(all.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode w : group.get("weights")) {
            int[] shape = new int[w.get("shape").size()];
            int n = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = w.get("shape").get(i).asInt();
                n *= shape[i];
            }
            float[] v = new float[n];
            JsonNode q = w.get("quantization");
            for (int i = 0; i < n; i++) {
                // TF.js's uint8 quantization: q * scale + min, per tensor
                v[i] = q == null ? data.getFloat()
                        : (float) ((data.get() & 0xff) * q.get("scale").asDouble() + q.get("min").asDouble());
            }
            weights.put(w.get("name").asText(), v);
            shapes.put(w.get("name").asText(), shape);
        }
    }

    /** Runs the model on an image in the model's pixel range; returns its raw, unclipped output. */
    Image run(Image input) {
        Map<String, Image> out = new HashMap<>();
        for (JsonNode layer : layers) {
            String name = layer.get("name").asText();
            String cls = layer.get("class_name").asText();
            JsonNode cfg = layer.get("config");
            if (cls.equals("InputLayer")) {
                out.put(name, input);
                continue;
            }
            if (layer.get("inbound_nodes").size() != 1) {
                throw new IllegalArgumentException("reference handles layers called once: " + name);
            }
            List<Image> in = new ArrayList<>();
            layer.get("inbound_nodes").get(0).forEach(ref -> in.add(out.get(ref.get(0).asText())));
            Image a = in.get(0);
            Image y = switch (cls) {
                case "Conv2D" -> conv(a, name, cfg.get("padding").asText(), cfg.path("activation").asText("linear"));
                case "Activation" -> cfg.get("activation").asText().equals("relu") ? relu(a) : a;
                case "Concatenate" -> concat(in);
                case "Add" -> add(in);
                case "UpSampling2D" -> upsample(a, cfg.get("size").get(0).asInt());
                case "MultiplyBeta" -> times(a, 0.2f);
                default -> {
                    if (!cls.startsWith("PixelShuffle")) {
                        throw new IllegalArgumentException(cls);
                    }
                    yield depthToSpace(a, cfg.get("scale").asInt());
                }
            };
            out.put(name, y);
        }
        return out.get(outputLayer);
    }

    private Image conv(Image a, String name, String padding, String activation) {
        float[] k = weights.get(name + "/kernel");
        float[] b = weights.get(name + "/bias");
        int[] s = shapes.get(name + "/kernel");
        int kh = s[0];
        int kw = s[1];
        int cin = s[2];
        int cout = s[3];
        int top = padding.equals("same") ? (kh - 1) / 2 : 0;
        int left = padding.equals("same") ? (kw - 1) / 2 : 0;
        int oh = padding.equals("same") ? a.h() : a.h() - kh + 1;
        int ow = padding.equals("same") ? a.w() : a.w() - kw + 1;
        float[] o = new float[oh * ow * cout];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                double[] acc = new double[cout];
                for (int co = 0; co < cout; co++) {
                    acc[co] = b[co];
                }
                for (int dy = 0; dy < kh; dy++) {
                    int iy = y + dy - top;
                    if (iy < 0 || iy >= a.h()) {
                        continue;
                    }
                    for (int dx = 0; dx < kw; dx++) {
                        int ix = x + dx - left;
                        if (ix < 0 || ix >= a.w()) {
                            continue;
                        }
                        for (int ci = 0; ci < cin; ci++) {
                            double v = a.data()[(iy * a.w() + ix) * cin + ci];
                            int base = ((dy * kw + dx) * cin + ci) * cout;
                            for (int co = 0; co < cout; co++) {
                                acc[co] += v * k[base + co];
                            }
                        }
                    }
                }
                for (int co = 0; co < cout; co++) {
                    o[(y * ow + x) * cout + co] = (float) acc[co];
                }
            }
        }
        Image y = new Image(oh, ow, cout, o);
        return activation.equals("relu") ? relu(y) : y;
    }

    private static Image relu(Image a) {
        float[] o = a.data().clone();
        for (int i = 0; i < o.length; i++) {
            o[i] = Math.max(0f, o[i]);
        }
        return new Image(a.h(), a.w(), a.c(), o);
    }

    private static Image concat(List<Image> in) {
        int c = in.stream().mapToInt(Image::c).sum();
        Image a = in.get(0);
        float[] o = new float[a.h() * a.w() * c];
        int offset = 0;
        for (Image b : in) {
            for (int p = 0; p < a.h() * a.w(); p++) {
                System.arraycopy(b.data(), p * b.c(), o, p * c + offset, b.c());
            }
            offset += b.c();
        }
        return new Image(a.h(), a.w(), c, o);
    }

    private static Image add(List<Image> in) {
        float[] o = in.get(0).data().clone();
        for (Image b : in.subList(1, in.size())) {
            for (int i = 0; i < o.length; i++) {
                o[i] += b.data()[i];
            }
        }
        return new Image(in.get(0).h(), in.get(0).w(), in.get(0).c(), o);
    }

    private static Image times(Image a, float factor) {
        float[] o = a.data().clone();
        for (int i = 0; i < o.length; i++) {
            o[i] *= factor;
        }
        return new Image(a.h(), a.w(), a.c(), o);
    }

    /** tf.depthToSpace(a, s, 'NHWC'): out[y*s+i][x*s+j][c] = a[y][x][(i*s+j)*C+c]. */
    private static Image depthToSpace(Image a, int s) {
        int c = a.c() / (s * s);
        int w = a.w() * s;
        float[] o = new float[a.h() * s * w * c];
        for (int y = 0; y < a.h(); y++) {
            for (int x = 0; x < a.w(); x++) {
                for (int i = 0; i < s; i++) {
                    for (int j = 0; j < s; j++) {
                        System.arraycopy(a.data(), (y * a.w() + x) * a.c() + (i * s + j) * c,
                                o, ((y * s + i) * w + x * s + j) * c, c);
                    }
                }
            }
        }
        return new Image(a.h() * s, w, c, o);
    }

    private static Image upsample(Image a, int s) {
        int h = a.h() * s;
        int w = a.w() * s;
        float[] o = new float[h * w * a.c()];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(a.data(), ((y / s) * a.w() + x / s) * a.c(), o, (y * w + x) * a.c(), a.c());
            }
        }
        return new Image(h, w, a.c(), o);
    }
}
