"""Checks with real Keras 3 that the .keras and .weights.h5 files ShapeLab saves open in Keras with the same predictions.

    nice -n 10 mvn -B -o -q test -Dtest=SaveKerasTest      # writes target/model-files-saved/NAME.keras, .weights.h5
    KERAS_BACKEND=jax /tmp/kv/bin/python tools/model-files/check-saved.py

For each NAME of SaveKerasTest, ShapeLab saved the model it loaded from keras3/NAME.keras. This script opens
ShapeLab's NAME.keras with keras.models.load_model, predicts keras3/NAME.json's inputs and compares with the
predictions Keras made when it wrote keras3/NAME.keras; then loads ShapeLab's NAME.weights.h5 into Keras's own model
(model.load_weights) and compares again. It copies the files Keras opened to
src/test/resources/model-files/saved-by-shapelab/ and records what Keras found in check.json there; SaveKerasTest
checks that ShapeLab still writes those files (same config.json, same weight datasets), so CI, without Keras, keeps
what this script verified. The models SaveKerasTest builds in Java (BuiltModels: SimpleRNN, causal dilated Conv1D,
pooling, RepeatVector, strided Conv2D, Reshape, Permute, an LSTM's states as another's initial state, Subtract,
Average, Maximum, Minimum, Dot) are opened the same way and compared with ShapeLab's predictions; Keras's own
predictions are kept as NAME.keras-predictions.json. Exits 1 if any difference passes 1e-5.
"""
import json
import os
import shutil
import sys
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np
import keras

NAMES = ["dense_conv2d_bn", "embedding_conv1d_rnn", "wrappers", "functional_merges"]
BUILT = ["built_sequence", "built_image", "built_graph"]
saved = "target/model-files-saved"
ref_dir = "src/test/resources/model-files/keras3"
out = "src/test/resources/model-files/saved-by-shapelab"
os.makedirs(out, exist_ok=True)


def predict(model, xs):
    ys = model.predict(xs if len(xs) > 1 else xs[0], verbose=0)
    return ys if isinstance(ys, list) else [ys]


def max_diff(ys, ref):
    return max(float(np.abs(np.asarray(y, dtype="float64") - np.asarray(r)).max()) for y, r in zip(ys, ref))


report = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "models": {}}
failed = False
for name in NAMES:
    ref = json.load(open(os.path.join(ref_dir, name + ".json")))
    xs = [np.asarray(x, dtype="float32") for x in ref["x"]]
    model = keras.models.load_model(os.path.join(saved, name + ".keras"))
    keras_file = max_diff(predict(model, xs), ref["y"])
    own = keras.models.load_model(os.path.join(ref_dir, name + ".keras"))
    own.load_weights(os.path.join(saved, name + ".weights.h5"))
    weights_file = max_diff(predict(own, xs), ref["y"])
    report["models"][name] = {"load_model max |diff|": keras_file, "load_weights max |diff|": weights_file,
                              "layers": [layer.__class__.__name__ for layer in model.layers]}
    failed |= keras_file > 1e-5 or weights_file > 1e-5
    print(f"{name}: load_model {keras_file:.2e}, load_weights {weights_file:.2e}")
    for suffix in (".keras", ".weights.h5"):
        shutil.copyfile(os.path.join(saved, name + suffix), os.path.join(out, name + suffix))
# Models built in Java (SaveKerasTest.builtModelsRoundTrip wrote NAME.json: the inputs and ShapeLab's predictions):
# Keras opens ShapeLab's file and predicts; its predictions are kept as NAME.keras-predictions.json, the reference
# SaveKerasTest.builtModelsPredictAsKerasDid holds ShapeLab to.
for name in BUILT:
    data = json.load(open(os.path.join(saved, name + ".json")))
    xs = [np.asarray(x, dtype="float32") for x in data["x"]]
    model = keras.models.load_model(os.path.join(saved, name + ".keras"))
    ys = predict(model, xs)
    diff = max_diff(ys, data["y"])
    again = keras.models.load_model(os.path.join(saved, name + ".keras"))
    again.load_weights(os.path.join(saved, name + ".weights.h5"))
    weights_diff = max_diff(predict(again, xs), [np.asarray(y) for y in ys])
    report["models"][name] = {"load_model max |diff| from ShapeLab's predictions": diff,
                              "load_weights max |diff|": weights_diff,
                              "layers": [layer.__class__.__name__ for layer in model.layers]}
    failed |= diff > 1e-5 or weights_diff > 1e-5
    print(f"{name}: Keras vs ShapeLab {diff:.2e}, load_weights {weights_diff:.2e}")
    shutil.copyfile(os.path.join(saved, name + ".keras"), os.path.join(out, name + ".keras"))
    with open(os.path.join(out, name + ".keras-predictions.json"), "w") as f:
        json.dump({"keras_version": keras.__version__, "x": data["x"],
                   "y": [np.asarray(y).astype("float64").tolist() for y in ys]}, f)
with open(os.path.join(out, "check.json"), "w") as f:
    json.dump(report, f, indent=1)
sys.exit(1 if failed else 0)
