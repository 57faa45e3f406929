"""Cross-checks a fuzz.mjs JSON Lines file against real Keras 3: rebuilds every case's model from its
model JSON with keras.layers, sets the recorded weights, predicts every run and compares the output
with the recorded one (and the per-layer output shapes and parameter counts with Keras's).

Optional, for people who have Keras 3 at hand (not run by CI; the fixtures come from TF.js alone):

    KERAS_BACKEND=jax python3 crosscheck-keras.py ../../src/test/resources/keras-reference/fuzz/corpus.jsonl

Prints one line per disagreeing case and 'N passed, M failed'; exits non-zero on any failure.
"""
import json
import os
import sys
import warnings

os.environ.setdefault('KERAS_BACKEND', 'jax')
warnings.simplefilter('ignore')

import numpy as np  # noqa: E402
import keras  # noqa: E402

TOLERANCE = 1e-4  # absolute, or relative to the value's magnitude when that is larger than 1

COMMON = {'name', 'trainable'}
KEYS = {
    'Dense': {'units', 'activation', 'use_bias'},
    'Conv1D': {'filters', 'kernel_size', 'strides', 'padding', 'dilation_rate', 'activation', 'use_bias', 'data_format'},
    'Conv2D': {'filters', 'kernel_size', 'strides', 'padding', 'dilation_rate', 'activation', 'use_bias', 'data_format'},
    'MaxPooling1D': {'pool_size', 'strides', 'padding', 'data_format'},
    'AveragePooling1D': {'pool_size', 'strides', 'padding', 'data_format'},
    'MaxPooling2D': {'pool_size', 'strides', 'padding', 'data_format'},
    'AveragePooling2D': {'pool_size', 'strides', 'padding', 'data_format'},
    'GlobalAveragePooling1D': {'data_format'},
    'GlobalMaxPooling1D': {'data_format'},
    'GlobalAveragePooling2D': {'data_format'},
    'GlobalMaxPooling2D': {'data_format'},
    'Flatten': {'data_format'},
    'Reshape': {'target_shape'},
    'Permute': {'dims'},
    'Dropout': {'rate'},
    'Activation': {'activation'},
    'SimpleRNN': {'units', 'activation', 'use_bias', 'return_sequences', 'go_backwards'},
    'LSTM': {'units', 'activation', 'recurrent_activation', 'use_bias', 'return_sequences', 'go_backwards'},
    'GRU': {'units', 'activation', 'recurrent_activation', 'use_bias', 'return_sequences', 'go_backwards', 'reset_after'},
    'Embedding': {'input_dim', 'output_dim', 'mask_zero'},
    'BatchNormalization': {'axis', 'epsilon', 'momentum', 'center', 'scale'},
    'TimeDistributed': set(),
}


def make_layer(entry):
    cls = entry['class_name']
    cfg = entry['config']
    kwargs = {k: v for k, v in cfg.items() if (k in KEYS[cls] or k in COMMON) and v is not None}
    if cls == 'Reshape':
        kwargs['target_shape'] = tuple(-1 if d is None else d for d in cfg['target_shape'])
    if cls == 'Permute':
        kwargs['dims'] = tuple(cfg['dims'])
    if cls == 'BatchNormalization' and isinstance(kwargs.get('axis'), list):
        kwargs['axis'] = kwargs['axis'][0]
    if cls == 'TimeDistributed':
        return keras.layers.TimeDistributed(make_layer(cfg['layer']), name=cfg['name'])
    return getattr(keras.layers, cls)(**kwargs)


def build(case):
    entries = case['model']['config']['layers']
    batch_shape = tuple(entries[0]['config']['batch_input_shape'])
    is_ids = entries[0]['class_name'] == 'Embedding'
    layers = [make_layer(e) for e in entries]
    model = keras.Sequential([keras.Input(batch_shape=batch_shape, dtype='int32' if is_ids else 'float32'), *layers])
    by_layer = {}
    for w in case['weights']:
        by_layer.setdefault(w['layer'], []).append(np.array(w['data'], dtype=np.float32).reshape(w['shape']))
    for layer in model.layers:
        if layer.name in by_layer:
            layer.set_weights(by_layer.pop(layer.name))
    if by_layer:
        raise ValueError(f'weights for unknown layers {sorted(by_layer)}')
    return model, is_ids


def check(case):
    problems = []
    model, is_ids = build(case)
    for layer, want in zip(model.layers, case['layers']):
        got = list(layer.output.shape)
        if got != want['output_shape']:
            problems.append(f"{layer.name} output shape {got} != {want['output_shape']}")
        if layer.count_params() != want['params']:
            problems.append(f"{layer.name} params {layer.count_params()} != {want['params']}")
    if model.count_params() != case['total_params']:
        problems.append(f"total params {model.count_params()} != {case['total_params']}")
    worst = 0.0
    for i, run in enumerate(case['runs']):
        x = np.array(run['input']['data'], dtype=np.int32 if is_ids else np.float32).reshape(run['input']['shape'])
        y = np.asarray(model(x, training=False))
        want = np.array(run['output']['data'], dtype=np.float64).reshape(run['output']['shape'])
        if list(y.shape) != list(want.shape):
            problems.append(f'run {i}: output shape {list(y.shape)} != {list(want.shape)}')
            continue
        err = np.abs(y - want) / np.maximum(1.0, np.abs(want))
        worst = max(worst, float(np.max(err)) if err.size else 0.0)
        if not np.all(err <= TOLERANCE):
            k = int(np.argmax(err))
            problems.append(f'run {i} (batch {x.shape[0]}): max error {np.max(err):.3g} at {k}: keras {y.flat[k]:.7g}, file {want.flat[k]:.7g}')
    return problems, worst


def main(path):
    passed, failed, worst = 0, 0, 0.0
    with open(path) as f:
        header = json.loads(f.readline())
        for line in f:
            case = json.loads(line)
            keras.backend.clear_session()  # keeps memory and time per case flat
            try:
                problems, w = check(case)
                worst = max(worst, w)
            except Exception as e:  # a model Keras refuses is a failure too
                problems = [f'{type(e).__name__}: {str(e).splitlines()[0][:300]}']
            if problems:
                failed += 1
                print(f"FAIL {case['id']} [{case['oracle']}] {case['description']}")
                for p in problems[:4]:
                    print(f'     {p}')
            else:
                passed += 1
    print(f"keras {keras.__version__} ({keras.backend.backend()}), {path} (seed {header['seed']}): worst error {worst:.3g}")
    print(f'{passed} passed, {failed} failed')
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
