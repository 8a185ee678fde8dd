package org.videoforge.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * A tiny TF.js layers-model shaped like one residual block of esrgan-thick's RRDN, with seeded
 * weights: conv, relu, dense concatenation, conv, MultiplyBeta, residual Add, then the x2 tail
 * (conv to 12 channels, PixelShuffle2x, conv to RGB). Range [0,1], as thick's.
 */
final class SyntheticRrdn {
    private final ObjectMapper json = new ObjectMapper();
    private final ArrayNode layers = json.createArrayNode();
    private final ArrayNode manifest = json.createArrayNode();
    private final ByteBuffer weights = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private final Random random;
    private final byte[] modelJson;

    SyntheticRrdn(long seed) {
        random = new Random(seed);
        layer("InputLayer", "LR_input", json.createObjectNode().set("batch_input_shape",
                json.createArrayNode().addNull().addNull().addNull().add(3)));
        conv("F_1", 8, 0f, "LR_input");
        layer("Activation", "F_1_Relu", json.createObjectNode().put("activation", "relu"), "F_1");
        layer("Concatenate", "Concat_1", json.createObjectNode().put("axis", 3), "LR_input", "F_1_Relu");
        conv("LFF_1", 3, 0f, "Concat_1");
        layer("MultiplyBeta", "multiply_beta", json.createObjectNode().put("beta", 0.2), "LFF_1");
        layer("Add", "LRL_1", json.createObjectNode(), "LR_input", "multiply_beta");
        conv("PreShuffle", 12, 0f, "LRL_1");
        layer("PixelShuffle2x", "pixel_shuffle", json.createObjectNode().put("scale", 2), "PreShuffle");
        conv("SR", 3, 0.5f, "pixel_shuffle");
        ObjectNode root = json.createObjectNode().put("format", "layers-model");
        ObjectNode config = json.createObjectNode();
        config.set("layers", layers);
        config.set("input_layers", json.createArrayNode().add(json.createArrayNode().add("LR_input").add(0).add(0)));
        config.set("output_layers", json.createArrayNode().add(json.createArrayNode().add("SR").add(0).add(0)));
        root.putObject("modelTopology").putObject("model_config").put("class_name", "Functional").set("config", config);
        ObjectNode group = json.createObjectNode();
        group.putArray("paths").add("group1-shard1of1.bin");
        group.set("weights", manifest);
        root.putArray("weightsManifest").add(group);
        try {
            modelJson = json.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] modelJson() {
        return modelJson;
    }

    /** The one weight shard. */
    byte[] weights() {
        byte[] out = new byte[weights.position()];
        weights.duplicate().flip().get(out);
        return out;
    }

    private void conv(String name, int filters, float bias, String input) {
        int in = channelsOf(input);
        ObjectNode cfg = json.createObjectNode().put("filters", filters).put("padding", "same")
                .put("activation", "linear").put("use_bias", true);
        cfg.putArray("kernel_size").add(3).add(3);
        cfg.putArray("strides").add(1).add(1);
        layer("Conv2D", name, cfg, input);
        weight(name + "/kernel", 0.1f, 0f, 3, 3, in, filters);
        weight(name + "/bias", 0.02f, bias, filters);
    }

    private void weight(String name, float spread, float offset, int... shape) {
        ObjectNode spec = manifest.addObject().put("name", name).put("dtype", "float32");
        int n = 1;
        for (int d : shape) {
            spec.withArray("shape").add(d);
            n *= d;
        }
        for (int i = 0; i < n; i++) {
            weights.putFloat(offset + spread * (float) random.nextGaussian());
        }
    }

    private int channelsOf(String layer) {
        return switch (layer) {
            case "LR_input", "LRL_1", "LFF_1" -> 3;
            case "Concat_1" -> 11;
            case "pixel_shuffle" -> 3;
            default -> throw new IllegalArgumentException(layer);
        };
    }

    private void layer(String cls, String name, ObjectNode config, String... inputs) {
        ObjectNode l = layers.addObject().put("class_name", cls).put("name", name);
        l.set("config", config.put("name", name));
        ArrayNode call = json.createArrayNode();
        for (String in : inputs) {
            ArrayNode ref = call.addArray().add(in).add(0).add(0);
            ref.addObject();
        }
        l.putArray("inbound_nodes");
        if (inputs.length > 0) {
            l.withArray("inbound_nodes").add(call);
        }
    }
}
