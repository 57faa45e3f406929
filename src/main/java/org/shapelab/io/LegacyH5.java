package org.shapelab.io;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.layers.Layer;
import org.shapelab.model.Model;
import org.shapelab.shape.ShapeException;

/**
 * The legacy HDF5 format of tf.keras 2 ({@code model.save("m.h5")}, {@code save_weights("w.h5")}), which Keras 3
 * still writes for {@code .h5} paths. {@code keras/src/legacy/saving/legacy_h5_format.py}: {@code save_model_to_hdf5}
 * puts the model JSON in the root attribute {@code model_config} and calls {@code save_weights_to_hdf5_group(
 * f["model_weights"], model)}, which writes the attribute {@code layer_names} (every layer) and a group per layer
 * with an attribute {@code weight_names} ({@code save_subset_weights_to_hdf5_group}; in {@code trainable +
 * non_trainable} order, {@code _legacy_weights}), each name the path of its dataset inside that group
 * ({@code dense/kernel:0} in tf.keras 2, {@code sequential/dense/kernel} in Keras 3). A weights-only file has the
 * same attributes on its root.
 */
final class LegacyH5 {

    private LegacyH5() {
    }

    static boolean matches(Group root) {
        return root.getAttribute("model_config") != null || root.getChildren().containsKey("model_weights")
                || Hdf5.stringsAttribute(root, "layer_names") != null;
    }

    /** The model JSON in the root attribute {@code model_config}, or null for a weights-only file. */
    static String modelConfig(Group root) {
        return Hdf5.stringAttribute(root, "model_config");
    }

    /**
     * Keras's {@code load_weights_from_hdf5_group} pairs the saved layers that have weights with the model's, in
     * order; ShapeLab does so too, except that when every layer of the model finds its own name in the file (as after
     * {@code Model.load}, whose layers come from the same file) the names decide, whatever order the layers are in.
     */
    static void read(Model model, Group root, String file) {
        Group weightsGroup = root.getChildren().containsKey("model_weights") ? Hdf5.group(root, "model_weights") : root;
        String at = weightsGroup == root ? "" : "model_weights/";
        List<String> layerNames = Hdf5.stringsAttribute(weightsGroup, "layer_names");
        if (layerNames == null) {
            throw new ShapeException(file + ": the group " + (at.isEmpty() ? "/" : at) + " has no attribute"
                    + " 'layer_names', which Keras's legacy .h5 format writes. Fix: save the model again with"
                    + " model.save(\"m.h5\") or model.save(\"m.keras\").");
        }
        List<String> saved = new ArrayList<>();
        for (String name : layerNames) {
            Group group = Hdf5.group(weightsGroup, name);
            if (group == null) {
                throw new ShapeException(file + ": layer_names lists \"" + name + "\" but there is no group " + at
                        + name + ". The file is incomplete; save it again.");
            }
            List<String> names = Hdf5.stringsAttribute(group, "weight_names");
            if (names == null) {
                throw new ShapeException(file + ": the group " + at + name + " has no attribute 'weight_names'"
                        + " listing its weights. The file is incomplete; save it again.");
            }
            if (!names.isEmpty()) {
                saved.add(name);
            }
        }
        List<Layer> layers = Weights.withWeights(model);
        boolean byName = new HashSet<>(saved).containsAll(layers.stream().map(Layer::name).toList());
        if (!byName && saved.size() != layers.size()) {
            throw new ShapeException(file + " has weights for " + saved.size() + " layer(s) (" + String.join(", ", saved)
                    + "), but model \"" + model.name() + "\" has " + layers.size() + " layer(s) with weights ("
                    + String.join(", ", layers.stream().map(Layer::describe).toList()) + "). Keras pairs them in"
                    + " order, so both must have the same layers with weights. Fix: load the model itself with"
                    + " Model.load(path) if the file has its config, or build the model that saved these weights.");
        }
        Weights weights = new Weights(model, file);
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            String name = byName ? layer.name() : saved.get(i);
            Group group = Hdf5.group(weightsGroup, name);
            List<INDArray> arrays = new ArrayList<>();
            List<String> parts = new ArrayList<>();
            for (String weightName : Hdf5.stringsAttribute(group, "weight_names")) {
                String part = at + name + "/" + weightName;
                if (!(Hdf5.node(group, weightName) instanceof Dataset dataset)) {
                    throw new ShapeException(file + ": the dataset " + part + " named in weight_names of "
                            + at + name + " is missing. The file is incomplete; save it again.");
                }
                arrays.add(Hdf5.array(dataset, file + ": " + part));
                parts.add(part);
            }
            weights.add(layer, arrays, parts, at + name);
        }
        weights.apply();
    }
}
