package org.videoforge.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.videoforge.error.EngineError;
import org.videoforge.error.ErrorCode;

/**
 * A Keras Functional model: its config and its weights by name. Read from a TensorFlow.js
 * "layers-model" ({@link #parse}: model.json and its weight shards in weightsManifest order,
 * little-endian, concatenated: float32, or uint8 with TF.js's affine quantization) or from a Keras
 * HDF5 file ({@link KerasHdf5}).
 */
public final class TfjsLayersModel {

    /** One named weight tensor, shape as Keras stores it (conv kernels HWIO). */
    public record Weight(String name, int[] shape, float[] values) {
    }

    private final JsonNode modelConfig;
    private final Map<String, Weight> weights;

    private TfjsLayersModel(JsonNode modelConfig, Map<String, Weight> weights) {
        this.modelConfig = modelConfig;
        this.weights = weights;
    }

    /** A model from its config ({"class_name": ..., "config": {layers, ...}}) and weights. */
    static TfjsLayersModel of(JsonNode modelConfig, Map<String, Weight> weights) {
        if (!modelConfig.path("config").path("layers").isArray()) {
            throw invalid("the Keras model config has no config.layers");
        }
        return new TfjsLayersModel(modelConfig, weights);
    }

    /**
     * Parses model.json; {@code shards} returns the bytes of a path listed in the manifest
     * (relative to model.json's folder).
     */
    public static TfjsLayersModel parse(byte[] modelJson, Function<String, byte[]> shards) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(modelJson);
        } catch (IOException e) {
            throw invalid("model.json is not JSON: " + e.getMessage(), e);
        }
        if (!"layers-model".equals(root.path("format").asText("layers-model"))) {
            throw invalid("not a TF.js layers-model but " + root.path("format").asText());
        }
        JsonNode config = root.path("modelTopology").path("model_config");
        if (config.isMissingNode()) {
            config = root.path("modelTopology"); // older exports put the config at the top
        }
        Map<String, Weight> weights = new LinkedHashMap<>();
        for (JsonNode group : root.path("weightsManifest")) {
            ByteBuffer data = concatenate(group.path("paths"), shards).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode spec : group.path("weights")) {
                Weight w = readWeight(spec, data);
                weights.put(w.name(), w);
            }
        }
        return of(config, weights);
    }

    /** The Keras model config ({"class_name": "Functional", "config": {layers, input_layers, output_layers}}). */
    public JsonNode modelConfig() {
        return modelConfig;
    }

    public Map<String, Weight> weights() {
        return weights;
    }

    /** The weight "&lt;layer&gt;/&lt;kind&gt;", also when exported with a scope prefix ("model/&lt;layer&gt;/&lt;kind&gt;"). */
    public Optional<Weight> weight(String layer, String kind) {
        String exact = layer + "/" + kind;
        Weight w = weights.get(exact);
        if (w != null) {
            return Optional.of(w);
        }
        return weights.values().stream().filter(v -> v.name().endsWith("/" + exact)).findFirst();
    }

    private static ByteBuffer concatenate(JsonNode paths, Function<String, byte[]> shards) {
        List<byte[]> parts = new ArrayList<>();
        int size = 0;
        for (JsonNode p : paths) {
            byte[] part = shards.apply(p.asText());
            if (part == null) {
                throw invalid("weight shard " + p.asText() + " is missing");
            }
            parts.add(part);
            size += part.length;
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        parts.forEach(all::put);
        return all.flip();
    }

    /**
     * One weight: float32, or uint8 quantized as the TF.js converter writes it (value = q * scale
     * + min, per tensor; the legacy UpscalerJS models are stored so).
     */
    private static Weight readWeight(JsonNode spec, ByteBuffer data) {
        String name = spec.path("name").asText();
        JsonNode quantization = spec.path("quantization");
        boolean uint8 = quantization.path("dtype").asText().equals("uint8");
        if (!"float32".equals(spec.path("dtype").asText()) || (!quantization.isMissingNode() && !uint8)) {
            throw invalid("weight " + name + " is " + spec.path("dtype").asText()
                    + (quantization.isMissingNode() ? "" : " quantized as " + quantization.path("dtype").asText())
                    + "; only float32 and uint8-quantized float32 are supported");
        }
        int[] shape = new int[spec.path("shape").size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = spec.path("shape").get(i).asInt();
            count *= shape[i];
        }
        if (data.remaining() < count * (uint8 ? 1 : 4)) {
            throw invalid("weight data ends before " + name);
        }
        float[] values = new float[(int) count];
        if (uint8) {
            double scale = quantization.path("scale").asDouble();
            double min = quantization.path("min").asDouble();
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((data.get() & 0xff) * scale + min); // as TF.js: in doubles, stored as float32
            }
        } else {
            data.asFloatBuffer().get(values);
            data.position(data.position() + values.length * 4);
        }
        return new Weight(name, shape, values);
    }

    static EngineError invalid(String message) {
        return new EngineError(ErrorCode.MODEL_INVALID, message);
    }

    static EngineError invalid(String message, Throwable cause) {
        return new EngineError(ErrorCode.MODEL_INVALID, message, cause);
    }
}
