"""Writes Keras 3's own model.summary() text for a spread of models, the fixtures of ShapeLab's Keras 3 summary.

For every model below it runs the model's Keras 3 source in a fresh Keras session (keras.backend.clear_session(), so
that automatic names start at dense, dense_1, ... as in a new notebook) and writes to
src/test/resources/keras-reference/keras3-summaries/:

- <id>.txt: the exact text model.summary() prints, captured with print_fn (the same characters that plain
  model.summary() prints to a notebook or a non-terminal: rich without colours, no ANSI codes);
- <id>.py: the model's Keras 3 source, which ShapeLab's toKerasPython() is compared with;
- index.json: per model its id, what it covers, the equivalent ShapeLab construction (Java) and the file names.

The width is Keras's default where no terminal is attached: min(88, 80 - 4) = 76 columns for Sequential-like models
and min(108, 76) = 76 for the four-column functional layout (shutil.get_terminal_size() falls back to 80 columns;
COLUMNS=80 is set here so that a wide terminal does not change it).

Needs Keras 3 (any backend; JAX is used when none is set). Not run by CI; the fixtures are committed. Re-run:

    KERAS_BACKEND=jax /tmp/kv/bin/python tools/keras-reference/keras3-summaries.py

Output is byte-identical on every run with the same Keras version (index.json records it).
"""
import json
import os
import pathlib
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ["COLUMNS"] = "80"  # what shutil.get_terminal_size() gives a process without a terminal
os.environ.pop("LINES", None)

import keras  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "src" / "test" / "resources" / "keras-reference" / "keras3-summaries"


def seq(*lines, name=None):
    """Keras 3 source of a Sequential model, one constructor a line, in toKerasPython()'s layout."""
    body = "".join(f"    {line},\n" for line in lines)
    tail = "])" if name is None else f'], name="{name}")'
    return f"import keras\n\nmodel = keras.Sequential([\n{body}{tail}\n"


def fn(*lines):
    """Keras 3 source of a functional model: one statement a line."""
    return "import keras\n\n" + "".join(line + "\n" for line in lines)


# (id, what it covers, ShapeLab construction, Keras 3 source)
MODELS = [
    ("seq_mlp", "Dense and Dropout, counts in the hundred thousands (KB sizes)",
     'Sequential.input(784).dense(512, "relu").dropout(0.2).dense(10, "softmax")',
     seq("keras.Input(shape=(784,))",
         'keras.layers.Dense(512, activation="relu")',
         "keras.layers.Dropout(0.2)",
         'keras.layers.Dense(10, activation="softmax")')),
    ("seq_cnn", "Conv2D channels_last, MaxPooling2D, Flatten, Dropout",
     'Sequential.input(28, 28, 1).conv2d(32, 3, "relu").maxPooling2d(2).conv2d(64, 3, "relu").maxPooling2d(2)'
     '.flatten().dropout(0.5).dense(10, "softmax")',
     seq("keras.Input(shape=(28, 28, 1))",
         'keras.layers.Conv2D(32, 3, activation="relu")',
         "keras.layers.MaxPooling2D(2)",
         'keras.layers.Conv2D(64, 3, activation="relu")',
         "keras.layers.MaxPooling2D(2)",
         "keras.layers.Flatten()",
         "keras.layers.Dropout(0.5)",
         'keras.layers.Dense(10, activation="softmax")')),
    ("seq_cnn_channels_first", "Conv2D, pooling and Flatten with data_format channels_first, strides, padding same",
     'Sequential.input(3, 32, 32).add(new Conv2D(16, 3).padding("same").dataFormat("channels_first"))'
     '.add(new MaxPooling2D(2).dataFormat("channels_first"))'
     '.add(new Conv2D(32, 3, 5).strides(2).activation("relu").dataFormat("channels_first"))'
     '.add(new AveragePooling2D(2).strides(1).dataFormat("channels_first"))'
     '.add(new Flatten().dataFormat("channels_first")).dense(10)',
     seq("keras.Input(shape=(3, 32, 32))",
         'keras.layers.Conv2D(16, 3, padding="same", data_format="channels_first")',
         'keras.layers.MaxPooling2D(2, data_format="channels_first")',
         'keras.layers.Conv2D(32, (3, 5), strides=2, data_format="channels_first", activation="relu")',
         'keras.layers.AveragePooling2D(2, strides=1, data_format="channels_first")',
         'keras.layers.Flatten(data_format="channels_first")',
         "keras.layers.Dense(10)")),
    ("seq_global_pooling", "GlobalAveragePooling2D/GlobalMaxPooling2D, keepdims, channels_first global pooling",
     'Sequential.input(16, 16, 8).add(new GlobalMaxPooling2D().keepdims(true)).reshape(8, 1)'
     '.add(new GlobalAveragePooling1D().dataFormat("channels_first")).dense(2)',
     seq("keras.Input(shape=(16, 16, 8))",
         "keras.layers.GlobalMaxPooling2D(keepdims=True)",
         "keras.layers.Reshape((8, 1))",
         'keras.layers.GlobalAveragePooling1D(data_format="channels_first")',
         "keras.layers.Dense(2)")),
    ("seq_conv1d", "Conv1D with strides and padding same and causal, MaxPooling1D, GlobalMaxPooling1D",
     'Sequential.input(100, 2).conv1d(16, 5, "relu").maxPooling1d(2)'
     '.add(new Conv1D(32, 3).padding("same").strides(2)).add(new Conv1D(8, 2).padding("causal").dilationRate(2))'
     '.globalMaxPooling1d().dense(1)',
     seq("keras.Input(shape=(100, 2))",
         'keras.layers.Conv1D(16, 5, activation="relu")',
         "keras.layers.MaxPooling1D(2)",
         'keras.layers.Conv1D(32, 3, strides=2, padding="same")',
         'keras.layers.Conv1D(8, 2, padding="causal", dilation_rate=2)',
         "keras.layers.GlobalMaxPooling1D()",
         "keras.layers.Dense(1)")),
    ("seq_reshape_permute", "Reshape with -1, Permute, Flatten",
     "Sequential.input(12).reshape(3, -1).permute(2, 1).flatten().dense(2)",
     seq("keras.Input(shape=(12,))",
         "keras.layers.Reshape((3, -1))",
         "keras.layers.Permute((2, 1))",
         "keras.layers.Flatten()",
         "keras.layers.Dense(2)")),
    ("seq_batchnorm", "BatchNormalization's non-trainable moving mean and variance, Activation",
     'Sequential.input(32, 32, 3).add(new Conv2D(16, 3).useBias(false)).batchNormalization().activation("relu")'
     '.globalAveragePooling2d().add(new BatchNormalization().center(false)).dense(10, "softmax")',
     seq("keras.Input(shape=(32, 32, 3))",
         "keras.layers.Conv2D(16, 3, use_bias=False)",
         "keras.layers.BatchNormalization()",
         'keras.layers.Activation("relu")',
         "keras.layers.GlobalAveragePooling2D()",
         "keras.layers.BatchNormalization(center=False)",
         'keras.layers.Dense(10, activation="softmax")')),
    ("seq_embedding_lstm", "Embedding with mask_zero, LSTM, Dense sigmoid",
     'Sequential.input(20).add(new Embedding(1000, 64).maskZero(true)).lstm(32).dense(1, "sigmoid")',
     seq("keras.Input(shape=(20,))",
         "keras.layers.Embedding(1000, 64, mask_zero=True)",
         "keras.layers.LSTM(32)",
         'keras.layers.Dense(1, activation="sigmoid")')),
    ("seq_rnns", "SimpleRNN, GRU (reset_after True and False) and LSTM over a None time axis, RNN options",
     'Sequential.input(Shape.NONE, 8).simpleRnn(16, true).add(new GRU(16, true).goBackwards(true))'
     '.add(new GRU(12, true).resetAfter(false).activation("relu")).add(new LSTM(8).unitForgetBias(false)'
     '.recurrentActivation("hard_sigmoid").useBias(false))',
     seq("keras.Input(shape=(None, 8))",
         "keras.layers.SimpleRNN(16, return_sequences=True)",
         "keras.layers.GRU(16, return_sequences=True, go_backwards=True)",
         'keras.layers.GRU(12, activation="relu", return_sequences=True, reset_after=False)',
         'keras.layers.LSTM(8, recurrent_activation="hard_sigmoid", use_bias=False, unit_forget_bias=False)')),
    ("seq_time_distributed", "TimeDistributed around Conv2D, Flatten and Dense, then LSTM",
     'Sequential.input(5, 28, 28, 1).timeDistributed(new Conv2D(8, 3, "relu")).timeDistributed(new MaxPooling2D(2))'
     '.timeDistributed(new Flatten()).lstm(16, true).timeDistributed(new Dense(4))',
     seq("keras.Input(shape=(5, 28, 28, 1))",
         'keras.layers.TimeDistributed(keras.layers.Conv2D(8, 3, activation="relu"))',
         "keras.layers.TimeDistributed(keras.layers.MaxPooling2D(2))",
         "keras.layers.TimeDistributed(keras.layers.Flatten())",
         "keras.layers.LSTM(16, return_sequences=True)",
         "keras.layers.TimeDistributed(keras.layers.Dense(4))")),
    ("seq_bidirectional", "Masking, Bidirectional LSTM (concat) and GRU (merge_mode sum), RepeatVector",
     'Sequential.input(Shape.NONE, 4).add(new Masking()).add(new Bidirectional(new LSTM(16, true)))'
     '.add(new Bidirectional(new GRU(8), "sum")).add(new RepeatVector(3)).lstm(4, true)',
     seq("keras.Input(shape=(None, 4))",
         "keras.layers.Masking()",
         "keras.layers.Bidirectional(keras.layers.LSTM(16, return_sequences=True))",
         'keras.layers.Bidirectional(keras.layers.GRU(8), merge_mode="sum")',
         "keras.layers.RepeatVector(3)",
         "keras.layers.LSTM(4, return_sequences=True)")),
    ("seq_zero_params", "a model without any weight: 0 (0.00 B)",
     "Sequential.input(4, 4, 3).flatten().reshape(16, 3).add(new Masking(-1.0)).dropout(0.1)",
     seq("keras.Input(shape=(4, 4, 3))",
         "keras.layers.Flatten()",
         "keras.layers.Reshape((16, 3))",
         "keras.layers.Masking(mask_value=-1.0)",
         "keras.layers.Dropout(0.1)")),
    ("seq_large", "tens of millions of parameters: thousands separators, MB sizes",
     'Sequential.input(64, 64, 3).conv2d(64, 3, "relu").maxPooling2d(4).flatten().dense(4096, "relu")'
     '.dense(4096, "relu").dense(1000, "softmax")',
     seq("keras.Input(shape=(64, 64, 3))",
         'keras.layers.Conv2D(64, 3, activation="relu")',
         "keras.layers.MaxPooling2D(4)",
         "keras.layers.Flatten()",
         'keras.layers.Dense(4096, activation="relu")',
         'keras.layers.Dense(4096, activation="relu")',
         'keras.layers.Dense(1000, activation="softmax")')),
    ("seq_long_names", "long layer names: wrapped at the space, cut with an ellipsis, long class names, model name",
     'new Sequential("a_sequential_model_with_a_long_name").add(new Dense(8).name("first_hidden_layer_wide")'
     '.inputShape(6, 4)).add(new Dense(8).name("a_layer_name_longer_than_the_whole_column"))'
     '.add(new GlobalAveragePooling1D()).add(new Dense(2).name("out"))',
     seq("keras.Input(shape=(6, 4))",
         'keras.layers.Dense(8, name="first_hidden_layer_wide")',
         'keras.layers.Dense(8, name="a_layer_name_longer_than_the_whole_column")',
         "keras.layers.GlobalAveragePooling1D()",
         'keras.layers.Dense(2, name="out")',
         name="a_sequential_model_with_a_long_name")),
    ("seq_fixed_batch", "a fixed batch size (stateful LSTMs), shown as the number",
     "Sequential.input(Input.shape(10, 8).batchSize(32)).add(new LSTM(16, true).stateful(true))"
     ".add(new LSTM(8).stateful(true)).dense(1)",
     seq("keras.Input(shape=(10, 8), batch_size=32)",
         "keras.layers.LSTM(16, return_sequences=True, stateful=True)",
         "keras.layers.LSTM(8, stateful=True)",
         "keras.layers.Dense(1)")),
    ("seq_named", "model and layer names given",
     'new Sequential("classifier").add(new Dense(4, "tanh").name("hidden").inputShape(3))'
     '.add(new Dense(2).name("logits")).add(new Activation("softmax"))',
     seq("keras.Input(shape=(3,))",
         'keras.layers.Dense(4, activation="tanh", name="hidden")',
         'keras.layers.Dense(2, name="logits")',
         'keras.layers.Activation("softmax")',
         name="classifier")),
    ("fn_chain", "a functional chain: Keras 3 prints it in the three-column layout, InputLayer row included",
     'Input x = Input.shape(16); Model.of(x, new Dense(1).apply(new Dense(8, "relu").apply(x)))',
     fn("input_layer = keras.Input(shape=(16,))",
        'dense = keras.layers.Dense(8, activation="relu")(input_layer)',
        "dense_1 = keras.layers.Dense(1)(dense)",
        "model = keras.Model(inputs=input_layer, outputs=dense_1)")),
    ("fn_two_inputs", "two inputs, Concatenate, Connected to",
     'Input a = Input.shape(10); Input b = Input.shape(Shape.NONE, 8); Tensor x = new Dense(16, "relu").apply(a);'
     ' Tensor y = new LSTM(16).apply(b); Model.of(List.of(a, b), List.of(new Dense(1).apply(new Concatenate()'
     '.apply(x, y))))',
     fn("input_layer = keras.Input(shape=(10,))",
        "input_layer_1 = keras.Input(shape=(None, 8))",
        'dense = keras.layers.Dense(16, activation="relu")(input_layer)',
        "lstm = keras.layers.LSTM(16)(input_layer_1)",
        "concatenate = keras.layers.Concatenate()([dense, lstm])",
        "dense_1 = keras.layers.Dense(1)(concatenate)",
        "model = keras.Model(inputs=[input_layer, input_layer_1], outputs=dense_1)")),
    ("fn_residual", "a residual Add of the input and a branch",
     'Input x = Input.shape(32); Tensor h = new Dense(32).apply(new Dense(32, "relu").apply(x));'
     ' Model.of(x, new Dense(4).apply(new Add().apply(x, h)))',
     fn("input_layer = keras.Input(shape=(32,))",
        'dense = keras.layers.Dense(32, activation="relu")(input_layer)',
        "dense_1 = keras.layers.Dense(32)(dense)",
        "add = keras.layers.Add()([input_layer, dense_1])",
        "dense_2 = keras.layers.Dense(4)(add)",
        "model = keras.Model(inputs=input_layer, outputs=dense_2)")),
    ("fn_shared", "a layer shared by two branches (nodes [0] and [1]), Subtract, Dot normalize",
     'Input a = Input.shape(8); Input b = Input.shape(8); Layer shared = new Dense(16, "relu").name("shared");'
     ' Tensor sa = shared.apply(a); Tensor sb = shared.apply(b); Tensor d = new Subtract().apply(sa, sb);'
     ' Tensor cos = new Dot(1).normalize(true).apply(sa, sb);'
     ' Model.of("siamese", List.of(a, b), List.of(new Dense(1).apply(new Concatenate().apply(d, cos))))',
     fn("input_layer = keras.Input(shape=(8,))",
        "input_layer_1 = keras.Input(shape=(8,))",
        'shared = keras.layers.Dense(16, activation="relu", name="shared")',
        "shared_out = shared(input_layer)",
        "shared_out_1 = shared(input_layer_1)",
        "subtract = keras.layers.Subtract()([shared_out, shared_out_1])",
        "dot = keras.layers.Dot(1, normalize=True)([shared_out, shared_out_1])",
        "concatenate = keras.layers.Concatenate()([subtract, dot])",
        "dense = keras.layers.Dense(1)(concatenate)",
        'model = keras.Model(inputs=[input_layer, input_layer_1], outputs=dense, name="siamese")')),
    ("fn_multi_output", "one input, two named outputs",
     'Input x = Input.shape(64); Tensor h = new Dense(32, "relu").apply(x);'
     ' Model.of(List.of(x), List.of(new Dense(10, "softmax").name("class_out").apply(h),'
     ' new Dense(1).name("score_out").apply(h)))',
     fn("input_layer = keras.Input(shape=(64,))",
        'dense = keras.layers.Dense(32, activation="relu")(input_layer)',
        'class_out = keras.layers.Dense(10, activation="softmax", name="class_out")(dense)',
        'score_out = keras.layers.Dense(1, name="score_out")(dense)',
        "model = keras.Model(inputs=input_layer, outputs=[class_out, score_out])")),
    ("fn_encoder_decoder", "LSTM return_state feeding a decoder's initial_state; GRU return_state as an output",
     'Input enc = Input.shape(Shape.NONE, 8); Input dec = Input.shape(Shape.NONE, 4);'
     ' List<Tensor> e = new LSTM(16).returnState(true).applyAll(enc);'
     ' Tensor d = new LSTM(16, true).applyWithInitialState(dec, e.get(1), e.get(2)).get(0);'
     ' List<Tensor> g = new GRU(8).returnState(true).applyAll(d);'
     ' Model.of(List.of(enc, dec), List.of(new Dense(4, "softmax").apply(g.get(0)), g.get(1)))',
     fn("input_layer = keras.Input(shape=(None, 8))",
        "input_layer_1 = keras.Input(shape=(None, 4))",
        "lstm, lstm_h, lstm_c = keras.layers.LSTM(16, return_state=True)(input_layer)",
        "lstm_1 = keras.layers.LSTM(16, return_sequences=True)(input_layer_1, initial_state=[lstm_h, lstm_c])",
        "gru, gru_h = keras.layers.GRU(8, return_state=True)(lstm_1)",
        'dense = keras.layers.Dense(4, activation="softmax")(gru)',
        "model = keras.Model(inputs=[input_layer, input_layer_1], outputs=[dense, gru_h])")),
    ("fn_bidirectional_none", "Bidirectional merge_mode=None (two outputs) joined by Average, and with return_state",
     'Input x = Input.shape(10, 8); List<Tensor> fb = new Bidirectional(new LSTM(8, true), MergeMode.NONE).applyAll(x);'
     ' Tensor avg = new Average().apply(fb.get(0), fb.get(1));'
     ' List<Tensor> s = new Bidirectional(new GRU(4).returnState(true)).applyAll(avg);'
     ' Model.of(List.of(x), List.of(new Dense(1).apply(s.get(0)), s.get(1), s.get(2)))',
     fn("input_layer = keras.Input(shape=(10, 8))",
        "bidirectional_forward, bidirectional_backward = keras.layers.Bidirectional("
        "keras.layers.LSTM(8, return_sequences=True), merge_mode=None)(input_layer)",
        "average = keras.layers.Average()([bidirectional_forward, bidirectional_backward])",
        "bidirectional_1, bidirectional_1_forward_h, bidirectional_1_backward_h = keras.layers.Bidirectional("
        "keras.layers.GRU(4, return_state=True))(average)",
        "dense = keras.layers.Dense(1)(bidirectional_1)",
        "model = keras.Model(inputs=input_layer, outputs=[dense, bidirectional_1_forward_h,"
        " bidirectional_1_backward_h])")),
    ("fn_merges", "Multiply, Maximum, Minimum, Concatenate(axis=1) on three inputs; a named input",
     'Input a = Input.shape(4, 6).name("left"); Input b = Input.shape(4, 6); Input c = Input.shape(4, 6);'
     ' Tensor m = new Multiply().apply(a, b, c); Tensor hi = new Maximum().apply(a, b);'
     ' Tensor lo = new Minimum().apply(b, c); Tensor cat = new Concatenate(1).apply(m, hi, lo);'
     ' Model.of(List.of(a, b, c), List.of(new Flatten().apply(cat)))',
     fn('left = keras.Input(shape=(4, 6), name="left")',
        "input_layer = keras.Input(shape=(4, 6))",
        "input_layer_1 = keras.Input(shape=(4, 6))",
        "multiply = keras.layers.Multiply()([left, input_layer, input_layer_1])",
        "maximum = keras.layers.Maximum()([left, input_layer])",
        "minimum = keras.layers.Minimum()([input_layer, input_layer_1])",
        "concatenate = keras.layers.Concatenate(axis=1)([multiply, maximum, minimum])",
        "flatten = keras.layers.Flatten()(concatenate)",
        "model = keras.Model(inputs=[left, input_layer, input_layer_1], outputs=flatten)")),
    ("fn_fixed_batch", "two inputs with a fixed batch size, stateful GRU, RepeatVector, TimeDistributed",
     'Input a = Input.shape(10, 8).batchSize(4); Input b = Input.shape(3).batchSize(4);'
     ' Tensor g = new GRU(6).stateful(true).apply(a); Tensor r = new RepeatVector(5).apply(new Concatenate()'
     '.apply(g, b)); Model.of(List.of(a, b), List.of(new TimeDistributed(new Dense(2)).apply(r)))',
     fn("input_layer = keras.Input(shape=(10, 8), batch_size=4)",
        "input_layer_1 = keras.Input(shape=(3,), batch_size=4)",
        "gru = keras.layers.GRU(6, stateful=True)(input_layer)",
        "concatenate = keras.layers.Concatenate()([gru, input_layer_1])",
        "repeat_vector = keras.layers.RepeatVector(5)(concatenate)",
        "time_distributed = keras.layers.TimeDistributed(keras.layers.Dense(2))(repeat_vector)",
        "model = keras.Model(inputs=[input_layer, input_layer_1], outputs=time_distributed)")),
    ("fn_long_names", "long names in the four-column layout: wrapped cells, an ellipsis, long Connected to",
     'Input a = Input.shape(12).name("numeric_features"); Input b = Input.shape(12).name("categorical_features");'
     ' Tensor x = new Dense(12).name("numeric_projection_layer").apply(a);'
     ' Tensor y = new Dense(12).name("a_categorical_projection_with_a_very_long_name").apply(b);'
     ' Tensor s = new Add().name("sum_of_both_projections").apply(x, y, a, b);'
     ' Model.of("model_with_long_names", List.of(a, b), List.of(new Dense(3).apply(s)))',
     fn('numeric_features = keras.Input(shape=(12,), name="numeric_features")',
        'categorical_features = keras.Input(shape=(12,), name="categorical_features")',
        'numeric_projection_layer = keras.layers.Dense(12, name="numeric_projection_layer")(numeric_features)',
        'a_categorical_projection_with_a_very_long_name = keras.layers.Dense(12,'
        ' name="a_categorical_projection_with_a_very_long_name")(categorical_features)',
        'sum_of_both_projections = keras.layers.Add(name="sum_of_both_projections")([numeric_projection_layer,'
        ' a_categorical_projection_with_a_very_long_name, numeric_features, categorical_features])',
        "dense = keras.layers.Dense(3)(sum_of_both_projections)",
        "model = keras.Model(inputs=[numeric_features, categorical_features], outputs=dense,"
        ' name="model_with_long_names")')),
]


def summary_of(source):
    keras.backend.clear_session()
    scope = {}
    exec(compile(source, "<model>", "exec"), scope)
    captured = []
    scope["model"].summary(print_fn=lambda text, **kwargs: captured.append(text))
    if len(captured) != 1:
        raise SystemExit(f"expected one print_fn call, got {len(captured)}")
    text = captured[0]
    if "\x1b" in text:
        raise SystemExit("the summary has ANSI escape codes")
    return text


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    index = {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "generator": "tools/keras-reference/keras3-summaries.py",
        "width": "Keras's default without a terminal: 76 columns",
        "models": [],
    }
    ids = set()
    for model_id, covers, java, source in MODELS:
        if model_id in ids:
            raise SystemExit(f"duplicate id {model_id}")
        ids.add(model_id)
        text = summary_of(source)
        (OUT / f"{model_id}.txt").write_text(text, encoding="utf-8")
        (OUT / f"{model_id}.py").write_text(source, encoding="utf-8")
        index["models"].append({
            "id": model_id,
            "kind": "sequential" if model_id.startswith("seq_") else "functional",
            "covers": covers,
            "shapelab": java,
            "summary": f"{model_id}.txt",
            "python": f"{model_id}.py",
        })
        print(f"{model_id}: {len(text.splitlines())} lines", file=sys.stderr)
    (OUT / "index.json").write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(MODELS)} models written to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
