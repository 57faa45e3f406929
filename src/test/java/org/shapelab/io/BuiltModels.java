package org.shapelab.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.shapelab.layers.Average;
import org.shapelab.layers.AveragePooling2D;
import org.shapelab.layers.BatchNormalization;
import org.shapelab.layers.Concatenate;
import org.shapelab.layers.Conv1D;
import org.shapelab.layers.Conv2D;
import org.shapelab.layers.Dense;
import org.shapelab.layers.Dot;
import org.shapelab.layers.Dropout;
import org.shapelab.layers.GlobalMaxPooling1D;
import org.shapelab.layers.Input;
import org.shapelab.layers.LSTM;
import org.shapelab.layers.MaxPooling1D;
import org.shapelab.layers.Maximum;
import org.shapelab.layers.Minimum;
import org.shapelab.layers.Permute;
import org.shapelab.layers.RepeatVector;
import org.shapelab.layers.Reshape;
import org.shapelab.layers.SimpleRNN;
import org.shapelab.layers.Subtract;
import org.shapelab.layers.Tensor;
import org.shapelab.model.Model;
import org.shapelab.model.Sequential;

/**
 * Models built in Java (not read from Keras) with the layers and calls the Keras-made files do not have, for
 * {@code save}: SimpleRNN, causal dilated Conv1D, pooling, Dropout, RepeatVector, strided same Conv2D, Reshape,
 * Permute, an LSTM's returned states passed as another's initial state, and the other merges.
 */
final class BuiltModels {

    private BuiltModels() {
    }

    static Map<String, Model> all() {
        Map<String, Model> models = new LinkedHashMap<>();
        models.put("built_sequence", Sequential.input(12, 3).add(new SimpleRNN(4, true))
                .add(new Conv1D(3, 2).padding("causal").dilationRate(2)).add(new MaxPooling1D(2))
                .add(new Dropout(0.3)).add(new GlobalMaxPooling1D()).add(new RepeatVector(2))
                .add(new LSTM(2)).dense(1, "sigmoid").seed(1));
        models.put("built_image", Sequential.input(9, 9, 2).add(new Conv2D(3, 3).strides(2).padding("same"))
                .add(new BatchNormalization()).add(new AveragePooling2D(2)).add(new Reshape(4, 3))
                .add(new Permute(2, 1)).flatten().dense(2, "softmax").seed(2));

        Input steps = Input.shape(6, 3).name("steps");
        Input more = Input.shape(6, 3).name("more_steps");
        Input numbers = Input.shape(5).name("numbers");
        List<Tensor> encoded = new LSTM(4).returnState(true).applyAll(steps);
        Tensor decoded = new LSTM(4).applyWithInitialState(more, encoded.get(1), encoded.get(2)).get(0);
        Tensor d = new Dense(4, "tanh").apply(numbers);
        Tensor sub = new Subtract().apply(decoded, encoded.get(0));
        Tensor avg = new Average().apply(sub, d);
        Tensor max = new Maximum().apply(avg, encoded.get(1));
        Tensor min = new Minimum().apply(max, d);
        Tensor dot = new Dot(1).apply(min, decoded);
        Tensor joined = new Concatenate().apply(min, dot, encoded.get(2));
        models.put("built_graph", Model.of("built_graph", List.of(steps, more, numbers),
                List.of(new Dense(2).apply(joined), dot)));
        ((org.shapelab.model.Functional) models.get("built_graph")).seed(3);
        return models;
    }

    /** Seeded inputs for a model, one array per input, a batch of 3. */
    static List<INDArray> inputs(Model model, long seed) {
        Random random = new Random(seed);
        List<INDArray> inputs = new ArrayList<>();
        for (var shape : model.inputShapes()) {
            int[] dims = shape.dims();
            long[] batch = new long[dims.length];
            batch[0] = 3;
            int n = 3;
            for (int i = 1; i < dims.length; i++) {
                batch[i] = dims[i];
                n *= dims[i];
            }
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = (float) (random.nextDouble() * 2 - 1);
            }
            inputs.add(Nd4j.create(values, batch, 'c'));
        }
        return inputs;
    }
}
