"""Writes model files with real Keras 3 (JAX backend) for ShapeLab's io tests.

    KERAS_BACKEND=jax /tmp/kv/bin/python tools/model-files/keras3.py src/test/resources/model-files/keras3

For each model NAME it writes, with Keras's own saving code:
  NAME.keras          model.save("NAME.keras")          (keras/src/saving/saving_lib.py: save_model)
  NAME.h5             model.save("NAME.h5")             (keras/src/legacy/saving/legacy_h5_format.py:
                                                          save_model_to_hdf5)
  NAME.weights.h5     model.save_weights("NAME.weights.h5") (saving_lib.py: save_weights_only)
  NAME.json           {"x": [inputs...], "y": [outputs...], "keras_version": ...}: the reference predictions
                      of Keras itself for the inputs x.
Weights are drawn from a fixed seed (BatchNormalization's moving statistics too, so inference uses them).
CI does not run this (it needs Keras); the files it wrote are committed.
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np
import keras
from keras import layers

out = sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/model-files/keras3"
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(13)


def randomize(model):
    weights = []
    for w in model.weights:
        shape = tuple(w.shape)
        if "moving_variance" in w.path:
            weights.append(rng.uniform(0.5, 1.5, shape).astype("float32"))
        else:
            weights.append(rng.uniform(-0.5, 0.5, shape).astype("float32"))
    # model.weights is in get_weights() order for these models; set them by variable.
    for variable, value in zip(model.weights, weights):
        variable.assign(value)


def models():
    yield "dense_conv2d_bn", keras.Sequential([
        keras.Input((8, 8, 2)),
        layers.Conv2D(4, 3, activation="relu"),
        layers.BatchNormalization(),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(5, activation="tanh"),
        layers.Dense(3),
    ]), [rng.uniform(-1, 1, (2, 8, 8, 2))]

    yield "embedding_conv1d_rnn", keras.Sequential([
        keras.Input((7,)),
        layers.Embedding(11, 4),
        layers.Conv1D(5, 3, padding="same", activation="relu"),
        layers.LSTM(4, return_sequences=True),
        layers.GRU(3),  # reset_after=True, Keras 3's default
        layers.Dense(2),
    ]), [rng.integers(0, 11, (3, 7))]

    yield "wrappers", keras.Sequential([
        keras.Input((6, 3)),
        layers.TimeDistributed(layers.Dense(4, activation="relu")),
        layers.Bidirectional(layers.LSTM(3, return_sequences=True)),
        layers.Bidirectional(layers.GRU(2), merge_mode="sum"),
        layers.Dense(1),
    ]), [rng.uniform(-1, 1, (2, 6, 3))]

    a = keras.Input((5,), name="numbers")
    b = keras.Input((4, 3), name="steps")
    d1 = layers.Dense(4, activation="relu")(a)
    d2 = layers.Dense(4)(a)
    added = layers.Add()([d1, d2])
    r = layers.GRU(4, reset_after=False)(b)
    joined = layers.Concatenate()([added, r])
    normed = layers.BatchNormalization()(joined)
    out1 = layers.Dense(2, name="score")(normed)
    out2 = layers.Multiply()([layers.Dense(4)(normed), d2])
    yield "functional_merges", keras.Model([a, b], [out1, out2], name="two_heads"), [
        rng.uniform(-1, 1, (3, 5)), rng.uniform(-1, 1, (3, 4, 3))]

    # Compiled and trained, as instructors' files usually are: the .keras then also holds compile_config and the
    # optimizer's variables (optimizer/vars), the .h5 training_config and optimizer_weights, which ShapeLab skips.
    trained = keras.Sequential([keras.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(3)])
    trained.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                    metrics=["accuracy"])
    trained.fit(rng.uniform(-1, 1, (32, 4)).astype("float32"), rng.integers(0, 3, (32,)), epochs=2, verbose=0)
    yield "trained_dense", trained, [rng.uniform(-1, 1, (3, 4))]


for name, model, xs in models():
    if name != "trained_dense":
        randomize(model)
    xs = [x.astype("int32") if x.dtype.kind == "i" else x.astype("float32") for x in xs]
    ys = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    ys = ys if isinstance(ys, list) else [ys]
    model.save(os.path.join(out, name + ".keras"))
    model.save(os.path.join(out, name + ".h5"))
    model.save_weights(os.path.join(out, name + ".weights.h5"))
    # Keras reads back what it wrote, with the same predictions.
    for suffix in (".keras", ".h5"):
        back = keras.models.load_model(os.path.join(out, name + suffix))
        again = back.predict(xs if len(xs) > 1 else xs[0], verbose=0)
        again = again if isinstance(again, list) else [again]
        for y, z in zip(ys, again):
            assert np.allclose(y, z, atol=1e-6), (name, suffix)
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump({"keras_version": keras.__version__, "backend": keras.backend.backend(),
                   "x": [x.tolist() for x in xs], "y": [np.asarray(y).astype("float64").tolist() for y in ys]}, f)
    print(name, [tuple(np.shape(y)) for y in ys])
