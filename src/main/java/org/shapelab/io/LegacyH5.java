package org.shapelab.io;

import java.util.ArrayList;
import java.util.List;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.layers.Layer;
import org.shapelab.model.Model;
import org.shapelab.shape.ShapeException;

/**
 * The legacy HDF5 format of tf.keras 2 ({@code model.save("m.h5")}, {@code save_weights("w.h5")}), which Keras 3
 * still writes for {@code .h5} paths ({@code keras/src/legacy/saving/legacy_h5_format.py}: {@code save_model_to_hdf5}
 * puts the model JSON in the root attribute {@code model_config} and calls
 * {@code save_weights_to_hdf5_group(f["model_weights"], model)}): the weights group has an attribute
 * {@code layer_names}; each layer a group of its name with an attribute {@code weight_names} (in the layer's
 * {@code trainable + non_trainable} order), each name the path of its dataset inside that group
 * ({@code dense/kernel:0} in tf.keras 2, {@code sequential/dense/kernel} in Keras 3).
 */
final class LegacyH5 {

    private LegacyH5() {
    }

    static boolean matches(Group root) {
        return root.getAttribute("model_config") != null || root.getChildren().containsKey("model_weights")
                || root.getAttribute("layer_names") != null;
    }

    /** The model JSON in the root attribute {@code model_config}, or null for a weights-only file. */
    static String modelConfig(Group root) {
        return Hdf5.stringAttribute(root, "model_config");
    }

    static void read(Model model, Group root, String file) {
        Group weightsGroup = root.getChildren().containsKey("model_weights") ? Hdf5.group(root, "model_weights") : root;
        String at = weightsGroup == root ? "" : "model_weights/";
        List<String> layerNames = Hdf5.stringsAttribute(weightsGroup, "layer_names");
        if (layerNames == null) {
            throw new ShapeException(file + ": the group " + (at.isEmpty() ? "/" : at) + " has no attribute"
                    + " 'layer_names', which Keras's legacy .h5 format writes. Fix: save the model again with"
                    + " model.save(\"m.h5\") or model.save(\"m.keras\").");
        }
        Weights weights = new Weights(model, file);
        for (Layer layer : Weights.withWeights(model)) {
            Group group = Hdf5.group(weightsGroup, layer.name());
            if (group == null || !layerNames.contains(layer.name())) {
                throw new ShapeException(file + ": there are no weights for layer " + layer.describe() + " (no group "
                        + at + layer.name() + "). The file has weights for: " + String.join(", ", layerNames)
                        + ". Fix: load weights saved from this model; the legacy format finds layers by name, so"
                        + " the layer names must be those of the model that saved them.");
            }
            List<String> names = Hdf5.stringsAttribute(group, "weight_names");
            if (names == null) {
                throw new ShapeException(file + ": the group " + at + layer.name() + " has no attribute"
                        + " 'weight_names' listing its weights.");
            }
            List<INDArray> arrays = new ArrayList<>();
            List<String> parts = new ArrayList<>();
            for (String name : names) {
                String part = at + layer.name() + "/" + name;
                if (!(Hdf5.node(group, name) instanceof Dataset dataset)) {
                    throw new ShapeException(file + ": the dataset " + part + " named in weight_names of "
                            + at + layer.name() + " is missing. The file is incomplete; save it again.");
                }
                arrays.add(Hdf5.array(dataset, file + ": " + part));
                parts.add(part);
            }
            weights.add(layer, arrays, parts, at + layer.name());
        }
        weights.apply();
    }
}
