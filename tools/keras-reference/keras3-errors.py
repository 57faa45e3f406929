"""The shape mistakes of notebooks 01-08, made in real Keras 3, and what Keras says about each.

Writes src/test/resources/keras-reference/keras3-errors.json: for every mistake its id, the Keras code that
makes it, and the exception Keras 3 raises (type and message). ShapeLab's messages quote these sentences
(ShapeException's "Keras 3:" line); Keras3ErrorWordingTest checks them word for word.

Run with a Keras 3 installation (any backend; the fixture was made with JAX):
    python3 -m venv /tmp/kv && /tmp/kv/bin/pip install keras jax h5py
    KERAS_BACKEND=jax /tmp/kv/bin/python tools/keras-reference/keras3-errors.py
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402

L = layers
rng = np.random.default_rng(1)


def seq(shape, *ls):
    return keras.Sequential([keras.Input(shape=shape), *ls])


SCENARIOS = {
    "conv2d_no_channel": ("Sequential([Input((28, 28)), Conv2D(32, 3)])", lambda: seq((28, 28), L.Conv2D(32, 3))),
    "conv1d_no_channel": ("Sequential([Input((1000,)), Conv1D(8, 3)])", lambda: seq((1000,), L.Conv1D(8, 3))),
    "lstm_no_time": ("Sequential([Input((8,)), LSTM(16)])", lambda: seq((8,), L.LSTM(16))),
    "stacked_lstm": ("Sequential([Input((24, 3)), LSTM(16), LSTM(8)])",
                     lambda: seq((24, 3), L.LSTM(16), L.LSTM(8))),
    "reshape_mismatch": ("Sequential([Input((784,)), Reshape((28, 27, 1))])",
                         lambda: seq((784,), L.Reshape((28, 27, 1)))),
    "flatten_none_dense": ("Sequential([Input((None, 8)), Flatten(), Dense(1)])",
                           lambda: seq((None, 8), L.Flatten(), L.Dense(1))),
    "window_too_small": ("Sequential([Input((8, 8, 1)), Conv2D(16, 3), MaxPooling2D(2), Conv2D(16, 3),"
                         " MaxPooling2D(2)])",
                         lambda: seq((8, 8, 1), L.Conv2D(16, 3), L.MaxPooling2D(2), L.Conv2D(16, 3),
                                     L.MaxPooling2D(2))),
    "conv_too_small": ("Sequential([Input((1, 64, 64)), Conv2D(8, 3)])", lambda: seq((1, 64, 64), L.Conv2D(8, 3))),
    "conv1d_too_small": ("Sequential([Input((2, 1000)), Conv1D(8, 3)])",
                         lambda: seq((2, 1000), L.Conv1D(8, 3))),
    "pool1d_too_small": ("Sequential([Input((3, 8)), MaxPooling1D(4)])", lambda: seq((3, 8), L.MaxPooling1D(4))),
    "unknown_activation": ("Dense(4, activation='reul')", lambda: seq((10,), L.Dense(4, activation="reul"))),
    "predict_wrong_features": ("Sequential([Input((10,)), Dense(4), Dense(1)]).predict(np.zeros((300, 12)))",
                               lambda: seq((10,), L.Dense(4, activation="relu"), L.Dense(1))
                               .predict(np.zeros((300, 12), "float32"), verbose=0)),
    "predict_channels_first": ("Sequential([Input((32, 32, 3)), Conv2D(8, 3)]).predict(np.zeros((10, 3, 32, 32)))",
                               lambda: seq((32, 32, 3), L.Conv2D(8, 3, activation="relu"))
                               .predict(np.zeros((10, 3, 32, 32), "float32"), verbose=0)),
    "predict_no_batch": ("Sequential([Input((28, 28, 1)), Conv2D(8, 3), Flatten(), Dense(10)])"
                         ".predict(np.zeros((28, 28, 1)))",
                         lambda: seq((28, 28, 1), L.Conv2D(8, 3, activation="relu"), L.Flatten(),
                                     L.Dense(10, activation="softmax"))
                         .predict(np.zeros((28, 28, 1), "float32"), verbose=0)),
}

out = []
for key, (code, make) in SCENARIOS.items():
    keras.backend.clear_session()  # layer names restart at conv2d, dense, ... as in a fresh notebook
    try:
        make()
        entry = {"id": key, "code": code, "raises": None, "message": None}
    except Exception as error:  # noqa: BLE001 - what Keras raises is the point
        entry = {"id": key, "code": code, "raises": type(error).__name__, "message": str(error)}
    out.append(entry)
    print(key, "->", entry["raises"], (entry["message"] or "")[:160].replace("\n", " | "), file=sys.stderr)

here = os.path.dirname(os.path.abspath(__file__))
target = os.path.join(here, "..", "..", "src", "test", "resources", "keras-reference", "keras3-errors.json")
with open(target, "w") as f:
    json.dump({"keras": keras.__version__, "backend": keras.backend.backend(), "errors": out}, f, indent=1)
    f.write("\n")
