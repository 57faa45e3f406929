package org.shapelab.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.shapelab.layers.Activation;
import org.shapelab.layers.Add;
import org.shapelab.layers.Average;
import org.shapelab.layers.AveragePooling2D;
import org.shapelab.layers.BatchNormalization;
import org.shapelab.layers.Bidirectional;
import org.shapelab.layers.Concatenate;
import org.shapelab.layers.Conv1D;
import org.shapelab.layers.Conv2D;
import org.shapelab.layers.Dense;
import org.shapelab.layers.Dot;
import org.shapelab.layers.Embedding;
import org.shapelab.layers.Flatten;
import org.shapelab.layers.GRU;
import org.shapelab.layers.GlobalAveragePooling1D;
import org.shapelab.layers.GlobalMaxPooling2D;
import org.shapelab.layers.Input;
import org.shapelab.layers.LSTM;
import org.shapelab.layers.Layer;
import org.shapelab.layers.Masking;
import org.shapelab.layers.MaxPooling2D;
import org.shapelab.layers.Maximum;
import org.shapelab.layers.Minimum;
import org.shapelab.layers.Multiply;
import org.shapelab.layers.RepeatVector;
import org.shapelab.layers.Subtract;
import org.shapelab.layers.Tensor;
import org.shapelab.layers.TimeDistributed;
import org.shapelab.shape.Shape;

/**
 * The models of src/test/resources/keras-reference/keras3-summaries/ (written by
 * tools/keras-reference/keras3-summaries.py with real Keras 3), built with ShapeLab as index.json describes them.
 */
final class Keras3Fixtures {

    static final String DIR = "/keras-reference/keras3-summaries/";

    private Keras3Fixtures() {
    }

    /** Fixture id to a fresh ShapeLab model (fresh layers each call, so auto-names start anew). */
    static Map<String, Supplier<Model>> models() {
        Map<String, Supplier<Model>> models = new LinkedHashMap<>();
        models.put("seq_mlp", () -> Sequential.input(784).dense(512, "relu").dropout(0.2).dense(10, "softmax"));
        models.put("seq_cnn", () -> Sequential.input(28, 28, 1).conv2d(32, 3, "relu").maxPooling2d(2)
                .conv2d(64, 3, "relu").maxPooling2d(2).flatten().dropout(0.5).dense(10, "softmax"));
        models.put("seq_cnn_channels_first", () -> Sequential.input(3, 32, 32)
                .add(new Conv2D(16, 3).padding("same").dataFormat("channels_first"))
                .add(new MaxPooling2D(2).dataFormat("channels_first"))
                .add(new Conv2D(32, 3, 5).strides(2).activation("relu").dataFormat("channels_first"))
                .add(new AveragePooling2D(2).strides(1).dataFormat("channels_first"))
                .add(new Flatten().dataFormat("channels_first")).dense(10));
        models.put("seq_global_pooling", () -> Sequential.input(16, 16, 8).add(new GlobalMaxPooling2D().keepdims(true))
                .reshape(8, 1).add(new GlobalAveragePooling1D().dataFormat("channels_first")).dense(2));
        models.put("seq_conv1d", () -> Sequential.input(100, 2).conv1d(16, 5, "relu").maxPooling1d(2)
                .add(new Conv1D(32, 3).padding("same").strides(2))
                .add(new Conv1D(8, 2).padding("causal").dilationRate(2)).globalMaxPooling1d().dense(1));
        models.put("seq_reshape_permute", () -> Sequential.input(12).reshape(3, -1).permute(2, 1).flatten().dense(2));
        models.put("seq_batchnorm", () -> Sequential.input(32, 32, 3).add(new Conv2D(16, 3).useBias(false))
                .batchNormalization().activation("relu").globalAveragePooling2d()
                .add(new BatchNormalization().center(false)).dense(10, "softmax"));
        models.put("seq_embedding_lstm", () -> Sequential.input(20).add(new Embedding(1000, 64).maskZero(true))
                .lstm(32).dense(1, "sigmoid"));
        models.put("seq_rnns", () -> Sequential.input(Shape.NONE, 8).simpleRnn(16, true)
                .add(new GRU(16, true).goBackwards(true)).add(new GRU(12, true).resetAfter(false).activation("relu"))
                .add(new LSTM(8).unitForgetBias(false).recurrentActivation("hard_sigmoid").useBias(false)));
        models.put("seq_time_distributed", () -> Sequential.input(5, 28, 28, 1)
                .timeDistributed(new Conv2D(8, 3, "relu")).timeDistributed(new MaxPooling2D(2))
                .timeDistributed(new Flatten()).lstm(16, true).timeDistributed(new Dense(4)));
        models.put("seq_bidirectional", () -> Sequential.input(Shape.NONE, 4).add(new Masking())
                .add(new Bidirectional(new LSTM(16, true))).add(new Bidirectional(new GRU(8), "sum"))
                .add(new RepeatVector(3)).lstm(4, true));
        models.put("seq_zero_params", () -> Sequential.input(4, 4, 3).flatten().reshape(16, 3).add(new Masking(-1.0))
                .dropout(0.1));
        models.put("seq_large", () -> Sequential.input(64, 64, 3).conv2d(64, 3, "relu").maxPooling2d(4).flatten()
                .dense(4096, "relu").dense(4096, "relu").dense(1000, "softmax"));
        models.put("seq_long_names", () -> new Sequential("a_sequential_model_with_a_long_name")
                .add(new Dense(8).name("first_hidden_layer_wide").inputShape(6, 4))
                .add(new Dense(8).name("a_layer_name_longer_than_the_whole_column"))
                .add(new GlobalAveragePooling1D()).add(new Dense(2).name("out")));
        models.put("seq_fixed_batch", () -> Sequential.input(Input.shape(10, 8).batchSize(32))
                .add(new LSTM(16, true).stateful(true)).add(new LSTM(8).stateful(true)).dense(1));
        models.put("seq_named", () -> new Sequential("classifier").add(new Dense(4, "tanh").name("hidden").inputShape(3))
                .add(new Dense(2).name("logits")).add(new Activation("softmax")));
        models.put("fn_chain", () -> {
            Input x = Input.shape(16);
            return Model.of(x, new Dense(1).apply(new Dense(8, "relu").apply(x)));
        });
        models.put("fn_two_inputs", () -> {
            Input a = Input.shape(10);
            Input b = Input.shape(Shape.NONE, 8);
            Tensor x = new Dense(16, "relu").apply(a);
            Tensor y = new LSTM(16).apply(b);
            return Model.of(List.of(a, b), List.of(new Dense(1).apply(new Concatenate().apply(x, y))));
        });
        models.put("fn_residual", () -> {
            Input x = Input.shape(32);
            Tensor h = new Dense(32).apply(new Dense(32, "relu").apply(x));
            return Model.of(x, new Dense(4).apply(new Add().apply(x, h)));
        });
        models.put("fn_shared", () -> {
            Input a = Input.shape(8);
            Input b = Input.shape(8);
            Layer shared = new Dense(16, "relu").name("shared");
            Tensor sa = shared.apply(a);
            Tensor sb = shared.apply(b);
            Tensor d = new Subtract().apply(sa, sb);
            Tensor cos = new Dot(1).normalize(true).apply(sa, sb);
            return Model.of("siamese", List.of(a, b), List.of(new Dense(1).apply(new Concatenate().apply(d, cos))));
        });
        models.put("fn_multi_output", () -> {
            Input x = Input.shape(64);
            Tensor h = new Dense(32, "relu").apply(x);
            return Model.of(List.of(x), List.of(new Dense(10, "softmax").name("class_out").apply(h),
                    new Dense(1).name("score_out").apply(h)));
        });
        models.put("fn_encoder_decoder", () -> {
            Input enc = Input.shape(Shape.NONE, 8);
            Input dec = Input.shape(Shape.NONE, 4);
            List<Tensor> e = new LSTM(16).returnState(true).applyAll(enc);
            Tensor d = new LSTM(16, true).applyWithInitialState(dec, e.get(1), e.get(2)).get(0);
            List<Tensor> g = new GRU(8).returnState(true).applyAll(d);
            return Model.of(List.of(enc, dec), List.of(new Dense(4, "softmax").apply(g.get(0)), g.get(1)));
        });
        models.put("fn_bidirectional_none", () -> {
            Input x = Input.shape(10, 8);
            List<Tensor> fb = new Bidirectional(new LSTM(8, true), Bidirectional.MergeMode.NONE).applyAll(x);
            Tensor avg = new Average().apply(fb.get(0), fb.get(1));
            List<Tensor> s = new Bidirectional(new GRU(4).returnState(true)).applyAll(avg);
            return Model.of(List.of(x), List.of(new Dense(1).apply(s.get(0)), s.get(1), s.get(2)));
        });
        models.put("fn_merges", () -> {
            Input a = Input.shape(4, 6).name("left");
            Input b = Input.shape(4, 6);
            Input c = Input.shape(4, 6);
            Tensor m = new Multiply().apply(a, b, c);
            Tensor hi = new Maximum().apply(a, b);
            Tensor lo = new Minimum().apply(b, c);
            Tensor cat = new Concatenate(1).apply(m, hi, lo);
            return Model.of(List.of(a, b, c), List.of(new Flatten().apply(cat)));
        });
        models.put("fn_fixed_batch", () -> {
            Input a = Input.shape(10, 8).batchSize(4);
            Input b = Input.shape(3).batchSize(4);
            Tensor g = new GRU(6).stateful(true).apply(a);
            Tensor r = new RepeatVector(5).apply(new Concatenate().apply(g, b));
            return Model.of(List.of(a, b), List.of(new TimeDistributed(new Dense(2)).apply(r)));
        });
        models.put("fn_long_names", () -> {
            Input a = Input.shape(12).name("numeric_features");
            Input b = Input.shape(12).name("categorical_features");
            Tensor x = new Dense(12).name("numeric_projection_layer").apply(a);
            Tensor y = new Dense(12).name("a_categorical_projection_with_a_very_long_name").apply(b);
            Tensor s = new Add().name("sum_of_both_projections").apply(x, y, a, b);
            return Model.of("model_with_long_names", List.of(a, b), List.of(new Dense(3).apply(s)));
        });
        return models;
    }

    /** The ids index.json lists, in its order. */
    static List<String> indexIds() throws IOException {
        JsonNode index = new ObjectMapper().readTree(resource("index.json"));
        List<String> ids = new ArrayList<>();
        index.path("models").forEach(entry -> ids.add(entry.path("id").asText()));
        return ids;
    }

    static String resource(String name) throws IOException {
        try (InputStream in = Keras3Fixtures.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IOException("missing test resource " + DIR + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
