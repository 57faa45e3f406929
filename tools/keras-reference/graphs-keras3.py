"""Cross-checks graphs.mjs's fixtures against real Keras 3 and records Keras 3's own JSON, summaries and
error messages.

For every case of src/test/resources/keras-reference/graphs/cases.jsonl it rebuilds the model with
keras.layers from the case's TF.js model JSON (functional graphs node by node, initial_state and shared
layers included), sets the recorded weights, and compares per layer the output shapes of the first call,
the parameter counts and the "Connected to" strings, then every run's outputs (states carried between
runs of a stateful model, reset where the run says so). It writes

  src/test/resources/keras-reference/graphs/keras3.jsonl   one line per case of a subset (every family) and
      per error scenario: {"id", "keras_version", "backend", "model": model.to_json() parsed, "summary":
      model.summary() text, "max_abs_diff", "agrees"} or, where Keras 3 refuses the model, {"id", "error"};
      error scenarios {"id": "error:<scenario>", "error"}
  errors.json   "keras3_message" added to each scenario

Optional, not run by CI (the fixtures are committed):

    python3 -m venv /tmp/kv && /tmp/kv/bin/pip install keras jax h5py
    cd tools/keras-reference && KERAS_BACKEND=jax /tmp/kv/bin/python graphs-keras3.py

    --all-json       keras3.jsonl gets every case (not only the first 4 of each family and those with a note)
    --subset-only    checks only the cases keras3.jsonl gets
    --out DIR        writes keras3.jsonl and errors.json to DIR instead of the fixtures' folder
    --errors-only    only the error scenarios: keras3_message in errors.json (JAX's words; another backend's
                     words go to keras3_message_<backend> where they differ)
    --verbose        prints each case's id on stderr as it goes

Prints one line per disagreeing case and 'N passed, M failed'. Exits non-zero on an unexpected failure
(a disagreement not explained by a case's "note").
"""
import io
import json
import os
import re
import sys
import warnings

os.environ.setdefault('KERAS_BACKEND', 'jax')
warnings.simplefilter('ignore')

import numpy as np  # noqa: E402
import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'src', 'test', 'resources', 'keras-reference', 'graphs')
TOLERANCE = 1e-4  # absolute, or relative to the value's magnitude when that is larger than 1

RNN_KEYS = {'units', 'activation', 'recurrent_activation', 'use_bias', 'return_sequences', 'return_state',
            'go_backwards', 'stateful'}
KEYS = {
    'Dense': {'units', 'activation', 'use_bias'},
    'Conv1D': {'filters', 'kernel_size', 'strides', 'padding', 'dilation_rate', 'activation', 'use_bias'},
    'GlobalAveragePooling1D': set(),
    'GlobalMaxPooling1D': set(),
    'Flatten': set(),
    'Reshape': {'target_shape'},
    'Dropout': {'rate'},
    'Activation': {'activation'},
    'SimpleRNN': RNN_KEYS - {'recurrent_activation'},
    'LSTM': RNN_KEYS,
    'GRU': RNN_KEYS | {'reset_after'},
    'Embedding': {'input_dim', 'output_dim', 'mask_zero'},
    'Masking': {'mask_value'},
    'RepeatVector': {'n'},
    'Add': set(), 'Subtract': set(), 'Multiply': set(), 'Average': set(), 'Maximum': set(), 'Minimum': set(),
    'Concatenate': {'axis'},
    'Dot': {'axes', 'normalize'},
    'TimeDistributed': set(),
    'Bidirectional': {'merge_mode'},
}
ACTIVATIONS = {'logSoftmax': 'log_softmax', 'hardSigmoid': 'hard_sigmoid'}


def make_layer(entry):
    cls = entry['class_name']
    cfg = entry['config']
    kwargs = {k: v for k, v in cfg.items() if k in KEYS[cls] and v is not None}
    kwargs['name'] = cfg['name']
    for k in ('activation', 'recurrent_activation'):
        if k in kwargs:
            kwargs[k] = ACTIVATIONS.get(kwargs[k], kwargs[k])
    if cls == 'Reshape':
        kwargs['target_shape'] = tuple(-1 if d is None else d for d in cfg['target_shape'])
    if cls == 'Dot' and isinstance(kwargs['axes'], list):
        kwargs['axes'] = tuple(kwargs['axes'])
    if cls == 'TimeDistributed':
        return keras.layers.TimeDistributed(make_layer(cfg['layer']), name=cfg['name'])
    if cls == 'Bidirectional':
        back = cfg.get('backward_layer')
        return keras.layers.Bidirectional(
            make_layer(cfg['layer']), merge_mode=cfg.get('merge_mode'),
            backward_layer=make_layer(back) if back else None, name=cfg['name'])
    return getattr(keras.layers, cls)(**kwargs)


def build(case):
    """The case's model in Keras 3, from its TF.js model JSON."""
    m = case['model']
    if m['class_name'] == 'Sequential':
        entries = m['config']['layers']
        first = entries[0]['config']
        ids = entries[0]['class_name'] == 'Embedding'
        inp = keras.Input(batch_shape=tuple(first['batch_input_shape']), dtype='int32' if ids else 'float32',
                          name=case['inputs'][0]['name'])
        return keras.Sequential([inp, *[make_layer(e) for e in entries]], name=m['config']['name'])
    cfg = m['config']
    layers = {}
    tensors = {}
    for e in cfg['layers']:
        if e['class_name'] == 'InputLayer':
            c = e['config']
            tensors[(e['name'], 0, 0)] = keras.Input(batch_shape=tuple(c['batch_input_shape']), name=c['name'])
        else:
            layers[e['name']] = make_layer(e)
    done = {e['name']: (len(e['inbound_nodes']) if e['class_name'] == 'InputLayer' else 0) for e in cfg['layers']}
    progress = True
    while progress:
        progress = False
        for e in cfg['layers']:
            name = e['name']
            if done[name] >= len(e['inbound_nodes']):
                continue
            node = e['inbound_nodes'][done[name]]
            keys = [(n, ni, ti) for n, ni, ti, _ in node]
            if not all(k in tensors for k in keys):
                continue
            args = [tensors[k] for k in keys]
            layer = layers[name]
            if e['class_name'] in ('Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate', 'Dot'):
                out = layer(args)
            elif len(args) > 1:
                out = layer(args[0], initial_state=args[1:])
            else:
                out = layer(args[0])
            for i, t in enumerate(out if isinstance(out, (list, tuple)) else [out]):
                tensors[(name, done[name], i)] = t
            done[name] += 1
            progress = True
    missing = [n for n, e in zip(done, cfg['layers']) if done[n] < len(e['inbound_nodes'])]
    if missing:
        raise ValueError(f'could not connect {missing}')
    ins = [tensors[(n, ni, ti)] for n, ni, ti in cfg['input_layers']]
    outs = [tensors[(n, ni, ti)] for n, ni, ti in cfg['output_layers']]
    return keras.Model(ins, outs, name=cfg['name'])


def set_weights(model, case):
    by_layer = {}
    for w in case['weights']:
        by_layer.setdefault(w['layer'], []).append(np.array(w['data'], dtype=np.float32).reshape(w['shape']))
    for layer in model.layers:
        if layer.name in by_layer:
            layer.set_weights(by_layer.pop(layer.name))
    if by_layer:
        raise ValueError(f'weights for unknown layers {sorted(by_layer)}')


def connections(layer):
    node = layer._inbound_nodes[0]
    out = []
    for kt in node.input_tensors:
        h = kt._keras_history
        out.append(f'{h.operation.name}[{h.node_index}][{h.tensor_index}]')
    return out


def reset_states(model):
    for layer in model.layers:
        if getattr(layer, 'stateful', False):
            layer.reset_states()


def count(ws):
    return int(sum(np.prod(w.shape) for w in ws))


def check(case, model):
    problems = []
    sequential = case['model']['class_name'] == 'Sequential'
    klayers = model.layers
    if [l.name for l in klayers] != [l['name'] for l in case['layers']]:
        problems.append(f"layer order {[l.name for l in klayers]} != {[l['name'] for l in case['layers']]}")
    for want in case['layers']:
        try:
            layer = model.get_layer(want['name'])
        except ValueError:
            problems.append(f"no layer {want['name']}")
            continue
        got = [list(t.shape) for t in layer._inbound_nodes[0].outputs]
        if got != want['output_shapes']:
            problems.append(f"{layer.name} output shapes {got} != {want['output_shapes']}")
        if layer.count_params() != want['params']:
            problems.append(f"{layer.name} params {layer.count_params()} != {want['params']}")
        if count(layer.trainable_weights) != want['trainable_params']:
            problems.append(f"{layer.name} trainable params {count(layer.trainable_weights)} != {want['trainable_params']}")
        if not sequential and want['class_name'] != 'InputLayer' and connections(layer) != want['connected_to']:
            problems.append(f"{layer.name} connected to {connections(layer)} != {want['connected_to']}")
        if layer.__class__.__name__ != want['class_name'] and not (want['class_name'] == 'InputLayer'):
            problems.append(f"{layer.name} class {layer.__class__.__name__} != {want['class_name']}")
    if model.count_params() != case['total_params']:
        problems.append(f"total params {model.count_params()} != {case['total_params']}")
    for want, t in zip(case['outputs'], model.outputs):
        if list(t.shape) != want['shape']:
            problems.append(f"output {want['layer']} shape {list(t.shape)} != {want['shape']}")
    worst_abs, worst = 0.0, 0.0
    ids = sequential and case['model']['config']['layers'][0]['class_name'] == 'Embedding'
    for i, run in enumerate(case['runs']):
        if run['reset_states_before']:
            reset_states(model)
        xs = [np.array(x['data'], dtype=np.int32 if ids else np.float32).reshape(x['shape']) for x in run['inputs']]
        ys = model(xs if len(xs) > 1 else xs[0], training=False)
        ys = ys if isinstance(ys, (list, tuple)) else [ys]
        for k, (y, want) in enumerate(zip(ys, run['outputs'])):
            y = np.asarray(y, dtype=np.float64)
            w = np.array(want['data'], dtype=np.float64).reshape(want['shape'])
            if list(y.shape) != list(w.shape):
                problems.append(f'run {i} output {k}: shape {list(y.shape)} != {list(w.shape)}')
                continue
            if y.size == 0:
                continue
            diff = np.abs(y - w)
            err = diff / np.maximum(1.0, np.abs(w))
            worst_abs = max(worst_abs, float(np.max(diff)))
            worst = max(worst, float(np.max(err)))
            if not np.all(err <= TOLERANCE):
                j = int(np.argmax(err))
                problems.append(f'run {i} output {k} (batch {y.shape[0]}): max error {np.max(err):.3g} at {j}: '
                                f'keras {y.flat[j]:.7g}, file {w.flat[j]:.7g}')
    return problems, worst, worst_abs


def summary_text(model):
    lines = []
    model.summary(print_fn=lambda x, *a, **k: lines.append(x))
    return '\n'.join(lines)


ANSI = re.compile(r'\x1b\[[0-9;]*m')


def first_line(e):
    return ANSI.sub('', f'{type(e).__name__}: {str(e)}').strip()


def keras_error(f):
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            f()
        ws = [str(w.message) for w in caught if 'keras' in (w.filename or '') and '__array__' not in str(w.message)]
        return None, ws
    except Exception as e:  # noqa: BLE001 - the message is what is recorded
        return first_line(e), []


def error_scenarios():
    L = keras.layers
    I = keras.Input  # noqa: E741

    def concat_mismatch():
        L.Concatenate(axis=-1)([I(shape=(4, 3)), I(shape=(5, 3))])

    def add_mismatch():
        L.Add()([I(shape=(3,)), I(shape=(4,))])

    def subtract_three_inputs():
        L.Subtract()([I(shape=(3,)), I(shape=(3,)), I(shape=(3,))])

    def dot_mismatch():
        L.Dot(axes=1)([I(shape=(3,)), I(shape=(4,))])

    def stateful_no_batch():
        x = I(shape=(5, 3))
        y = L.LSTM(4, stateful=True)(x)
        keras.Model(x, y).predict(np.zeros((1, 5, 3), np.float32), verbose=0)

    def stateful_no_batch_sequential():
        m = keras.Sequential([I(shape=(5, 3)), L.LSTM(4, stateful=True)])
        m.predict(np.zeros((1, 5, 3), np.float32), verbose=0)

    def stateful_wrong_batch():
        m = keras.Sequential([I(batch_shape=(2, 5, 3)), L.LSTM(4, stateful=True)])
        m.predict(np.zeros((3, 5, 3), np.float32), batch_size=3, verbose=0)

    def predict_wrong_count():
        a, b = I(shape=(2,)), I(shape=(2,))
        keras.Model([a, b], L.Add()([a, b])).predict([np.zeros((1, 2), np.float32)], verbose=0)

    def bidirectional_not_rnn():
        x = I(shape=(4, 3))
        y = L.Bidirectional(L.Dense(3))(x)
        keras.Model(x, y).predict(np.zeros((1, 4, 3), np.float32), verbose=0)

    def repeat_vector_rank3():
        L.RepeatVector(2)(I(shape=(4, 3)))

    def masking_then_conv1d():
        m = keras.Sequential([I(shape=(4, 2)), L.Masking(0.0), L.Conv1D(2, 2), L.SimpleRNN(2)])
        m.predict(np.zeros((1, 4, 2), np.float32), verbose=0)

    out = {}
    for f in [concat_mismatch, add_mismatch, subtract_three_inputs, dot_mismatch, stateful_no_batch,
              stateful_no_batch_sequential, stateful_wrong_batch, predict_wrong_count, bidirectional_not_rnn,
              repeat_vector_rank3, masking_then_conv1d]:
        keras.backend.clear_session()
        msg, ws = keras_error(f)
        out[f.__name__] = (msg, ws)
    return out


# A subset for keras3.jsonl: the first few cases of each family and every case with a note.
PER_FAMILY = 4


def main(argv):
    all_json = '--all-json' in argv
    subset_only = '--subset-only' in argv  # check only the cases keras3.jsonl holds (quicker)
    out = argv[argv.index('--out') + 1] if '--out' in argv else OUT
    if '--errors-only' in argv:
        return errors_only(out)
    with open(os.path.join(OUT, 'cases.jsonl')) as f:
        header = json.loads(f.readline())
        cases = [json.loads(line) for line in f]
    passed, failed, explained = 0, 0, 0
    worst_rel, worst_abs = 0.0, 0.0
    per_family = {}
    lines = []
    report = []
    for n, case in enumerate(cases):
        if '--verbose' in argv:
            print(f"[{n}] {case['id']}", file=sys.stderr, flush=True)
        keras.backend.clear_session()
        fam = case['family']
        take = all_json or per_family.get(fam, 0) < PER_FAMILY or 'note' in case
        if subset_only and not take:
            continue
        try:
            model = build(case)
            set_weights(model, case)
            problems, w, wa = check(case, model)
        except Exception as e:  # noqa: BLE001 - a model Keras refuses is a finding too
            model = None
            problems, w, wa = [f'Keras 3 refuses the model: {first_line(e)[:400]}'], 0.0, 0.0
        if problems:
            if 'note' in case:
                explained += 1
                tag = 'EXPLAINED'
            else:
                failed += 1
                tag = 'FAIL'
            numbers = 'numbers agree' if not any(p.startswith('run ') for p in problems) else 'numbers differ'
            if model is None:
                numbers = 'not built'
            report.append(f"{tag} {case['id']} ({numbers}, max abs diff {wa:.3g}): {case['description'][:160]}")
            report.extend(f'     {p}' for p in problems[:4])
        else:
            passed += 1
            worst_rel, worst_abs = max(worst_rel, w), max(worst_abs, wa)
        if take:
            per_family[fam] = per_family.get(fam, 0) + 1
            rec = {'id': case['id'], 'keras_version': keras.__version__, 'backend': keras.backend.backend()}
            if model is None:
                rec['error'] = problems[0].removeprefix('Keras 3 refuses the model: ')
            else:
                rec['model'] = json.loads(model.to_json())
                rec['summary'] = summary_text(model)
                rec['max_abs_diff'] = float(f'{wa:.3g}')
                rec['agrees'] = not problems
                if problems:
                    rec['problems'] = problems[:6]
            lines.append(rec)
    errors = error_scenarios()
    for sid, (msg, ws) in errors.items():
        rec = {'id': f'error:{sid}', 'keras_version': keras.__version__, 'backend': keras.backend.backend(), 'error': msg}
        if ws:
            rec['warnings'] = ws
        lines.append(rec)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'keras3.jsonl'), 'w') as f:
        for rec in lines:
            f.write(json.dumps(rec, ensure_ascii=False) + '\n')
    path = os.path.join(OUT, 'errors.json')
    with open(path) as f:
        scenarios = json.load(f)
    update_errors(scenarios, errors)
    write_errors(os.path.join(out, 'errors.json'), scenarios)
    for line in report:
        print(line)
    print(f"keras {keras.__version__} ({keras.backend.backend()}), {passed + failed + explained} of {header['cases']} cases: "
          f'worst error of the agreeing cases {worst_rel:.3g} (absolute {worst_abs:.3g}); '
          f'{explained} disagreements explained by a note; keras3.jsonl {len(lines)} lines')
    print(f'{passed} passed, {failed} failed')
    return 0 if failed == 0 else 1


def update_errors(scenarios, errors):
    # keras3_message: the JAX backend's words; another backend's go to keras3_message_<backend> where they differ
    backend = keras.backend.backend()
    for s in scenarios:
        if s['id'] not in errors:
            continue
        msg, ws = errors[s['id']]
        text = msg if msg is not None else (f'(no error; warning: {ws[0]})' if ws else None)
        key = f'keras3_message_{backend}'
        if backend == 'jax':
            s['keras3_message'] = text
        elif 'keras3_message' not in s:
            s['keras3_message'] = text
            s['keras3_message_backend'] = backend
        if backend != 'jax' and s.get('keras3_message') != text:
            s[key] = text
        elif key in s and s[key] == s.get('keras3_message'):
            del s[key]


def errors_only(out):
    os.makedirs(out, exist_ok=True)
    errors = error_scenarios()
    path = os.path.join(OUT, 'errors.json')
    with open(path) as f:
        scenarios = json.load(f)
    update_errors(scenarios, errors)
    write_errors(os.path.join(out, 'errors.json'), scenarios)
    for sid, (msg, ws) in errors.items():
        print(f'{sid}: {msg or ws}'.splitlines()[0])
    return 0


def write_errors(path, scenarios):
    # the layout graphs.mjs writes (toJson of tfjs-models.mjs): two-space indent, one key a line
    buf = io.StringIO()
    buf.write('[\n')
    for i, s in enumerate(scenarios):
        buf.write('  {\n')
        items = list(s.items())
        for j, (k, v) in enumerate(items):
            buf.write(f'    {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}{"," if j < len(items) - 1 else ""}\n')
        buf.write('  }' + (',' if i < len(scenarios) - 1 else '') + '\n')
    buf.write(']\n')
    with open(path, 'w') as f:
        f.write(buf.getvalue())


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
