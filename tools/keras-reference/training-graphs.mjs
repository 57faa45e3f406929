// Keras training references for ShapeLab's functional (graph) models, computed with TensorFlow.js 4.22.0 (pure JS,
// CPU): per case a tf.model (or a tf.sequential) with seeded weights, an optimizer and one loss per output, three
// batches through trainOnBatch, the total loss and every output's loss of each step (before its update), every weight
// after the last step, and evaluate() on the first batch afterwards. Covers merges (Add, Subtract, Multiply, Average,
// Maximum, Minimum, Concatenate, Dot), a tensor read twice, shared layers, several outputs with different losses,
// RepeatVector, Masking and Bidirectional.
//
// Writes src/test/resources/keras-reference/training-graphs.json. Deterministic. Re-run:
//   cd tools/keras-reference && npm ci && npm run training-graphs
//
// Each case's model, weights and batches come from its own seed (FNV-1a of its id), so cases do not depend on each
// other. What TF.js does not do as Keras, and how the cases handle it:
// - Adam: Keras's update on TF.js's gradients (KerasAdam, see tfjs-models.mjs), as in training.mjs.
// - Keras's Bidirectional with return_sequences=True forces zero_output_for_mask=True on both halves: at masked steps
//   its outputs are 0. TF.js repeats the previous output there instead. Where a later layer reads those steps
//   (Masking -> Bidirectional -> Flatten, Flatten drops the mask in Keras 3) the trained TF.js model has a ZeroMasked
//   layer after the Bidirectional that multiplies the masked steps by 0; the fixture keeps the model JSON without it
//   (`oracle: "tfjs-zero-output-for-mask"`). Where a later RNN skips the masked steps TF.js is right as it is.
// - Keras 3 weights a loss by the mask of its output (the mean over unmasked steps only); TF.js ignores output masks.
//   No case's output carries a mask: every masked sequence ends in an RNN without return_sequences or in a Flatten.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  tf, TFJS_VERSION, mulberry32, seedOf, uniformArray, num, toJson, size, shortWeightName, KerasAdam, kerasDefaults,
  kerasNamer,
} from './tfjs-models.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = resolve(HERE, '..', '..', 'src', 'test', 'resources', 'keras-reference', 'training-graphs.json');

const LOSSES = {
  mse: { keras: 'mean_squared_error', tfjs: 'meanSquaredError' },
  mae: { keras: 'mean_absolute_error', tfjs: 'meanAbsoluteError' },
  bce: { keras: 'binary_crossentropy', tfjs: 'binaryCrossentropy' },
  cce: { keras: 'categorical_crossentropy', tfjs: 'categoricalCrossentropy' },
  sparse: { keras: 'sparse_categorical_crossentropy', tfjs: 'sparseCategoricalCrossentropy' },
  // Keras 3's from_logits formula as a TF.js function (per sample; TF.js averages it), as in training.mjs.
  bce_logits: {
    keras: 'binary_crossentropy', fromLogits: true,
    tfjs: (yt, z) => tf.tidy(() => tf.relu(z).sub(z.mul(yt)).add(tf.log1p(tf.exp(z.abs().neg()))).mean(-1)),
  },
};

// Keras's defaults where the brief names none: Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7),
// RMSprop(rho=0.9, epsilon=1e-7) with 0.01 as in training.mjs.
const OPTIMIZERS = {
  sgd: { keras: { name: 'sgd', learning_rate: 0.01 }, make: () => tf.train.sgd(0.01) },
  sgd_momentum: { keras: { name: 'sgd', learning_rate: 0.01, momentum: 0.9 }, make: () => tf.train.momentum(0.01, 0.9, false) },
  adam: { keras: { name: 'adam', learning_rate: 0.001 }, make: () => new KerasAdam(0.001) },
  rmsprop: { keras: { name: 'rmsprop', learning_rate: 0.01 }, make: () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7) },
};
const OPTIMIZER_CYCLE = ['sgd', 'adam', 'rmsprop', 'sgd_momentum'];
const BATCH_CYCLE = [[5, 3, 1], [3, 5, 1], [1, 3, 5], [3, 1, 5]];

// Keras's snake-case auto-names per model (dense, dense_1, ...); input layers as Keras 3 names them.
const SNAKE = {
  input: 'input_layer', dense: 'dense', add: 'add', subtract: 'subtract', multiply: 'multiply', average: 'average',
  maximum: 'maximum', minimum: 'minimum', concatenate: 'concatenate', dot: 'dot', flatten: 'flatten',
  repeatVector: 'repeat_vector', masking: 'masking', simpleRNN: 'simple_rnn', lstm: 'lstm', gru: 'gru',
  bidirectional: 'bidirectional', timeDistributed: 'time_distributed',
};

function factory() {
  const nextName = kerasNamer();
  const L = {};
  for (const [fn, snake] of Object.entries(SNAKE)) {
    L[fn] = (config = {}) => {
      const cfg = { ...kerasDefaults(fn, config), name: nextName(snake) };
      if (fn === 'gru') cfg.resetAfter = false; // TF.js has no reset_after=True
      if (fn === 'input') return tf.input(cfg);
      if (fn === 'subtract') return new Subtract(cfg);
      return tf.layers[fn](cfg);
    };
  }
  return L;
}

// Zeroes the masked steps of a sequence: what Keras's Bidirectional(return_sequences=True) returns there (see above).
// Only in the model TF.js trains, never in the fixture's JSON.
class ZeroMasked extends tf.layers.Layer {
  constructor() {
    super({ name: 'oracle_zero_masked' });
    this.supportsMasking = true;
  }

  call(inputs, kwargs) {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const mask = kwargs.mask == null ? null : (Array.isArray(kwargs.mask) ? kwargs.mask[0] : kwargs.mask);
      return mask == null ? x : x.mul(mask.toFloat().expandDims(-1));
    });
  }

  computeMask(inputs, mask) {
    return mask;
  }

  static get className() {
    return 'ZeroMasked';
  }
}

// TF.js has no Subtract layer: Keras's (inputs[0] - inputs[1], exactly two inputs) on TF.js's Merge base class, which
// gives it Add's shape and mask rules; TF.js differentiates it. Registered, so its JSON is {"class_name": "Subtract"}.
const Merge = Object.getPrototypeOf(tf.layers.add().constructor);
class Subtract extends Merge {
  build(inputShape) {
    super.build(inputShape);
    if (inputShape.length !== 2) throw new Error('A Subtract layer takes exactly 2 inputs');
  }

  mergeFunction(inputs) {
    return tf.tidy(() => tf.sub(inputs[0], inputs[1]));
  }

  static get className() {
    return 'Subtract';
  }
}
tf.serialization.registerClass(Subtract);

const CASES = [];
// build(L, oracle) returns { inputs, outputs } (a tf.model named "functional") or { layers } (a tf.sequential).
// data: per model input 'uniform' (in [-1, 1]) or 'padded' (some samples have zero time steps, see inputData).
function T(id, build, { losses = ['mse'], data, oracle } = {}) {
  const n = CASES.length;
  CASES.push({
    id, build, losses, data, oracle,
    optimizer: OPTIMIZER_CYCLE[n % OPTIMIZER_CYCLE.length],
    batches: BATCH_CYCLE[Math.floor(n / OPTIMIZER_CYCLE.length) % BATCH_CYCLE.length],
  });
}

// Two inputs of three features, a Dense branch each, merged, and a Dense head.
for (const merge of ['add', 'subtract', 'multiply', 'average', 'maximum', 'minimum']) {
  T(`merge_${merge}`, (L) => {
    const a = L.input({ shape: [3] });
    const b = L.input({ shape: [3] });
    const m = L[merge]().apply([L.dense({ units: 4, activation: 'tanh' }).apply(a), L.dense({ units: 4 }).apply(b)]);
    return { inputs: [a, b], outputs: [L.dense({ units: 2 }).apply(m)] };
  });
}
T('merge_add_three', (L) => {
  const a = L.input({ shape: [3] });
  const b = L.input({ shape: [2] });
  const h = L.dense({ units: 3, activation: 'tanh' }).apply(a);
  const m = L.add().apply([h, L.dense({ units: 3 }).apply(b), a]);
  return { inputs: [a, b], outputs: [L.dense({ units: 1 }).apply(m)] };
});
T('merge_multiply_inputs_direct', (L) => {
  const a = L.input({ shape: [4] });
  const b = L.input({ shape: [4] });
  return { inputs: [a, b], outputs: [L.dense({ units: 2 }).apply(L.multiply().apply([a, b]))] };
});
T('merge_concatenate_last_axis', (L) => {
  const a = L.input({ shape: [3] });
  const b = L.input({ shape: [2] });
  const m = L.concatenate({ axis: -1 }).apply([L.dense({ units: 3, activation: 'tanh' }).apply(a), b]);
  return { inputs: [a, b], outputs: [L.dense({ units: 2 }).apply(m)] };
});
T('merge_concatenate_axis1_vectors', (L) => {
  const a = L.input({ shape: [3] });
  const b = L.input({ shape: [2] });
  const m = L.concatenate({ axis: 1 }).apply([L.dense({ units: 2, activation: 'tanh' }).apply(a), L.dense({ units: 3 }).apply(b)]);
  return { inputs: [a, b], outputs: [L.dense({ units: 2 }).apply(m)] };
});
T('merge_concatenate_axis1_sequences', (L) => {
  const a = L.input({ shape: [3, 2] });
  const b = L.input({ shape: [2, 2] });
  const m = L.concatenate({ axis: 1 }).apply([L.dense({ units: 3, activation: 'tanh' }).apply(a), L.dense({ units: 3 }).apply(b)]);
  return { inputs: [a, b], outputs: [L.dense({ units: 2 }).apply(L.flatten().apply(m))] };
});
T('merge_concatenate_last_axis_sequences_lstm', (L) => {
  const a = L.input({ shape: [4, 2] });
  const b = L.input({ shape: [4, 1] });
  const m = L.concatenate({ axis: -1 }).apply([L.dense({ units: 2, activation: 'tanh' }).apply(a), b]);
  return { inputs: [a, b], outputs: [L.dense({ units: 1 }).apply(L.lstm({ units: 3 }).apply(m))] };
});
for (const normalize of [false, true]) {
  T(`merge_dot_axes1${normalize ? '_normalize' : ''}`, (L) => {
    const a = L.input({ shape: [4] });
    const b = L.input({ shape: [2] });
    const d = L.dot({ axes: 1, normalize }).apply([L.dense({ units: 3, activation: 'tanh' }).apply(a), L.dense({ units: 3 }).apply(b)]);
    return { inputs: [a, b], outputs: [L.dense({ units: 2 }).apply(d)] };
  });
  T(`merge_dot_rank3_axes2${normalize ? '_normalize' : ''}`, (L) => {
    const a = L.input({ shape: [3, 2] });
    const b = L.input({ shape: [2, 3] });
    const d = L.dot({ axes: 2, normalize }).apply([L.dense({ units: 4, activation: 'tanh' }).apply(a), L.dense({ units: 4 }).apply(b)]);
    return { inputs: [a, b], outputs: [L.dense({ units: 2 }).apply(L.flatten().apply(d))] };
  });
}
T('merge_dot_axes1_output_bce_logits', (L) => {
  const a = L.input({ shape: [3] });
  const b = L.input({ shape: [3] });
  return { inputs: [a, b], outputs: [L.dot({ axes: 1 }).apply([L.dense({ units: 4 }).apply(a), L.dense({ units: 4 }).apply(b)])] };
}, { losses: ['bce_logits'] });

// One tensor read by several layers, and layers called on several tensors.
T('reuse_tensor_twice', (L) => {
  const x = L.input({ shape: [3] });
  const a = L.dense({ units: 4, activation: 'tanh' }).apply(x);
  const b = L.dense({ units: 4, activation: 'sigmoid' }).apply(x);
  return { inputs: [x], outputs: [L.dense({ units: 2 }).apply(L.add().apply([a, b]))] };
});
T('reuse_tensor_twice_hidden', (L) => {
  const x = L.input({ shape: [3] });
  const h = L.dense({ units: 4, activation: 'tanh' }).apply(x);
  const a = L.dense({ units: 3, activation: 'relu' }).apply(h);
  const b = L.dense({ units: 3 }).apply(h);
  return { inputs: [x], outputs: [L.dense({ units: 2 }).apply(L.multiply().apply([a, b]))] };
});
T('reuse_residual_add', (L) => {
  const x = L.input({ shape: [3] });
  const h = L.dense({ units: 4, activation: 'tanh' }).apply(x);
  const g = L.dense({ units: 4, activation: 'tanh' }).apply(h);
  return { inputs: [x], outputs: [L.dense({ units: 2 }).apply(L.add().apply([h, g]))] };
});
T('reuse_shared_dense', (L) => {
  const a = L.input({ shape: [3] });
  const b = L.input({ shape: [3] });
  const shared = L.dense({ units: 4, activation: 'tanh' });
  const m = L.subtract().apply([shared.apply(a), shared.apply(b)]);
  return { inputs: [a, b], outputs: [L.dense({ units: 1 }).apply(m)] };
});
T('reuse_shared_dense_concatenate', (L) => {
  const a = L.input({ shape: [3] });
  const b = L.input({ shape: [3] });
  const shared = L.dense({ units: 3, activation: 'relu' });
  const m = L.concatenate().apply([shared.apply(a), shared.apply(b)]);
  return { inputs: [a, b], outputs: [L.dense({ units: 2, activation: 'softmax' }).apply(m)] };
}, { losses: ['cce'] });
T('reuse_shared_dense_twice_on_one_input', (L) => {
  const x = L.input({ shape: [3] });
  const shared = L.dense({ units: 3, activation: 'tanh' });
  const h = shared.apply(shared.apply(x));
  return { inputs: [x], outputs: [L.dense({ units: 2 }).apply(h)] };
});
T('reuse_shared_lstm_siamese', (L) => {
  const a = L.input({ shape: [4, 2] });
  const b = L.input({ shape: [4, 2] });
  const shared = L.lstm({ units: 3 });
  const d = L.dot({ axes: 1, normalize: true }).apply([shared.apply(a), shared.apply(b)]);
  return { inputs: [a, b], outputs: [L.dense({ units: 1, activation: 'sigmoid' }).apply(d)] };
}, { losses: ['bce'] });

// Several outputs, a loss each.
T('outputs_mse_sparse', (L) => {
  const x = L.input({ shape: [4] });
  const h = L.dense({ units: 4, activation: 'tanh' }).apply(x);
  return { inputs: [x], outputs: [L.dense({ units: 2 }).apply(h), L.dense({ units: 3, activation: 'softmax' }).apply(h)] };
}, { losses: ['mse', 'sparse'] });
T('outputs_bce_mae', (L) => {
  const a = L.input({ shape: [3] });
  const b = L.input({ shape: [2] });
  const h = L.dense({ units: 4, activation: 'tanh' }).apply(L.concatenate().apply([a, b]));
  return { inputs: [a, b], outputs: [L.dense({ units: 1, activation: 'sigmoid' }).apply(h), L.dense({ units: 2 }).apply(h)] };
}, { losses: ['bce', 'mae'] });
T('outputs_one_feeds_the_other', (L) => {
  const x = L.input({ shape: [3] });
  const first = L.dense({ units: 3, activation: 'tanh' }).apply(x);
  const second = L.dense({ units: 2, activation: 'softmax' }).apply(first);
  return { inputs: [x], outputs: [first, second] };
}, { losses: ['mse', 'sparse'] });
T('outputs_two_inputs_sequence_and_vector', (L) => {
  const a = L.input({ shape: [3, 2] });
  const b = L.input({ shape: [2] });
  const seq = L.gru({ units: 3, returnSequences: true }).apply(a);
  const last = L.simpleRNN({ units: 2 }).apply(seq);
  const m = L.concatenate().apply([last, b]);
  return {
    inputs: [a, b],
    outputs: [L.timeDistributed({ layer: L.dense({ units: 1 }) }).apply(seq), L.dense({ units: 1, activation: 'sigmoid' }).apply(m)],
  };
}, { losses: ['mae', 'bce'] });

// RepeatVector into a recurrent decoder.
for (const [fn, tag] of [['lstm', 'lstm'], ['gru', 'gru'], ['simpleRNN', 'simple_rnn']]) {
  T(`repeat_vector_${tag}_time_distributed`, (L) => {
    const x = L.input({ shape: [3] });
    const r = L.repeatVector({ n: 4 }).apply(L.dense({ units: 3, activation: 'tanh' }).apply(x));
    const s = L[fn]({ units: 3, returnSequences: true }).apply(r);
    return { inputs: [x], outputs: [L.timeDistributed({ layer: L.dense({ units: 2 }) }).apply(s)] };
  });
}

// Masking of zero time steps (the data has such steps: padded at the end, at the start, in the middle).
for (const [fn, tag] of [['gru', 'gru'], ['lstm', 'lstm'], ['simpleRNN', 'simple_rnn']]) {
  T(`masking_${tag}`, (L) => {
    const x = L.input({ shape: [5, 2] });
    const h = L[fn]({ units: 3 }).apply(L.masking({ maskValue: 0 }).apply(x));
    return { inputs: [x], outputs: [L.dense({ units: 2 }).apply(h)] };
  }, { data: ['padded'] });
}
T('masking_lstm_sequences_gru', (L) => {
  const x = L.input({ shape: [5, 2] });
  const s = L.lstm({ units: 3, returnSequences: true }).apply(L.masking({ maskValue: 0 }).apply(x));
  return { inputs: [x], outputs: [L.dense({ units: 1 }).apply(L.gru({ units: 2 }).apply(s))] };
}, { data: ['padded'] });

// Bidirectional: every merge mode with every recurrent layer, return_sequences true and false.
const RNNS = [['simpleRNN', 'simple_rnn'], ['lstm', 'lstm'], ['gru', 'gru']];
const MERGES = ['concat', 'sum', 'mul', 'ave'];
RNNS.forEach(([fn, tag], r) => {
  MERGES.forEach((mergeMode, m) => {
    const returnSequences = (r + m) % 2 === 0;
    T(`bidirectional_${tag}_${mergeMode}_${returnSequences ? 'sequences' : 'last'}`, (L) => {
      const x = L.input({ shape: [4, 2] });
      const h = L.bidirectional({ layer: L[fn]({ units: 2, returnSequences }), mergeMode }).apply(x);
      const out = returnSequences ? L.timeDistributed({ layer: L.dense({ units: 1 }) }).apply(h) : L.dense({ units: 2 }).apply(h);
      return { inputs: [x], outputs: [out] };
    });
  });
});
for (const [fn, tag] of RNNS) {
  T(`bidirectional_${tag}_merge_none_two_outputs`, (L) => {
    const x = L.input({ shape: [3, 2] });
    const [forward, backward] = L.bidirectional({ layer: L[fn]({ units: 2 }), mergeMode: null }).apply(x);
    return { inputs: [x], outputs: [forward, L.dense({ units: 1, activation: 'sigmoid' }).apply(backward)] };
  }, { losses: ['mse', 'bce'] });
}
T('bidirectional_lstm_merge_none_sequences_two_outputs', (L) => {
  const x = L.input({ shape: [3, 2] });
  const [forward, backward] = L.bidirectional({ layer: L.lstm({ units: 2, returnSequences: true }), mergeMode: null }).apply(x);
  return { inputs: [x], outputs: [forward, backward] };
}, { losses: ['mse', 'mae'] });
T('bidirectional_sequences_direct_output', (L) => {
  const x = L.input({ shape: [4, 2] });
  return { inputs: [x], outputs: [L.bidirectional({ layer: L.gru({ units: 2, returnSequences: true }), mergeMode: 'concat' }).apply(x)] };
});
T('bidirectional_stacked', (L) => {
  const x = L.input({ shape: [4, 2] });
  const s = L.bidirectional({ layer: L.simpleRNN({ units: 2, returnSequences: true }), mergeMode: 'sum' }).apply(x);
  const h = L.bidirectional({ layer: L.lstm({ units: 2 }), mergeMode: 'concat' }).apply(s);
  return { inputs: [x], outputs: [L.dense({ units: 1 }).apply(h)] };
});

// Masking -> Bidirectional.
for (const [fn, tag] of RNNS) {
  T(`masking_bidirectional_${tag}_last`, (L) => {
    const x = L.input({ shape: [5, 2] });
    const h = L.bidirectional({ layer: L[fn]({ units: 2 }), mergeMode: 'concat' }).apply(L.masking({ maskValue: 0 }).apply(x));
    return { inputs: [x], outputs: [L.dense({ units: 2 }).apply(h)] };
  }, { data: ['padded'] });
  T(`masking_bidirectional_${tag}_sequences_rnn`, (L) => {
    const x = L.input({ shape: [5, 2] });
    const s = L.bidirectional({ layer: L[fn]({ units: 2, returnSequences: true }), mergeMode: 'ave' }).apply(L.masking({ maskValue: 0 }).apply(x));
    return { inputs: [x], outputs: [L.dense({ units: 1 }).apply(L.simpleRNN({ units: 2 }).apply(s))] };
  }, { data: ['padded'] });
}
for (const [fn, tag, mergeMode] of [['lstm', 'lstm', 'concat'], ['gru', 'gru', 'mul'], ['simpleRNN', 'simple_rnn', 'sum']]) {
  T(`masking_bidirectional_${tag}_sequences_flatten_${mergeMode}`, (L, oracle) => {
    const x = L.input({ shape: [4, 2] });
    let s = L.bidirectional({ layer: L[fn]({ units: 2, returnSequences: true }), mergeMode }).apply(L.masking({ maskValue: 0 }).apply(x));
    if (oracle) s = new ZeroMasked().apply(s);
    return { inputs: [x], outputs: [L.dense({ units: 2 }).apply(L.flatten().apply(s))] };
  }, { data: ['padded'], oracle: 'tfjs-zero-output-for-mask' });
}

// Sequential models with RepeatVector, Masking and Bidirectional.
T('sequential_repeat_vector_bidirectional', (L) => ({
  layers: [
    L.dense({ units: 3, activation: 'tanh', inputShape: [3] }),
    L.repeatVector({ n: 3 }),
    L.bidirectional({ layer: L.lstm({ units: 2, returnSequences: true }), mergeMode: 'concat' }),
    L.timeDistributed({ layer: L.dense({ units: 1 }) }),
  ],
}));
T('sequential_masking_bidirectional_gru', (L) => ({
  layers: [
    L.masking({ maskValue: 0, inputShape: [5, 2] }),
    L.bidirectional({ layer: L.gru({ units: 2 }), mergeMode: 'sum' }),
    L.dense({ units: 3, activation: 'softmax' }),
  ],
}), { losses: ['sparse'], data: ['padded'] });
T('sequential_bidirectional_repeat_vector_simple_rnn', (L) => ({
  layers: [
    L.bidirectional({ layer: L.simpleRNN({ units: 2 }), mergeMode: 'mul', inputShape: [3, 2] }),
    L.repeatVector({ n: 2 }),
    L.gru({ units: 2, returnSequences: true }),
    L.flatten(),
    L.dense({ units: 1 }),
  ],
}));

// ---------------------------------------------------------------------------------------------

const short = (v) => Math.fround(Number(v.toPrecision(4)));
const record = (t) => ({ shape: t.shape.slice(), data: Array.from(t.dataSync(), num) });

function buildModel(c, oracle) {
  const spec = c.build(factory(), oracle);
  if (spec.layers) {
    const model = tf.sequential({ name: 'sequential' });
    for (const layer of spec.layers) model.add(layer);
    return model;
  }
  return tf.model({ inputs: spec.inputs, outputs: spec.outputs, name: 'functional' });
}

// A float input; 'padded': sequences where some samples have all-zero time steps (Masking(0.0) skips them). Sample i
// of step s has, by (i + s) mod 4, 1 to steps-2 zero steps at the end, as many at the start, one in the middle, or
// none (sample 0 then has them at the end, so every batch, also a batch of 1, has masked steps).
function inputData(rand, kind, shape, step) {
  const data = uniformArray(rand, size(shape), -1, 1).map(short);
  if (kind === 'padded') {
    const [n, steps, features] = shape;
    for (let i = 0; i < n; i++) {
      const zero = (t) => data.fill(0, (i * steps + t) * features, (i * steps + t + 1) * features);
      const k = 1 + Math.floor(rand() * (steps - 2)); // 1 .. steps-2 zero steps
      switch ((i + step) % 4) {
        case 0: for (let t = steps - k; t < steps; t++) zero(t); break; // trailing
        case 1: for (let t = 0; t < k; t++) zero(t); break; // leading
        case 2: zero(1 + Math.floor(rand() * (steps - 2))); break; // one in the middle
        default: break; // none
      }
      if (i === 0 && (i + step) % 4 === 3) for (let t = steps - k; t < steps; t++) zero(t);
    }
  }
  return tf.tensor(data, shape);
}

function labels(rand, lossKey, outShape, n) {
  const last = outShape[outShape.length - 1];
  const perSample = size(outShape.slice(1));
  if (lossKey === 'sparse') {
    const count = perSample / last;
    const data = new Float32Array(n * count);
    for (let i = 0; i < data.length; i++) data[i] = Math.floor(rand() * last);
    return tf.tensor(data, [n, ...outShape.slice(1, -1), 1]);
  }
  if (lossKey === 'cce') {
    const rows = (n * perSample) / last;
    const data = new Float32Array(n * perSample);
    for (let r = 0; r < rows; r++) data[r * last + Math.floor(rand() * last)] = 1;
    return tf.tensor(data, [n, ...outShape.slice(1)]);
  }
  if (lossKey.startsWith('bce')) {
    const data = new Float32Array(n * perSample);
    for (let i = 0; i < data.length; i++) data[i] = rand() < 0.5 ? 0 : 1;
    return tf.tensor(data, [n, ...outShape.slice(1)]);
  }
  return tf.tensor(uniformArray(rand, n * perSample, -1, 1).map(short), [n, ...outShape.slice(1)]);
}

// Weights as Keras's get_weights() lists them, layer by layer in model.layers order (a Bidirectional: its forward
// layer's, then its backward layer's). `name` is the weight's path inside its layer (kernel, forward_lstm/kernel).
function weightRecords(model, values = (w) => w.read().dataSync()) {
  const out = [];
  for (const layer of model.layers) {
    for (const w of layer.weights) {
      const path = w.originalName.split('/');
      const inner = path.indexOf(layer.name);
      const name = inner >= 0 && path.length - inner > 2 ? path.slice(inner + 1).join('/') : shortWeightName(w);
      out.push({ layer: layer.name, name, shape: w.shape.slice(), data: Array.from(values(w), num) });
    }
  }
  return out;
}

const shapesOf = (tensors) => tensors.map((t) => t.shape.slice());
const listOf = (x) => (Array.isArray(x) ? x : [x]);

async function runCase(c) {
  const plain = buildModel(c, false);
  const model = c.oracle ? buildModel(c, true) : plain;
  const rand = mulberry32(seedOf(c.id));
  if (model.outputs.length !== c.losses.length) throw new Error(`${c.id}: ${model.outputs.length} outputs, ${c.losses.length} losses`);
  // Seeded weights, layer by layer (set with layer.setWeights: a Bidirectional takes forward's then backward's).
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const values = layer.weights.map((w) => tf.tensor(uniformArray(rand, size(w.shape), -0.5, 0.5).map(short), w.shape));
    layer.setWeights(values);
    tf.dispose(values);
  }
  const initial = weightRecords(model);
  const losses = c.losses.map((k) => LOSSES[k]);
  const optimizer = OPTIMIZERS[c.optimizer].make();
  model.compile({ optimizer, loss: losses.map((l) => l.tfjs) });
  // TF.js adds the outputs' unreduced losses before it takes their mean: right when they have one shape (or
  // broadcast), an error otherwise (a sequence output's (batch, steps) with a vector output's (batch)). Such
  // models get TF.js's own loss functions averaged per sample first, which leaves every mean as it was.
  const builtins = (model.model ?? model).lossFunctions.slice(); // a tf.Sequential compiles its inner LayersModel
  if (new Set(model.outputs.map((o) => o.shape.length)).size > 1) {
    const perSample = (fn) => (yt, yp) => tf.tidy(() => {
      const l = fn(yt, yp);
      return l.rank > 1 ? l.mean(Array.from({ length: l.rank - 1 }, (_, k) => k + 1)) : l;
    });
    model.compile({ optimizer, loss: builtins.map(perSample) });
  }
  const inShapes = model.inputs.map((t) => t.shape);
  const outShapes = model.outputs.map((t) => t.shape);
  const batches = [];
  const totals = [];
  const perOutput = [];
  for (let step = 0; step < c.batches.length; step++) {
    const n = c.batches[step];
    const xs = inShapes.map((s, i) => inputData(rand, c.data?.[i] ?? 'uniform', [n, ...s.slice(1)], step));
    const ys = outShapes.map((s, i) => labels(rand, c.losses[i], s, n));
    xs.forEach((x, i) => { if (x.shape.join() !== [n, ...inShapes[i].slice(1)].join()) throw new Error(`${c.id}: x shape`); });
    const value = listOf(await model.trainOnBatch(xs.length === 1 ? xs[0] : xs, ys.length === 1 ? ys[0] : ys));
    if (value.length !== (ys.length === 1 ? 1 : ys.length + 1)) throw new Error(`${c.id}: trainOnBatch gave ${value}`);
    totals.push(num(value[0]));
    perOutput.push(ys.length === 1 ? [num(value[0])] : value.slice(1).map(num));
    batches.push({ x: xs.map(record), y: ys.map(record) });
    tf.dispose([...xs, ...ys]);
  }
  const finalWeights = weightRecords(model);
  const ex = batches[0].x.map((r) => tf.tensor(r.data, r.shape));
  const ey = batches[0].y.map((r) => tf.tensor(r.data, r.shape));
  // TF.js's evaluate() of several outputs returns the running sums [loss 1, loss 1 + loss 2, ...] (no separate
  // total): the last is the total. Checked against the sum of each output's mean loss on predict()'s outputs.
  const evaluated = listOf(model.evaluate(ex.length === 1 ? ex[0] : ex, ey.length === 1 ? ey[0] : ey, { batchSize: 32 }));
  const evalLoss = num(evaluated[ey.length - 1].dataSync()[0]);
  const predicted = listOf(model.predict(ex.length === 1 ? ex[0] : ex));
  const summed = predicted.reduce((s, p, i) => s + tf.tidy(() => builtins[i](ey[i], p).mean().dataSync()[0]), 0);
  if (Math.abs(summed - evalLoss) > 1e-5 * Math.max(1, Math.abs(evalLoss))) {
    throw new Error(`${c.id}: evaluate() gave ${evalLoss}, the outputs' losses add up to ${summed}`);
  }
  tf.dispose([...ex, ...ey, ...evaluated, ...predicted]);
  // The oracle model has the same layers (names, weights) as the plain one plus weightless ones; check that.
  const plainNames = weightRecords(plain, (w) => []).map((w) => `${w.layer}/${w.name}`).join();
  if (plainNames !== initial.map((w) => `${w.layer}/${w.name}`).join()) throw new Error(`${c.id}: oracle weights differ`);
  const rec = {
    id: c.id,
    oracle: c.oracle ?? 'tfjs',
    model: plain.toJSON(null, false),
    optimizer: OPTIMIZERS[c.optimizer].keras,
    losses_config: losses.map((l) => ({ name: l.keras, from_logits: l.fromLogits ?? false })),
    input_shapes: shapesOf(model.inputs).map((s) => s.slice(1)),
    output_shapes: shapesOf(model.outputs).map((s) => s.slice(1)),
    initial_weights: initial,
    batches,
    losses: totals,
    output_losses: perOutput,
    final_weights: finalWeights,
    evaluate_first_batch_loss: evalLoss,
  };
  if (model !== plain) model.dispose();
  plain.dispose();
  return rec;
}

const only = process.argv.includes('--case') ? process.argv[process.argv.indexOf('--case') + 1] : null;
const cases = [];
for (const c of CASES) {
  if (only != null && c.id !== only) continue;
  try {
    cases.push(await runCase(c));
  } catch (e) {
    e.message = `${c.id}: ${e.message}`;
    throw e;
  }
}
if (only != null) {
  process.stdout.write(`${toJson(cases[0])}\n`);
} else {
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${toJson({ generator: 'tools/keras-reference/training-graphs.mjs', tfjs_version: TFJS_VERSION, cases })}\n`);
  const families = {};
  for (const c of cases) families[c.id.split('_')[0]] = (families[c.id.split('_')[0]] ?? 0) + 1;
  process.stderr.write(`wrote ${OUT}: ${cases.length} cases ${JSON.stringify(families)}\n`);
}
