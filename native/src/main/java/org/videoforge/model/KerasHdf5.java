package org.videoforge.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a Keras model saved whole in HDF5 ({@code model.save("x.h5")}, Keras 2): the model
 * config from the root attribute {@code model_config} and every layer's weights from
 * {@code model_weights/<layer>/<weight name>}, in the order of the layer's {@code weight_names}
 * attribute. Weight names lose Keras's ":0" suffix, so they match the TF.js manifest names
 * ("F_0/kernel"). Float32 datasets only.
 *
 * <p>Through jhdf (pure Java; a build-time dependency of the model conversion, not shipped in the jar).
 */
public final class KerasHdf5 {
    private KerasHdf5() {
    }

    public static TfjsLayersModel read(byte[] h5) {
        try (HdfFile file = HdfFile.fromBytes(h5)) {
            JsonNode config = new ObjectMapper().readTree(string(file, "model_config"));
            Node weightsNode = file.getChild("model_weights");
            if (!(weightsNode instanceof Group weightGroups)) {
                throw TfjsLayersModel.invalid("the HDF5 file has no model_weights group (not a whole saved Keras model)");
            }
            Map<String, TfjsLayersModel.Weight> weights = new LinkedHashMap<>();
            for (String layer : strings(weightGroups, "layer_names")) {
                Group group = (Group) weightGroups.getChild(layer);
                for (String weightName : strings(group, "weight_names")) {
                    Dataset d = group.getDatasetByPath(weightName);
                    if (d.getJavaType() != float.class) {
                        throw TfjsLayersModel.invalid("weight " + weightName + " is " + d.getJavaType()
                                + "; only float32 is supported");
                    }
                    String name = weightName.endsWith(":0")
                            ? weightName.substring(0, weightName.length() - 2) : weightName;
                    weights.put(name, new TfjsLayersModel.Weight(name, d.getDimensions(), (float[]) d.getDataFlat()));
                }
            }
            return TfjsLayersModel.of(config, weights);
        } catch (IOException | HdfException | ClassCastException e) {
            throw TfjsLayersModel.invalid("cannot read the Keras HDF5 model: " + e.getMessage(), e);
        }
    }

    private static String string(Node node, String attribute) {
        Object value = attribute(node, attribute).getData();
        if (!(value instanceof String s)) {
            throw TfjsLayersModel.invalid("HDF5 attribute " + attribute + " is not a string");
        }
        return s;
    }

    private static String[] strings(Node node, String attribute) {
        Attribute a = attribute(node, attribute);
        if (a.isEmpty() || a.getSize() == 0) {
            return new String[0]; // a layer without weights (InputLayer, Add, ...)
        }
        Object value = a.getData();
        if (value instanceof String s) {
            return new String[] {s};
        }
        if (!(value instanceof String[] s)) {
            throw TfjsLayersModel.invalid("HDF5 attribute " + attribute + " of " + node.getPath() + " is not strings");
        }
        return s;
    }

    private static Attribute attribute(Node node, String name) {
        Attribute a = node.getAttribute(name);
        if (a == null) {
            throw TfjsLayersModel.invalid("HDF5 node " + node.getPath() + " has no attribute " + name);
        }
        return a;
    }
}
