package org.shapelab.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.shapelab.layers.Layer;
import org.shapelab.layers.WeightSpec;
import org.shapelab.model.Model;
import org.shapelab.shape.Shape;
import org.shapelab.shape.ShapeException;

/** Collects one layer's arrays after another, each checked against its weight, then sets them all at once. */
final class Weights {

    private final Model model;
    private final String file;
    private final List<INDArray> all = new ArrayList<>();

    Weights(Model model, String file) {
        this.model = model;
        this.file = file;
    }

    /** The layers of the model that have weights, in {@code get_weights()} order. */
    static List<Layer> withWeights(Model model) {
        return model.layers().stream().filter(layer -> !layer.weights().isEmpty()).toList();
    }

    /**
     * Adds one layer's arrays, found in the file at {@code parts} (one per array, named in messages).
     *
     * @param holder how messages name the place in the file that holds this layer's weights
     */
    void add(Layer layer, List<INDArray> arrays, List<String> parts, String holder) {
        List<WeightSpec> specs = layer.weights();
        if (arrays.size() != specs.size()) {
            throw new ShapeException(file + ": " + holder + " has " + arrays.size() + " array(s)"
                    + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")") + ", but layer "
                    + layer.describe() + " has " + specs.size() + " weight(s): " + listing(specs) + ". Fix: the"
                    + " weights were saved from a different model; load the model that saved them"
                    + " (Model.load reads its architecture too), or build the same layers.");
        }
        for (int i = 0; i < specs.size(); i++) {
            long[] expected = Arrays.stream(specs.get(i).shape()).asLongStream().toArray();
            INDArray array = arrays.get(i);
            if (!Arrays.equals(expected, array.shape())) {
                throw new ShapeException(file + ": " + parts.get(i) + " has shape " + tuple(array.shape())
                        + ", but weight " + specs.get(i).name() + " of layer " + layer.describe() + " is "
                        + Shape.tupleText(specs.get(i).shape()) + ". Fix: the weights were saved from a different"
                        + " model (other units, filters or input size); load the model that saved them, or build"
                        + " the same layers.");
            }
            all.add(array);
        }
    }

    void apply() {
        model.setWeights(all);
    }

    static String listing(List<WeightSpec> specs) {
        return String.join(", ", specs.stream().map(WeightSpec::toString).toList());
    }

    static String tuple(long[] shape) {
        return Shape.tupleText(Arrays.stream(shape).mapToInt(d -> (int) d).toArray());
    }
}
