"""Keras 3 references for losses and metrics under an output's mask (ShapeLab: src/test/resources/keras-reference/
masked-loss.json, read by KerasGraphTrainingTest): a model whose output carries a Keras mask (Masking or
Embedding(mask_zero=True) before a recurrent layer with return_sequences) averages its loss, and its metrics, over the
real steps only. TensorFlow.js averages over every step, so these references come from Keras 3 itself.

Run with a Python that has Keras 3 (any backend), e.g.:  /tmp/kv/bin/python tools/keras-reference/masked-loss-keras3.py
CI does not run it; the fixture is committed. Same schema as training-graphs.json, plus evaluate_first_batch_metrics.
"""
import json
import os
import pathlib

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parents[2] / "src" / "test" / "resources" / "keras-reference" / "masked-loss.json"
rng = np.random.default_rng(20261201)


def array(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "data": [float(f"{v:.9g}") for v in a.reshape(-1)]}


def weights_of(model):
    out = []
    for layer in model.layers:
        for variable in layer.weights:
            out.append({"layer": layer.name, "name": variable.path.split("/")[-1], **array(variable.numpy())})
    return out


def padded(batch, steps, features, real):
    """Random steps, each sample's steps from real[i] on all 0 (padding); one sample may be fully padded."""
    x = rng.uniform(-1, 1, size=(batch, steps, features)).astype(np.float32)
    for i, n in enumerate(real):
        x[i, n:] = 0
    return x


def optimizer(name):
    return {"sgd": (keras.optimizers.SGD(0.1), {"name": "sgd", "learning_rate": 0.1}),
            "adam": (keras.optimizers.Adam(0.01), {"name": "adam", "learning_rate": 0.01}),
            "rmsprop": (keras.optimizers.RMSprop(0.01), {"name": "rmsprop", "learning_rate": 0.01})}[name]


def case(case_id, model, losses, opt_name, batches, metrics=()):
    opt, opt_config = optimizer(opt_name)
    keras_losses = [keras.losses.get(l["name"]) if not l["from_logits"] else
                    keras.losses.SparseCategoricalCrossentropy(from_logits=True) for l in losses]
    model.compile(optimizer=opt, loss=keras_losses if len(keras_losses) > 1 else keras_losses[0],
                  metrics=list(metrics) if len(losses) == 1 else None)
    initial = weights_of(model)
    step_losses = []
    for x, y in batches:
        result = model.train_on_batch(x if len(x) > 1 else x[0], y if len(y) > 1 else y[0])
        step_losses.append(float(np.atleast_1d(result)[0]))
    x0, y0 = batches[0]
    evaluated = model.evaluate(x0 if len(x0) > 1 else x0[0], y0 if len(y0) > 1 else y0[0],
                               batch_size=len(y0[0]), verbose=0, return_dict=True)
    return {"id": case_id, "oracle": f"keras {keras.__version__} ({keras.backend.backend()})",
            "model": json.loads(model.to_json()), "optimizer": opt_config, "losses_config": losses,
            "initial_weights": initial,
            "batches": [{"x": [array(a) for a in x], "y": [array(a) for a in y]} for x, y in batches],
            "losses": step_losses, "final_weights": weights_of(model),
            "evaluate_first_batch_loss": float(evaluated["loss"]),
            "evaluate_first_batch_metrics": {k: float(v) for k, v in evaluated.items() if k != "loss"}}


def main():
    keras.utils.set_random_seed(7)
    cases = []
    mse = {"name": "mean_squared_error", "from_logits": False}

    m = keras.Sequential([keras.Input((5, 2)), keras.layers.Masking(0.0), keras.layers.SimpleRNN(3, return_sequences=True)])
    cases.append(case("masked_simple_rnn_sequences_mse", m, [mse], "sgd",
                      [([padded(b, 5, 2, real)], [rng.uniform(-1, 1, (b, 5, 3))])
                       for b, real in [(3, [5, 3, 1]), (1, [2]), (4, [4, 5, 2, 3])]], metrics=["mae"]))

    m = keras.Sequential([keras.Input((6,)), keras.layers.Embedding(7, 3, mask_zero=True),
                          keras.layers.LSTM(4, return_sequences=True), keras.layers.TimeDistributed(keras.layers.Dense(5))])
    tokens = lambda b, real: np.array([[rng.integers(1, 7) if t < n else 0 for t in range(6)] for n in real], np.float32)
    cases.append(case("masked_embedding_lstm_time_distributed_sparse_logits", m,
                      [{"name": "sparse_categorical_crossentropy", "from_logits": True}], "adam",
                      [([tokens(b, real)], [rng.integers(0, 5, (b, 6)).astype(np.float32)])
                       for b, real in [(3, [6, 2, 4]), (2, [1, 5]), (3, [3, 3, 6])]], metrics=["accuracy"]))

    m = keras.Sequential([keras.Input((4, 3)), keras.layers.Masking(0.0), keras.layers.GRU(3, return_sequences=True),
                          keras.layers.Dense(1, activation="sigmoid")])
    cases.append(case("masked_gru_dense_binary_crossentropy", m, [{"name": "binary_crossentropy", "from_logits": False}],
                      "rmsprop",
                      [([padded(b, 4, 3, real)], [rng.integers(0, 2, (b, 4, 1)).astype(np.float32)])
                       for b, real in [(3, [4, 2, 3]), (2, [1, 4]), (5, [4, 3, 2, 1, 4])]], metrics=["accuracy"]))

    x = keras.Input((5, 2))
    masked = keras.layers.Masking(0.0)(x)
    sequence = keras.layers.SimpleRNN(2, return_sequences=True)(masked)
    last = keras.layers.GRU(2)(masked)
    m = keras.Model(x, [sequence, last])
    cases.append(case("masked_two_outputs_sequence_and_last_step", m,
                      [mse, {"name": "mean_absolute_error", "from_logits": False}], "sgd",
                      [([padded(b, 5, 2, real)], [rng.uniform(-1, 1, (b, 5, 2)), rng.uniform(-1, 1, (b, 2))])
                       for b, real in [(2, [5, 2]), (3, [1, 4, 5]), (1, [3])]]))

    OUT.write_text(json.dumps({"generator": "tools/keras-reference/masked-loss-keras3.py",
                               "keras_version": keras.__version__, "cases": cases}, indent=None) + "\n")
    print(f"wrote {OUT} ({len(cases)} cases)")


if __name__ == "__main__":
    main()
