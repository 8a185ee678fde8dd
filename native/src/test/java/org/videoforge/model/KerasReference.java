package org.videoforge.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Test oracle: evaluates the Keras graph of an esrgan-slim model.json directly, in its own NHWC
 * layout, with plain loops over the raw HWIO kernels. It shares no code with the converter, so
 * agreement with the ONNX model proves the layout transposes and op mappings.
 */
final class KerasReference {
    /** An NHWC image of one batch item: data[(y * w + x) * c + ch]. */
    record Image(int h, int w, int c, float[] data) {
    }

    private final JsonNode layers;
    private final Map<String, float[]> weights = new HashMap<>();
    private final Map<String, int[]> shapes = new HashMap<>();

    KerasReference(byte[] modelJson, byte[] shard) throws IOException {
        JsonNode root = new ObjectMapper().readTree(modelJson);
        layers = root.get("modelTopology").get("model_config").get("config").get("layers");
        ByteBuffer data = ByteBuffer.wrap(shard).order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode w : root.get("weightsManifest").get(0).get("weights")) {
            int[] shape = new int[w.get("shape").size()];
            int n = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = w.get("shape").get(i).asInt();
                n *= shape[i];
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = data.getFloat();
            }
            weights.put(w.get("name").asText(), v);
            shapes.put(w.get("name").asText(), shape);
        }
    }

    /** Runs the model on an image with values in [0,255]; returns its raw output (also [0,255]-ish). */
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
            JsonNode refs = layer.get("inbound_nodes").get(0);
            if (refs.size() > 2 || layer.get("inbound_nodes").size() != 1) {
                throw new IllegalArgumentException("reference handles single calls of at most 2 inputs: " + name);
            }
            Image a = out.get(refs.get(0).get(0).asText());
            Image y = switch (cls) {
                case "Conv2D" -> conv(a, name, cfg.get("padding").asText());
                case "Activation" -> relu(a);
                case "Concatenate" -> concat(a, out.get(refs.get(1).get(0).asText()));
                case "Add" -> add(a, out.get(refs.get(1).get(0).asText()));
                case "UpSampling2D" -> upsample(a, cfg.get("size").get(0).asInt());
                default -> throw new IllegalArgumentException(cls);
            };
            out.put(name, y);
        }
        return out.get(layers.get(layers.size() - 1).get("name").asText());
    }

    private Image conv(Image a, String name, String padding) {
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
        return new Image(oh, ow, cout, o);
    }

    private static Image relu(Image a) {
        float[] o = a.data().clone();
        for (int i = 0; i < o.length; i++) {
            o[i] = Math.max(0f, o[i]);
        }
        return new Image(a.h(), a.w(), a.c(), o);
    }

    private static Image concat(Image a, Image b) {
        int c = a.c() + b.c();
        float[] o = new float[a.h() * a.w() * c];
        for (int p = 0; p < a.h() * a.w(); p++) {
            System.arraycopy(a.data(), p * a.c(), o, p * c, a.c());
            System.arraycopy(b.data(), p * b.c(), o, p * c + a.c(), b.c());
        }
        return new Image(a.h(), a.w(), c, o);
    }

    private static Image add(Image a, Image b) {
        float[] o = a.data().clone();
        for (int i = 0; i < o.length; i++) {
            o[i] += b.data()[i];
        }
        return new Image(a.h(), a.w(), a.c(), o);
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
