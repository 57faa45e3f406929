package org.shapelab.reference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.compute.ModelRuntime;
import org.shapelab.layers.Layer;
import org.shapelab.layers.WeightSpec;
import org.shapelab.model.Sequential;
import org.shapelab.shape.Shape;

/**
 * Checks one {@link ReferenceCase}: ShapeLab reads the model from its Keras JSON, must give every layer Keras's
 * output shape and parameter counts, take the weights in Keras's order, and predict Keras's output for every run
 * within {@value #TOLERANCE} of {@code max(1, |keras|)} per value (float32 sums in another order differ by a few
 * 1e-7; NaN must stay NaN).
 */
public final class CaseCheck {

    static final double TOLERANCE = 1e-5;

    private CaseCheck() {
    }

    /** Runs the case; returns the worst relative error over its values, or throws an AssertionError saying what differs. */
    static double check(ReferenceCase c) {
        Sequential model = Sequential.fromKerasJson(c.modelJson());
        checkShapes(c, model);
        ModelRuntime runtime = ModelRuntime.of(model);
        runtime.setWeights(weights(c, model));
        double worst = 0;
        for (int r = 0; r < c.runs().size(); r++) {
            ReferenceCase.Run run = c.runs().get(r);
            INDArray input = array(run.input());
            INDArray want = array(run.output());
            INDArray got = runtime.predict(input);
            String where = "run " + r + " (input " + Shape.array(input.shape()) + ")";
            if (!Arrays.equals(want.shape(), got.shape())) {
                throw new AssertionError(where + ": output shape " + Shape.array(got.shape()) + ", Keras "
                        + Shape.array(want.shape()));
            }
            worst = Math.max(worst, compare(where, want.data().asFloat(), got.dup('c').data().asFloat()));
        }
        return worst;
    }

    /** Shapes and parameter counts: no ND4J is needed for these. */
    static void checkShapes(ReferenceCase c, Sequential model) {
        List<Layer> layers = model.layers();
        List<String> ours = layers.stream().map(Layer::name).toList();
        List<String> keras = c.layers().stream().map(ReferenceCase.LayerFacts::name).toList();
        if (!ours.equals(keras)) {
            throw new AssertionError("layers " + ours + ", Keras " + keras);
        }
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            ReferenceCase.LayerFacts facts = c.layers().get(i);
            List<Integer> shape = new ArrayList<>();
            for (int d : layer.outputShape().dims()) {
                shape.add(d == Shape.NONE ? null : d);
            }
            shape.set(0, null);
            if (!shape.equals(facts.outputShape())) {
                throw new AssertionError("layer " + layer.describe() + ": output shape " + layer.outputShape()
                        + ", Keras " + kerasText(facts.outputShape()));
            }
            if (layer.countParams() != facts.params()) {
                throw new AssertionError("layer " + layer.describe() + ": " + layer.countParams() + " parameters, Keras "
                        + facts.params());
            }
            if (facts.trainableParams() >= 0 && layer.trainableParams() != facts.trainableParams()) {
                throw new AssertionError("layer " + layer.describe() + ": " + layer.trainableParams()
                        + " trainable parameters, Keras " + facts.trainableParams());
            }
        }
        if (model.countParams() != c.totalParams()) {
            throw new AssertionError("model: " + model.countParams() + " parameters, Keras " + c.totalParams());
        }
        if (c.trainableParams() >= 0 && model.trainableParams() != c.trainableParams()) {
            throw new AssertionError("model: " + model.trainableParams() + " trainable parameters, Keras "
                    + c.trainableParams());
        }
    }

    /** A fixture shape as Keras prints it: {@code (None, 7, 1)}. */
    private static String kerasText(List<Integer> dims) {
        List<String> parts = dims.stream().map(d -> d == null ? "None" : String.valueOf(d)).toList();
        return "(" + String.join(", ", parts) + (parts.size() == 1 ? ",)" : ")");
    }

    /** The case's weights, after checking they come in the order ShapeLab lists the layers' weights. */
    private static List<INDArray> weights(ReferenceCase c, Sequential model) {
        List<String> ours = new ArrayList<>();
        for (Layer layer : model.layers()) {
            for (WeightSpec spec : layer.weights()) {
                ours.add(layer.name() + "/" + spec.name());
            }
        }
        List<String> keras = c.weights().stream().map(w -> w.layer() + "/" + w.name()).toList();
        if (!ours.equals(keras)) {
            throw new AssertionError("weights " + ours + ", Keras " + keras);
        }
        return c.weights().stream().map(w -> array(w.array())).toList();
    }

    static double compare(String where, float[] want, float[] got) {
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            if (Float.isNaN(want[i]) != Float.isNaN(got[i])) {
                throw new AssertionError(where + ": value " + i + " is " + got[i] + ", Keras " + want[i]);
            }
            if (Float.isNaN(want[i])) {
                continue;
            }
            double error = want[i] == got[i] ? 0 : Math.abs(got[i] - want[i]) / Math.max(1.0, Math.abs(want[i]));
            if (!(error <= TOLERANCE)) {
                throw new AssertionError(where + ": value " + i + " is " + got[i] + ", Keras " + want[i]
                        + " (error " + String.format("%.2g", error) + ")");
            }
            worst = Math.max(worst, error);
        }
        return worst;
    }

    /** {@code {"shape": [...], "data": [...]}} as a float32 array; each decimal is read as a double, then rounded. */
    public static INDArray array(JsonNode node) {
        long[] shape = new long[node.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = node.get("shape").get(i).asLong();
        }
        JsonNode data = node.get("data");
        float[] values = new float[data.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode v = data.get(i);
            values[i] = v.isNumber() ? (float) v.asDouble() : Float.parseFloat(v.asText());
        }
        return Nd4j.create(values, shape, 'c');
    }
}
