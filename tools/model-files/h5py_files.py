"""Writes Keras's HDF5 layouts with Debian's python3-h5py (no Keras), for ShapeLab's io tests.

    /usr/bin/python3 tools/model-files/h5py_files.py src/test/resources/model-files
    (apt-get install python3-h5py; CI runs it into a temporary folder and compares with the committed files)

The models and their weights are those TensorFlow.js saved in tfjs/NAME/model.json (tools/model-files/tfjs.mjs), so
the reference predictions are TF.js's (tfjs/NAME.json). For each NAME it writes into h5py/:

  NAME.h5          the legacy format as tf.keras 2 writes it. Layout from keras/src/legacy/saving/legacy_h5_format.py
                   (Keras 3's copy of tf.keras 2's hdf5_format.py): save_model_to_hdf5 stores the model JSON as the
                   root attribute "model_config" (utf-8 bytes) with "keras_version" and "backend";
                   save_weights_to_hdf5_group writes the group "model_weights" with the attribute "layer_names"
                   (all layers), one group per layer (created in sorted name order) with the attribute
                   "weight_names" (save_subset_weights_to_hdf5_group; the order of _legacy_weights:
                   trainable + non_trainable) and one dataset per name at that path inside the layer group.
                   Names are tf.keras 2's variable names: layer scope, the cell for recurrent layers
                   (lstm/lstm_cell/kernel:0), ":0". "wrappers.h5" splits "layer_names" into "layer_names0",
                   "layer_names1" as save_attributes_to_hdf5_group does past 64 KB (forced here on a small model).
  NAME.weights.h5  Keras 3's save_weights layout, as Keras 3.0 to 3.5 wrote it (no "name" attribute on the vars
                   groups; 3.6 added it). Layout from keras/src/saving/saving_lib.py: _save_state walks the model,
                   "layers" first (_walk_saveable), _save_container_state names each layer by
                   naming.to_snake_case(class name) made unique by _get_unique_name (dense, dense_1, ...),
                   H5IOStore.make/__setitem__ create "<path>/vars/<i>" for each of the layer's variables
                   (Layer.save_own_variables: trainable + non_trainable, numbered from 0), and children follow by
                   attribute name: "cell" of a recurrent layer, "forward_layer"/"backward_layer" of Bidirectional,
                   "layer" of TimeDistributed. Sequential models only here: their layer order is the file's.

and, from the real Keras 3.15.1 file keras3/functional_merges.weights.h5, functional_merges_no_names.weights.h5: the
same datasets without the "name" attributes, i.e. as Keras 3.0-3.5 would lay out that functional model, so the
class-name order of a functional model is checked against Keras's own. broken/ holds damaged copies for the error
messages.
"""
import json
import os
import re
import sys

import h5py
import numpy as np

root = sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/model-files"
tfjs = os.path.join(root, "tfjs")
out = os.path.join(root, "h5py")
os.makedirs(os.path.join(out, "broken"), exist_ok=True)
RECURRENT = {"LSTM": "lstm_cell", "GRU": "gru_cell", "SimpleRNN": "simple_rnn_cell"}


def to_snake_case(name):  # keras/src/utils/naming.py
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def read_tfjs(name):
    with open(os.path.join(tfjs, name, "model.json")) as f:
        model = json.load(f)
    weights = []
    for group in model["weightsManifest"]:
        data = b"".join(open(os.path.join(tfjs, name, p), "rb").read() for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            assert spec["dtype"] == "float32" and "quantization" not in spec, spec
            n = int(np.prod(spec["shape"]))
            weights.append((spec["name"], np.frombuffer(data, "<f4", n, offset).reshape(spec["shape"])))
            offset += 4 * n
    topology = model["modelTopology"]
    layers = [entry for entry in topology["config"]["layers"] if entry["class_name"] != "InputLayer"]
    return topology, layers, weights


def layer_weights(layers, weights):
    """Each layer's (tf.keras 2 name, array) pairs, in the file's (= get_weights within a layer) order."""
    by_layer = {entry["config"]["name"]: [] for entry in layers}
    for name, array in weights:
        by_layer[name.split("/")[0]].append((name, array))
    return by_layer


def tf_keras_2_name(entry, name):
    cls = entry["class_name"]
    inner = entry["config"]["layer"]["class_name"] if cls == "Bidirectional" else cls
    parts = name.split("/")
    if inner in RECURRENT:
        parts.insert(len(parts) - 1, RECURRENT[inner])
    return "/".join(parts) + ":0"


def write_legacy(path, topology, layers, weights, chunk_layer_names=False):
    by_layer = layer_weights(layers, weights)
    with h5py.File(path, "w") as f:
        f.attrs["backend"] = topology.get("backend", "tensor_flow.js").encode("utf8")
        f.attrs["keras_version"] = str(topology.get("keras_version", "")).encode("utf8")
        f.attrs["model_config"] = json.dumps(
            {"class_name": topology["class_name"], "config": topology["config"]}).encode("utf8")
        group = f.create_group("model_weights")
        names = [entry["config"]["name"].encode("utf8") for entry in layers]
        if chunk_layer_names:
            for i, chunk in enumerate(np.array_split(np.asarray(names), 2)):
                group.attrs["layer_names%d" % i] = chunk
        else:
            group.attrs["layer_names"] = names
        group.attrs["backend"] = b"tensor_flow.js"
        group.attrs["keras_version"] = str(topology.get("keras_version", "")).encode("utf8")
        for entry in sorted(layers, key=lambda e: e["config"]["name"]):
            layer_group = group.create_group(entry["config"]["name"])
            pairs = [(tf_keras_2_name(entry, n), a) for n, a in by_layer[entry["config"]["name"]]]
            layer_group.attrs["weight_names"] = [n.encode("utf8") for n, _ in pairs]
            for n, a in pairs:
                layer_group.create_dataset(n, a.shape, dtype=a.dtype)[...] = a


def vars_groups(entry, base):
    cls = entry["class_name"]
    if cls == "Bidirectional":
        inner = {"class_name": entry["config"]["layer"]["class_name"], "config": entry["config"]["layer"]["config"]}
        return vars_groups(inner, base + "/forward_layer") + vars_groups(inner, base + "/backward_layer")
    if cls == "TimeDistributed":
        inner = {"class_name": entry["config"]["layer"]["class_name"], "config": entry["config"]["layer"]["config"]}
        return vars_groups(inner, base + "/layer")
    if cls in RECURRENT:
        return [base + "/cell/vars"]
    return [base + "/vars"]


def write_keras3_weights(path, layers, weights):
    by_layer = layer_weights(layers, weights)
    used = {}
    with h5py.File(path, "w") as f:
        for entry in layers:
            base = to_snake_case(entry["class_name"])
            if base in used:
                used[base] += 1
                base = "%s_%d" % (base, used[base])
            else:
                used[base] = 0
            arrays = [a for _, a in by_layer[entry["config"]["name"]]]
            if not arrays:
                continue  # H5IOStore.make defers the group until a variable is set
            groups = vars_groups(entry, "layers/" + base)
            per_group = len(arrays) // len(groups)
            for g, group_path in enumerate(groups):
                vars_group = f.create_group(group_path)
                for i, a in enumerate(arrays[g * per_group:(g + 1) * per_group]):
                    vars_group[str(i)] = a


for name in ["dense_conv2d_bn", "embedding_conv1d_rnn", "wrappers", "functional_merges"]:
    topology, layers, weights = read_tfjs(name)
    write_legacy(os.path.join(out, name + ".h5"), topology, layers, weights, chunk_layer_names=name == "wrappers")
    if topology["class_name"] == "Sequential":
        write_keras3_weights(os.path.join(out, name + ".weights.h5"), layers, weights)
    print(name)

# The real Keras 3.15.1 functional file without its "name" attributes (the layout of Keras 3.0-3.5).
with h5py.File(os.path.join(root, "keras3", "functional_merges.weights.h5"), "r") as src, \
        h5py.File(os.path.join(out, "functional_merges_no_names.weights.h5"), "w") as dst:
    def copy(name, obj):
        if isinstance(obj, h5py.Dataset):
            dst.create_dataset(name, data=obj[()])
    src.visititems(copy)

# Damaged copies, for the error messages.
topology, layers, weights = read_tfjs("dense_conv2d_bn")
missing = os.path.join(out, "broken", "missing_dataset.h5")
write_legacy(missing, topology, layers, weights)
with h5py.File(missing, "a") as f:
    del f["model_weights/dense_Dense2/dense_Dense2/bias:0"]
unknown = os.path.join(out, "broken", "unknown_layer.h5")
write_legacy(unknown, topology, layers, weights)
with h5py.File(unknown, "a") as f:
    config = json.loads(f.attrs["model_config"])
    config["config"]["layers"][3]["class_name"] = "MultiHeadAttention"
    f.attrs["model_config"] = json.dumps(config).encode("utf8")
with h5py.File(os.path.join(out, "broken", "not_keras.h5"), "w") as f:
    f["measurements"] = np.arange(6, dtype="float32").reshape(2, 3)
print("broken/")
