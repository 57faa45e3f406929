package org.shapelab.io;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.layers.BaseRNN;
import org.shapelab.layers.Bidirectional;
import org.shapelab.layers.Layer;
import org.shapelab.layers.Names;
import org.shapelab.layers.TimeDistributed;
import org.shapelab.model.Model;
import org.shapelab.shape.ShapeException;

/**
 * The weights file of Keras 3 ({@code model.weights.h5} inside {@code .keras}, and {@code save_weights("m.weights.h5")}),
 * as {@code keras/src/saving/saving_lib.py} lays it out:
 * <ul>
 *   <li>{@code _save_state} walks the model: the model's layers under {@code layers/}, each layer's own variables in a
 *       group {@code vars} (datasets {@code 0, 1, ...} in the layer's {@code trainable + non_trainable} order, from
 *       {@code Layer.save_own_variables}), then its child objects by attribute name;</li>
 *   <li>{@code _save_container_state} names each layer of the list by its snake_case class name made unique
 *       ({@code dense}, {@code dense_1}, ...; {@code _get_unique_name}), not by the layer's name;</li>
 *   <li>so a recurrent layer's variables are in {@code <layer>/cell/vars}, Bidirectional's in
 *       {@code forward_layer/cell/vars} and {@code backward_layer/cell/vars}, TimeDistributed's in
 *       {@code layer/vars};</li>
 *   <li>Keras 3.6 and later also put the layer's name in an attribute {@code name} of its {@code vars} group
 *       ({@code H5IOStore.make(path, metadata)}); when every layer of the model finds its name there, the names
 *       decide.</li>
 * </ul>
 */
final class KerasWeightsLayout {

    private KerasWeightsLayout() {
    }

    /** True if this looks like a Keras 3 weights file (a {@code layers} group, or only a root {@code vars}). */
    static boolean matches(Group root) {
        return root.getChildren().containsKey("layers")
                || (root.getChildren().containsKey("vars") && !root.getChildren().containsKey("model_weights"));
    }

    /** Each layer with weights, by its group path in the file ({@code layers/dense_1}). */
    static Map<Layer, String> paths(Model model) {
        Map<Layer, String> paths = new LinkedHashMap<>();
        Map<String, Integer> used = new HashMap<>();
        for (Layer layer : model.layers()) {
            String base = Names.snakeCase(layer.kerasClassName());
            int n = used.merge(base, 1, Integer::sum) - 1;
            paths.put(layer, "layers/" + (n == 0 ? base : base + "_" + n));
        }
        return paths;
    }

    /** The {@code vars} groups that hold a layer's weights, in {@code get_weights()} order. */
    static List<String> varsGroups(Layer layer, String base) {
        List<String> groups = new ArrayList<>();
        if (layer instanceof Bidirectional b) {
            groups.addAll(varsGroups(b.forwardLayer(), base + "/forward_layer"));
            groups.addAll(varsGroups(b.backwardLayer(), base + "/backward_layer"));
        } else if (layer instanceof TimeDistributed t) {
            groups.addAll(varsGroups(t.layer(), base + "/layer"));
        } else if (layer instanceof BaseRNN<?>) {
            groups.add(base + "/cell/vars");
        } else {
            groups.add(base + "/vars");
        }
        return groups;
    }

    static void read(Model model, Group root, String file) {
        Map<Layer, String> paths = paths(model);
        Map<String, String> named = namedGroups(root);
        // Keras finds a layer's group by class name and position; the names (3.6+) decide only when every layer of
        // the model has its name in the file, as after Model.load, so a graph whose layers ShapeLab lists in another
        // order than Keras still finds its weights, and a model built with other names gets Keras's pairing.
        boolean byName = Weights.withWeights(model).stream().allMatch(layer -> named.containsKey(layer.name()));
        Weights weights = new Weights(model, file);
        for (Layer layer : Weights.withWeights(model)) {
            String base = byName ? named.get(layer.name()) : paths.get(layer);
            List<INDArray> arrays = new ArrayList<>();
            List<String> parts = new ArrayList<>();
            for (String varsPath : varsGroups(layer, base)) {
                Group vars = Hdf5.group(root, varsPath);
                if (vars == null) {
                    throw new ShapeException(file + ": there is no group " + varsPath + " with the weights of layer "
                            + layer.describe() + " (Keras 3 keeps them under layers/<snake_case class>[_n]/vars)."
                            + " The file has: " + String.join(", ", children(root, "layers")) + ". Fix: load"
                            + " weights saved from this model (model.save_weights(\"m.weights.h5\")), or load the"
                            + " .keras file the model was saved to.");
                }
                for (int i = 0; vars.getChildren().containsKey(String.valueOf(i)); i++) {
                    Node node = vars.getChild(String.valueOf(i));
                    String part = varsPath + "/" + i;
                    if (!(node instanceof Dataset dataset)) {
                        throw new ShapeException(file + ": " + part + " is a group, not a weight array.");
                    }
                    arrays.add(Hdf5.array(dataset, file + ": " + part));
                    parts.add(part);
                }
            }
            weights.add(layer, arrays, parts, base);
        }
        weights.apply();
    }

    /** Writes the weights as Keras 3 saves them (groups only for layers with weights, as {@code H5IOStore} does). */
    static void write(Model model, WritableGroup root) {
        Map<Layer, String> paths = paths(model);
        List<INDArray> all = model.getWeights();
        int offset = 0;
        WritableGroup layersGroup = null;
        for (Layer layer : Weights.withWeights(model)) {
            if (layersGroup == null) {
                layersGroup = root.putGroup("layers");
            }
            int index = 0;
            for (String varsPath : varsGroups(layer, paths.get(layer))) {
                WritableGroup vars = layersGroup;
                String[] parts = varsPath.substring("layers/".length()).split("/");
                for (String part : parts) {
                    Node existing = vars.getChildren().get(part);
                    vars = existing instanceof WritableGroup g ? g : vars.putGroup(part);
                }
                vars.putAttribute("name", layer.name());
                int count = countIn(layer, varsPath, paths.get(layer));
                for (int i = 0; i < count; i++) {
                    vars.putDataset(String.valueOf(i), javaArray(all.get(offset + index)));
                    index++;
                }
            }
            offset += layer.weights().size();
        }
    }

    /** How many of the layer's weights live in one of its vars groups. */
    private static int countIn(Layer layer, String varsPath, String base) {
        if (layer instanceof Bidirectional b) {
            return varsPath.startsWith(base + "/forward_layer/") ? b.forwardLayer().weights().size()
                    : b.backwardLayer().weights().size();
        }
        return layer.weights().size();
    }

    /** Layer names from the {@code name} attributes of {@code layers/<group>/vars} (Keras 3.6+), to group paths. */
    private static Map<String, String> namedGroups(Group root) {
        Map<String, String> named = new HashMap<>();
        Group layers = Hdf5.group(root, "layers");
        if (layers == null) {
            return named;
        }
        for (Node child : layers) {
            Group vars = child instanceof Group g ? Hdf5.group(g, "vars") : null;
            String name = vars == null ? null : Hdf5.stringAttribute(vars, "name");
            if (name != null) {
                named.put(name, "layers/" + child.getName());
            }
        }
        return named;
    }

    private static List<String> children(Group root, String path) {
        Group group = Hdf5.group(root, path);
        return group == null ? List.of("no 'layers' group") : new ArrayList<>(group.getChildren().keySet());
    }

    /** A Java float array of the array's shape (jHDF writes datasets from Java arrays). */
    static Object javaArray(INDArray array) {
        INDArray f = array.castTo(DataType.FLOAT);
        return switch (f.rank()) {
            case 0 -> new float[] {f.getFloat(0)};
            case 1 -> f.toFloatVector();
            case 2 -> f.toFloatMatrix();
            case 3 -> {
                float[][][] out = new float[(int) f.size(0)][][];
                for (int i = 0; i < out.length; i++) {
                    out[i] = f.slice(i).toFloatMatrix();
                }
                yield out;
            }
            case 4 -> {
                float[][][][] out = new float[(int) f.size(0)][(int) f.size(1)][][];
                for (int i = 0; i < out.length; i++) {
                    for (int j = 0; j < out[i].length; j++) {
                        out[i][j] = f.slice(i).slice(j).toFloatMatrix();
                    }
                }
                yield out;
            }
            default -> throw new ShapeException("save: a weight of rank " + f.rank() + " " + Weights.tuple(f.shape())
                    + " cannot be written yet (ranks 0 to 4 can).");
        };
    }
}
