"""Cross-checks training-graphs.json (or training.json) against real Keras 3: rebuilds every case's model from its
model JSON with keras.layers (functional or Sequential), sets the initial weights, compiles it with the case's
optimizer and losses, runs train_on_batch on each recorded batch and compares the total loss of every step, every
weight after the last step and evaluate() on the first batch with the recorded ones.

Optional, for people who have Keras 3 at hand (not run by CI; the fixtures come from TF.js alone):

    KERAS_BACKEND=jax python3 crosscheck-training-graphs.py ../../src/test/resources/keras-reference/training-graphs.json

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

RNN_KEYS = {'units', 'activation', 'use_bias', 'return_sequences', 'go_backwards'}
KEYS = {
    'Dense': {'units', 'activation', 'use_bias'},
    'Add': set(), 'Subtract': set(), 'Multiply': set(), 'Average': set(), 'Maximum': set(), 'Minimum': set(),
    'Concatenate': {'axis'},
    'Dot': {'axes', 'normalize'},
    'Flatten': set(),
    'RepeatVector': {'n'},
    'Masking': {'mask_value'},
    'SimpleRNN': RNN_KEYS,
    'LSTM': RNN_KEYS | {'recurrent_activation'},
    'GRU': RNN_KEYS | {'recurrent_activation', 'reset_after'},
    'TimeDistributed': set(),
    'Bidirectional': {'merge_mode'},
    'Conv1D': {'filters', 'kernel_size', 'strides', 'padding', 'dilation_rate', 'activation', 'use_bias', 'data_format'},
    'Conv2D': {'filters', 'kernel_size', 'strides', 'padding', 'dilation_rate', 'activation', 'use_bias', 'data_format'},
    'MaxPooling1D': {'pool_size', 'strides', 'padding'},
    'AveragePooling1D': {'pool_size', 'strides', 'padding'},
    'MaxPooling2D': {'pool_size', 'strides', 'padding', 'data_format'},
    'AveragePooling2D': {'pool_size', 'strides', 'padding', 'data_format'},
    'GlobalAveragePooling1D': set(), 'GlobalMaxPooling1D': set(),
    'GlobalAveragePooling2D': {'data_format'}, 'GlobalMaxPooling2D': {'data_format'},
    'Reshape': {'target_shape'},
    'Permute': {'dims'},
    'Activation': {'activation'},
    'Embedding': {'input_dim', 'output_dim', 'mask_zero'},
    'BatchNormalization': {'axis', 'epsilon', 'momentum', 'center', 'scale'},
}
ACTIVATIONS = {'logSoftmax': 'log_softmax', 'hardSigmoid': 'hard_sigmoid'}


def make_layer(entry):
    cls = entry['class_name']
    cfg = entry['config']
    kwargs = {k: v for k, v in cfg.items() if (k in KEYS[cls] or k == 'name') and v is not None}
    if 'activation' in kwargs:
        kwargs['activation'] = ACTIVATIONS.get(kwargs['activation'], kwargs['activation'])
    if cls in ('Reshape', 'Permute'):
        key = 'target_shape' if cls == 'Reshape' else 'dims'
        kwargs[key] = tuple(-1 if d is None else d for d in cfg[key])
    if cls == 'BatchNormalization' and isinstance(kwargs.get('axis'), list):
        kwargs['axis'] = kwargs['axis'][0]
    if cls == 'Dot' and isinstance(kwargs.get('axes'), list):
        kwargs['axes'] = tuple(kwargs['axes'])
    if cls == 'TimeDistributed':
        return keras.layers.TimeDistributed(make_layer(cfg['layer']), name=cfg['name'])
    if cls == 'Bidirectional':
        return keras.layers.Bidirectional(make_layer(cfg['layer']), merge_mode=cfg.get('merge_mode'), name=cfg['name'])
    return getattr(keras.layers, cls)(**kwargs)


def build(case):
    spec = case['model']
    cfg = spec['config']
    if spec['class_name'] == 'Sequential':
        entries = cfg['layers']
        batch_shape = tuple(entries[0]['config']['batch_input_shape'])
        is_ids = entries[0]['class_name'] == 'Embedding'
        return keras.Sequential([keras.Input(batch_shape=batch_shape, dtype='int32' if is_ids else 'float32'),
                                 *[make_layer(e) for e in entries]])
    tensors = {}  # (layer name, node index) -> list of output tensors
    layers = {}
    for entry in cfg['layers']:
        name = entry['name']
        if entry['class_name'] == 'InputLayer':
            tensors[(name, 0)] = [keras.Input(batch_shape=tuple(entry['config']['batch_input_shape']), name=name)]
            continue
        layer = layers.setdefault(name, make_layer(entry))
        for node_index, node in enumerate(entry['inbound_nodes']):
            args = [tensors[(src, n)][t] for src, n, t, *_ in node]
            out = layer(args if len(args) > 1 else args[0])
            tensors[(name, node_index)] = list(out) if isinstance(out, (list, tuple)) else [out]
    pick = lambda refs: [tensors[(n, i)][t] for n, i, t in refs]  # noqa: E731
    return keras.Model(pick(cfg['input_layers']), pick(cfg['output_layers']), name=cfg['name'])


def optimizer(config):
    rate = config['learning_rate']
    if config['name'] == 'sgd':
        return keras.optimizers.SGD(rate, momentum=config.get('momentum', 0.0), nesterov=config.get('nesterov', False))
    if config['name'] == 'adam':
        return keras.optimizers.Adam(rate)
    if config['name'] == 'rmsprop':
        return keras.optimizers.RMSprop(rate, momentum=config.get('momentum', 0.0))
    raise ValueError(config)


LOSS_CLASSES = {
    'binary_crossentropy': keras.losses.BinaryCrossentropy,
    'categorical_crossentropy': keras.losses.CategoricalCrossentropy,
    'sparse_categorical_crossentropy': keras.losses.SparseCategoricalCrossentropy,
}


def loss(config):
    return LOSS_CLASSES[config['name']](from_logits=True) if config['from_logits'] else config['name']


def array(record, dtype=np.float32):
    return np.array(record['data'], dtype=dtype).reshape(record['shape'])


def check(case):
    problems = []
    model = build(case)
    by_layer = {}
    for w in case['initial_weights']:
        by_layer.setdefault(w['layer'], []).append(array(w))
    for layer in model.layers:
        if layer.name in by_layer:
            layer.set_weights(by_layer.pop(layer.name))
    if by_layer:
        raise ValueError(f'weights for unknown layers {sorted(by_layer)}')
    configs = case.get('losses_config') or [case['loss']]
    model.compile(optimizer=optimizer(case['optimizer']), loss=[loss(c) for c in configs] if len(configs) > 1
                  else loss(configs[0]))
    worst = 0.0

    def compare(what, want, got):
        nonlocal worst
        want = np.asarray(want, dtype=np.float64)
        got = np.asarray(got, dtype=np.float64).reshape(want.shape)
        err = np.abs(got - want) / np.maximum(1.0, np.abs(want))
        worst = max(worst, float(np.max(err)) if err.size else 0.0)
        if not np.all(err <= TOLERANCE):
            k = int(np.argmax(err))
            problems.append(f'{what}: max error {np.max(err):.3g} at {k}: keras {got.flat[k]:.7g}, file {want.flat[k]:.7g}')

    def data(batch):
        xs = batch['x'] if isinstance(batch['x'], list) else [batch['x']]
        ys = batch['y'] if isinstance(batch['y'], list) else [batch['y']]
        xs = [array(x) for x in xs]
        ys = [array(y) for y in ys]
        return (xs if len(xs) > 1 else xs[0]), (ys if len(ys) > 1 else ys[0])

    for step, batch in enumerate(case['batches']):
        x, y = data(batch)
        logs = model.train_on_batch(x, y, return_dict=True)
        compare(f'loss of step {step}', case['losses'][step], logs['loss'])
    weights = {}
    for w in case['final_weights']:
        weights.setdefault(w['layer'], []).append(w)
    for layer in model.layers:
        for want, got in zip(weights.get(layer.name, []), layer.get_weights()):
            compare(f"{want['layer']}/{want['name']} after the last step", array(want), got)
    x, y = data(case['batches'][0])
    evaluated = model.evaluate(x, y, verbose=0, return_dict=True)
    compare('evaluate', case['evaluate_first_batch_loss'], evaluated['loss'])
    return problems, worst


def main(path, only=None):
    passed, failed, worst = 0, 0, 0.0
    with open(path) as f:
        cases = json.load(f)['cases']
    for case in cases:
        if only and case['id'] not in only:
            continue
        keras.backend.clear_session()
        try:
            problems, w = check(case)
            worst = max(worst, w)
        except Exception as e:  # a model Keras refuses is a failure too
            problems = [f'{type(e).__name__}: {str(e).splitlines()[0][:300]}']
        if problems:
            failed += 1
            print(f"FAIL {case['id']} [{case.get('oracle', 'tfjs')}]")
            for p in problems[:4]:
                print(f'     {p}')
        else:
            passed += 1
    print(f'keras {keras.__version__} ({keras.backend.backend()}), {path}: worst error {worst:.3g}')
    print(f'{passed} passed, {failed} failed')
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], set(sys.argv[2:])))
