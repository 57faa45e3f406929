// Keras-compatible reference data for ShapeLab, computed with TensorFlow.js 4.22.0 (pure JS, CPU).
//
// Writes (relative to the repository root):
//   src/test/resources/keras-reference/models.json   shapes, parameter counts, weight shapes, model JSON
//   src/test/resources/keras-reference/forward.json  seeded weights + inputs and the resulting predictions
//
// Output is deterministic: seeded PRNG per case, explicit Keras-style layer names, stable key order,
// no timestamps. Re-run: cd tools/keras-reference && npm ci && npm run generate

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf } from './quiet-tfjs.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT_DIR = resolve(HERE, '..', '..', 'src', 'test', 'resources', 'keras-reference');
const GENERATOR = 'tools/keras-reference/generate.mjs';
const TFJS_VERSION = tf.version.tfjs;
if (TFJS_VERSION !== '4.22.0') {
  throw new Error(`expected @tensorflow/tfjs 4.22.0, got ${TFJS_VERSION}`);
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------------------------

function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// FNV-1a of the case id, so each case's numbers do not depend on the other cases.
function seedOf(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function uniformArray(rand, n, lo, hi) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rand();
  return out;
}

function intArray(rand, n, maxExclusive) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rand() * maxExclusive);
  return out;
}

// float32 -> shortest decimal with 9 significant digits (round-trips float32)
function num(x) {
  const v = Number(Math.fround(x).toPrecision(9));
  return Object.is(v, -0) ? 0 : v;
}

// ---------------------------------------------------------------------------------------------
// Keras-style layer factory with Keras auto-naming (snake_case of class + _1, _2 ... per model)
// ---------------------------------------------------------------------------------------------

const KERAS_SNAKE = {
  dense: 'dense', conv1d: 'conv1d', conv2d: 'conv2d',
  maxPooling1d: 'max_pooling1d', maxPooling2d: 'max_pooling2d',
  averagePooling1d: 'average_pooling1d', averagePooling2d: 'average_pooling2d',
  globalAveragePooling1d: 'global_average_pooling1d', globalAveragePooling2d: 'global_average_pooling2d',
  globalMaxPooling1d: 'global_max_pooling1d', globalMaxPooling2d: 'global_max_pooling2d',
  flatten: 'flatten', reshape: 'reshape', permute: 'permute', dropout: 'dropout',
  activation: 'activation', simpleRNN: 'simple_rnn', lstm: 'lstm', gru: 'gru',
  embedding: 'embedding', batchNormalization: 'batch_normalization', timeDistributed: 'time_distributed',
};

// oracle = true: BatchNormalization with a non-last axis becomes Permute -> BatchNormalization(axis=-1)
// -> Permute (same weights). TF.js 4.22's CPU batchNorm kernel indexes mean/variance/gamma/beta as
// if they ran along the last axis, so predict() of BatchNormalization(axis=1) on rank >= 3 inputs
// is wrong; the permuted model computes the same function with the correct last-axis kernel.
function layerFactory(oracle = false) {
  const counts = new Map();
  const nextName = (snake) => {
    const n = counts.get(snake) ?? 0;
    counts.set(snake, n + 1);
    return n === 0 ? snake : `${snake}_${n}`;
  };
  const L = {};
  for (const [fn, snake] of Object.entries(KERAS_SNAKE)) {
    L[fn] = (config = {}) => {
      const cfg = { ...config };
      // TF.js defaults recurrentActivation to hardSigmoid, Keras to sigmoid.
      if ((fn === 'lstm' || fn === 'gru') && cfg.recurrentActivation === undefined) {
        cfg.recurrentActivation = 'sigmoid';
      }
      cfg.name = nextName(snake);
      if (oracle && fn === 'batchNormalization' && cfg.axis != null && cfg.axis !== -1) {
        return { bnOracle: cfg };
      }
      return tf.layers[fn](cfg);
    };
  }
  return L;
}

function buildModel(caseDef, oracle = false) {
  const L = layerFactory(oracle);
  const model = tf.sequential({ name: 'sequential' });
  let permutes = 0;
  const permute = (dims, inputShape) => {
    const name = permutes === 0 ? 'oracle_permute' : `oracle_permute_${permutes}`;
    permutes += 1;
    return tf.layers.permute(inputShape ? { dims, name, inputShape } : { dims, name });
  };
  for (const layer of caseDef.build(L)) {
    if (layer.bnOracle) {
      const { inputShape, batchInputShape, ...cfg } = layer.bnOracle;
      const shape = model.layers.length > 0 ? model.outputShape : (batchInputShape ?? [null, ...inputShape]);
      const rank = shape.length - 1; // without batch
      const axis = cfg.axis < 0 ? cfg.axis + rank + 1 : cfg.axis;
      const dims = [];
      for (let d = 1; d <= rank; d++) if (d !== axis) dims.push(d);
      dims.push(axis);
      const inverse = dims.map((_, i) => dims.indexOf(i + 1) + 1);
      model.add(permute(dims, model.layers.length > 0 ? undefined : shape.slice(1)));
      model.add(tf.layers.batchNormalization({ ...cfg, axis: -1 }));
      model.add(permute(inverse));
    } else {
      model.add(layer);
    }
  }
  return model;
}

const needsOracle = (model) => model.layers.some((l) => l.getClassName() === 'BatchNormalization'
  && l.getConfig().axis !== -1 && l.getConfig().axis !== l.outputShape.length - 1);

// ---------------------------------------------------------------------------------------------
// Descriptions (Keras/Python call syntax)
// ---------------------------------------------------------------------------------------------

const ACT_NAMES = { hardSigmoid: 'hard_sigmoid', logSoftmax: 'log_softmax' };
const actName = (a) => ACT_NAMES[a] ?? a;
const tuple = (xs) => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`);
const arr = (x) => [].concat(x);
const fmtShape = (s) => `(${s.map((d) => (d == null ? 'None' : d)).join(', ')})`;

function describeLayer(layer) {
  const c = layer.getConfig();
  const cls = layer.getClassName();
  const parts = [];
  const act = () => { if (c.activation && c.activation !== 'linear') parts.push(`activation='${actName(c.activation)}'`); };
  const bias = () => { if (c.useBias === false) parts.push('use_bias=False'); };
  const df = () => { if (c.dataFormat === 'channelsFirst') parts.push("data_format='channels_first'"); };
  const pad = () => { if (c.padding && c.padding !== 'valid') parts.push(`padding='${c.padding}'`); };
  switch (cls) {
    case 'Dense':
      parts.push(String(c.units)); act(); bias(); break;
    case 'Conv1D':
    case 'Conv2D': {
      const rank = cls === 'Conv1D' ? 1 : 2;
      const k = arr(c.kernelSize);
      const s = arr(c.strides);
      const d = arr(c.dilationRate);
      parts.push(String(c.filters));
      parts.push(rank === 1 ? String(k[0]) : tuple(k.length === 1 ? [k[0], k[0]] : k));
      if (s.some((v) => v !== 1)) parts.push(`strides=${rank === 1 ? s[0] : tuple(s.length === 1 ? [s[0], s[0]] : s)}`);
      pad();
      if (d.some((v) => v !== 1)) parts.push(`dilation_rate=${rank === 1 ? d[0] : tuple(d.length === 1 ? [d[0], d[0]] : d)}`);
      df(); act(); bias(); break;
    }
    case 'MaxPooling1D':
    case 'AveragePooling1D':
      parts.push(`pool_size=${arr(c.poolSize)[0]}`);
      if (arr(c.strides)[0] !== arr(c.poolSize)[0]) parts.push(`strides=${arr(c.strides)[0]}`);
      pad(); break;
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      parts.push(`pool_size=${tuple(c.poolSize)}`);
      if (c.strides.join() !== c.poolSize.join()) parts.push(`strides=${tuple(c.strides)}`);
      pad(); df(); break;
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
    case 'Flatten':
      df(); break;
    case 'Reshape':
      parts.push(tuple(c.targetShape.map((d) => (d == null ? -1 : d)))); break; // TF.js stores -1 as null
    case 'Permute':
      parts.push(tuple(c.dims)); break;
    case 'Dropout':
      parts.push(String(c.rate)); break;
    case 'Activation':
      parts.push(`'${actName(c.activation)}'`); break;
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      parts.push(String(c.units));
      if (c.returnSequences) parts.push('return_sequences=True');
      if (c.goBackwards) parts.push('go_backwards=True');
      bias();
      if (cls === 'GRU') parts.push('reset_after=False');
      break;
    case 'Embedding':
      parts.push(String(c.inputDim), String(c.outputDim));
      if (c.inputLength != null) parts.push(`input_length=${arr(c.inputLength).join(', ')}`);
      if (c.maskZero) parts.push('mask_zero=True');
      break;
    case 'BatchNormalization':
      if (c.axis !== -1) parts.push(`axis=${c.axis}`);
      break;
    case 'TimeDistributed':
      parts.push(describeLayer(layer.layer)); break;
    default:
      break;
  }
  return `${cls}(${parts.join(', ')})`;
}

function describeModel(model, prefix) {
  const body = model.layers.map(describeLayer).join(' -> ');
  const input = fmtShape(inputShapeOf(model));
  return prefix ? `${prefix}: ${body} on ${input}` : `${body} on ${input}`;
}

// ---------------------------------------------------------------------------------------------
// Shape / parameter extraction (always from TF.js)
// ---------------------------------------------------------------------------------------------

const notes = [];
function note(msg) {
  notes.push(msg);
  process.stderr.write(`${msg}\n`);
}

function inputShapeOf(model) {
  return model.layers[0].batchInputShape.slice();
}

const shortWeightName = (v) => v.originalName.slice(v.originalName.lastIndexOf('/') + 1);
const size = (shape) => shape.reduce((a, b) => a * b, 1);
const isEmbeddingModel = (model) => model.layers[0].getClassName() === 'Embedding';

// Runs a batch of 1 (None timesteps -> 7) through the layers one by one and checks every static
// output shape against the real one. A static None that is not a batch/None-timestep axis is filled
// in from the real run (TF.js leaves Reshape's -1 as None; Keras resolves it).
function layerShapes(model, id) {
  const inShape = inputShapeOf(model);
  const inputHasNone = inShape.slice(1).some((d) => d == null);
  const concrete = inShape.map((d, i) => (i === 0 ? 1 : d ?? 7));
  const shapes = [];
  tf.tidy(() => {
    let x = tf.zeros(concrete);
    let prev = inShape;
    for (const layer of model.layers) {
      const y = layer.apply(x);
      const stat = layer.outputShape.slice();
      const real = y.shape;
      if (stat.length !== real.length) {
        throw new Error(`${id}/${layer.name}: TF.js static shape ${JSON.stringify(stat)} but real ${JSON.stringify(real)}`);
      }
      const rec = stat.map((d, i) => {
        if (i === 0) return null;
        if (d == null) {
          if (!inputHasNone) {
            note(`note: ${id}/${layer.name}: TF.js outputShape ${JSON.stringify(stat)} leaves axis ${i} unknown; ` +
              `resolved to ${real[i]} from an actual forward pass (Keras resolves it statically)`);
            return real[i];
          }
          return null;
        }
        if (d !== real[i]) {
          throw new Error(`${id}/${layer.name}: TF.js static shape ${JSON.stringify(stat)} but real ${JSON.stringify(real)}`);
        }
        return d;
      });
      shapes.push({ input: prev, output: rec });
      prev = rec;
      x = y;
    }
  });
  return shapes;
}

function modelRecord(caseDef) {
  const model = buildModel(caseDef);
  const shapes = layerShapes(model, caseDef.id);
  const layers = model.layers.map((layer, i) => {
    const trainable = layer.trainableWeights.reduce((a, w) => a + size(w.shape), 0);
    return {
      name: layer.name,
      class_name: layer.getClassName(),
      input_shape: shapes[i].input,
      output_shape: shapes[i].output,
      params: layer.countParams(),
      trainable_params: trainable,
      weights: layer.weights.map((w) => ({ name: shortWeightName(w), shape: w.shape.slice(), trainable: w.trainable })),
    };
  });
  const total = model.countParams();
  const trainable = layers.reduce((a, l) => a + l.trainable_params, 0);
  const rec = {
    id: caseDef.id,
    description: caseDef.description ?? describeModel(model, caseDef.title),
    model: model.toJSON(null, false),
    layers,
    output_shape: shapes[shapes.length - 1].output,
    total_params: total,
    trainable_params: trainable,
    non_trainable_params: total - trainable,
  };
  model.dispose();
  return rec;
}

function forwardRecord(caseDef) {
  const model = buildModel(caseDef);
  layerShapes(model, caseDef.id); // consistency check only
  const rand = mulberry32(seedOf(caseDef.id));
  const batch = caseDef.batch ?? 2;
  const inShape = inputShapeOf(model).map((d, i) => (i === 0 ? batch : d ?? caseDef.steps));
  if (inShape.some((d) => d == null)) throw new Error(`${caseDef.id}: set steps for None timesteps`);

  // Weights in Keras get_weights() order: layer by layer, each layer's weights in its own order.
  const weights = [];
  for (const layer of model.layers) {
    const values = layer.weights.map((w) => {
      const name = shortWeightName(w);
      const data = name === 'moving_variance'
        ? uniformArray(rand, size(w.shape), 0.5, 1.5)
        : uniformArray(rand, size(w.shape), -0.5, 0.5);
      weights.push({ layer: layer.name, name, shape: w.shape.slice(), data: Array.from(data, num) });
      return tf.tensor(data, w.shape);
    });
    if (values.length > 0) layer.setWeights(values);
    tf.dispose(values);
  }

  const inputData = isEmbeddingModel(model)
    ? intArray(rand, size(inShape), model.layers[0].getConfig().inputDim)
    : uniformArray(rand, size(inShape), -1, 1);
  const x = tf.tensor(inputData, inShape);
  let y = model.predict(x);
  if (needsOracle(model)) {
    const oracle = buildModel(caseDef, true);
    for (const layer of oracle.layers) {
      const twin = model.layers.find((l) => l.name === layer.name);
      if (twin && twin.weights.length > 0) layer.setWeights(twin.getWeights());
    }
    const yo = oracle.predict(x);
    const diff = tf.max(tf.abs(tf.sub(y, yo))).dataSync()[0];
    note(`note: ${caseDef.id}: TF.js CPU predict() of BatchNormalization(axis=1) is wrong (max abs diff ${diff.toPrecision(3)} ` +
      'vs. the equivalent Permute -> BatchNormalization(axis=-1) -> Permute model); output taken from the latter');
    tf.dispose(y);
    y = yo;
    oracle.dispose();
  }
  const rec = {
    id: caseDef.id,
    description: caseDef.description ?? describeModel(model, caseDef.title),
    model: model.toJSON(null, false),
    input: { shape: inShape, data: Array.from(inputData, num) },
    weights,
    output: { shape: y.shape.slice(), data: Array.from(y.dataSync(), num) },
  };
  tf.dispose([x, y]);
  model.dispose();
  return rec;
}

// ---------------------------------------------------------------------------------------------
// Case definitions
// ---------------------------------------------------------------------------------------------

const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'softmax', 'linear', 'elu', 'selu', 'softplus', 'softsign',
  'swish', 'gelu', 'relu6', 'mish'];

// models.json
const MODEL_CASES = [];
const M = (id, build, extra = {}) => MODEL_CASES.push({ id, build, ...extra });

// --- Dense
M('dense_2d', (L) => [L.dense({ units: 32, activation: 'relu', inputShape: [10] })]);
M('dense_two_layers', (L) => [L.dense({ units: 32, activation: 'relu', inputShape: [10] }), L.dense({ units: 1 })]);
M('dense_3d_input', (L) => [L.dense({ units: 64, inputShape: [28, 28] })]);
M('dense_4d_input', (L) => [L.dense({ units: 3, inputShape: [4, 5, 6] })]);
M('dense_no_bias', (L) => [L.dense({ units: 16, useBias: false, inputShape: [20] })]);
M('dense_3d_input_no_bias', (L) => [L.dense({ units: 8, useBias: false, inputShape: [28, 28] })]);
for (const a of ACTIVATIONS) {
  M(`dense_activation_${a}`, (L) => [L.dense({ units: 5, activation: a, inputShape: [10] })]);
}
M('dense_activation_log_softmax', (L) => [L.dense({ units: 5, activation: 'logSoftmax', inputShape: [10] })]);

// --- Conv1D (channels_last only: TF.js Conv1D ignores data_format, see README)
M('conv1d_valid', (L) => [L.conv1d({ filters: 16, kernelSize: 3, inputShape: [100, 2] })]);
M('conv1d_same', (L) => [L.conv1d({ filters: 16, kernelSize: 3, padding: 'same', inputShape: [100, 2] })]);
M('conv1d_valid_strides2', (L) => [L.conv1d({ filters: 8, kernelSize: 5, strides: 2, inputShape: [100, 2] })]);
M('conv1d_valid_strides2_odd_length', (L) => [L.conv1d({ filters: 8, kernelSize: 5, strides: 2, inputShape: [99, 2] })]);
M('conv1d_same_strides2', (L) => [L.conv1d({ filters: 8, kernelSize: 5, strides: 2, padding: 'same', inputShape: [100, 2] })]);
M('conv1d_same_strides2_odd_length', (L) => [L.conv1d({ filters: 8, kernelSize: 5, strides: 2, padding: 'same', inputShape: [99, 2] })]);
M('conv1d_valid_strides3_l10_k3', (L) => [L.conv1d({ filters: 4, kernelSize: 3, strides: 3, inputShape: [10, 1] })]);
M('conv1d_same_strides3_l10_k3', (L) => [L.conv1d({ filters: 4, kernelSize: 3, strides: 3, padding: 'same', inputShape: [10, 1] })]);
M('conv1d_valid_strides3_l11_k2', (L) => [L.conv1d({ filters: 4, kernelSize: 2, strides: 3, inputShape: [11, 3] })]);
M('conv1d_valid_dilation2', (L) => [L.conv1d({ filters: 6, kernelSize: 3, dilationRate: 2, inputShape: [20, 4] })]);
M('conv1d_same_dilation2', (L) => [L.conv1d({ filters: 6, kernelSize: 3, dilationRate: 2, padding: 'same', inputShape: [20, 4] })]);
M('conv1d_valid_dilation3_k4', (L) => [L.conv1d({ filters: 2, kernelSize: 4, dilationRate: 3, inputShape: [30, 1] })]);
M('conv1d_no_bias', (L) => [L.conv1d({ filters: 16, kernelSize: 3, useBias: false, inputShape: [100, 2] })]);
M('conv1d_even_kernel_same', (L) => [L.conv1d({ filters: 3, kernelSize: 4, padding: 'same', inputShape: [11, 2] })]);
M('conv1d_kernel_equals_length', (L) => [L.conv1d({ filters: 7, kernelSize: 5, inputShape: [5, 3] })]);
M('conv1d_none_length', (L) => [L.conv1d({ filters: 8, kernelSize: 3, activation: 'relu', batchInputShape: [null, null, 4] })]);
M('conv1d_stacked', (L) => [
  L.conv1d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [50, 1] }),
  L.conv1d({ filters: 16, kernelSize: 3, strides: 2, activation: 'relu' }),
]);

// --- Conv2D
M('conv2d_valid', (L) => [L.conv2d({ filters: 8, kernelSize: 3, inputShape: [28, 28, 1] })]);
M('conv2d_same', (L) => [L.conv2d({ filters: 8, kernelSize: 3, padding: 'same', inputShape: [28, 28, 1] })]);
M('conv2d_same_strides2', (L) => [L.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', inputShape: [28, 28, 1] })]);
M('conv2d_same_strides2_odd', (L) => [L.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', inputShape: [27, 27, 1] })]);
M('conv2d_valid_strides2_even', (L) => [L.conv2d({ filters: 8, kernelSize: 3, strides: 2, inputShape: [28, 28, 1] })]);
M('conv2d_valid_strides2_odd', (L) => [L.conv2d({ filters: 8, kernelSize: 3, strides: 2, inputShape: [27, 27, 1] })]);
M('conv2d_kernel_3x5_valid', (L) => [L.conv2d({ filters: 4, kernelSize: [3, 5], inputShape: [20, 20, 3] })]);
M('conv2d_kernel_3x5_same', (L) => [L.conv2d({ filters: 4, kernelSize: [3, 5], padding: 'same', inputShape: [20, 20, 3] })]);
M('conv2d_strides_2x3_valid', (L) => [L.conv2d({ filters: 4, kernelSize: 3, strides: [2, 3], inputShape: [20, 20, 3] })]);
M('conv2d_strides_2x3_same', (L) => [L.conv2d({ filters: 4, kernelSize: 3, strides: [2, 3], padding: 'same', inputShape: [20, 20, 3] })]);
M('conv2d_dilation2_valid', (L) => [L.conv2d({ filters: 4, kernelSize: 3, dilationRate: 2, inputShape: [16, 16, 2] })]);
M('conv2d_dilation2_same', (L) => [L.conv2d({ filters: 4, kernelSize: 3, dilationRate: 2, padding: 'same', inputShape: [16, 16, 2] })]);
M('conv2d_dilation_2x1_valid', (L) => [L.conv2d({ filters: 4, kernelSize: 3, dilationRate: [2, 1], inputShape: [16, 16, 2] })]);
M('conv2d_even_kernel_same', (L) => [L.conv2d({ filters: 2, kernelSize: 4, padding: 'same', inputShape: [9, 9, 1] })]);
M('conv2d_even_kernel_same_strides2', (L) => [L.conv2d({ filters: 2, kernelSize: 4, strides: 2, padding: 'same', inputShape: [9, 10, 1] })]);
M('conv2d_1x1', (L) => [L.conv2d({ filters: 16, kernelSize: 1, inputShape: [7, 7, 32] })]);
M('conv2d_rect_input_same_strides2', (L) => [L.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', inputShape: [31, 17, 3] })]);
M('conv2d_rgb_relu', (L) => [L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', inputShape: [32, 32, 3] })]);
M('conv2d_no_bias', (L) => [L.conv2d({ filters: 8, kernelSize: 3, useBias: false, inputShape: [28, 28, 1] })]);
M('conv2d_channels_first_valid', (L) => [L.conv2d({ filters: 8, kernelSize: 3, dataFormat: 'channelsFirst', inputShape: [3, 32, 32] })]);
M('conv2d_channels_first_same_strides2', (L) => [L.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', dataFormat: 'channelsFirst', inputShape: [3, 31, 32] })]);
M('conv2d_channels_first_kernel_3x5', (L) => [L.conv2d({ filters: 4, kernelSize: [3, 5], dataFormat: 'channelsFirst', inputShape: [2, 20, 20] })]);
M('conv2d_channels_first_no_bias', (L) => [L.conv2d({ filters: 4, kernelSize: 3, useBias: false, dataFormat: 'channelsFirst', inputShape: [2, 10, 10] })]);
M('conv2d_stacked', (L) => [
  L.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
  L.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }),
]);

// --- Pooling
M('max_pooling1d_default', (L) => [L.maxPooling1d({ inputShape: [10, 4] })]);
M('max_pooling1d_default_odd', (L) => [L.maxPooling1d({ inputShape: [11, 4] })]);
M('max_pooling1d_pool3_strides1', (L) => [L.maxPooling1d({ poolSize: 3, strides: 1, inputShape: [10, 4] })]);
M('max_pooling1d_same', (L) => [L.maxPooling1d({ poolSize: 3, padding: 'same', inputShape: [10, 4] })]);
M('average_pooling1d_default', (L) => [L.averagePooling1d({ inputShape: [10, 4] })]);
M('average_pooling1d_valid_strides2', (L) => [L.averagePooling1d({ poolSize: 3, strides: 2, inputShape: [10, 4] })]);
M('average_pooling1d_same_strides2', (L) => [L.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [10, 4] })]);
M('max_pooling2d_default', (L) => [L.maxPooling2d({ inputShape: [28, 28, 8] })]);
M('max_pooling2d_default_odd', (L) => [L.maxPooling2d({ inputShape: [27, 27, 8] })]);
M('max_pooling2d_pool3_strides2', (L) => [L.maxPooling2d({ poolSize: 3, strides: 2, inputShape: [27, 28, 8] })]);
M('max_pooling2d_same_odd', (L) => [L.maxPooling2d({ poolSize: 2, padding: 'same', inputShape: [7, 7, 3] })]);
M('max_pooling2d_pool_2x3', (L) => [L.maxPooling2d({ poolSize: [2, 3], inputShape: [10, 10, 3] })]);
M('max_pooling2d_channels_first', (L) => [L.maxPooling2d({ dataFormat: 'channelsFirst', inputShape: [8, 28, 27] })]);
M('max_pooling2d_channels_first_same', (L) => [L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', dataFormat: 'channelsFirst', inputShape: [4, 9, 10] })]);
M('average_pooling2d_default', (L) => [L.averagePooling2d({ inputShape: [28, 28, 8] })]);
M('average_pooling2d_same_odd', (L) => [L.averagePooling2d({ poolSize: 2, padding: 'same', inputShape: [7, 7, 3] })]);
M('average_pooling2d_strides1', (L) => [L.averagePooling2d({ poolSize: 3, strides: 1, inputShape: [8, 8, 3] })]);
M('average_pooling2d_channels_first', (L) => [L.averagePooling2d({ dataFormat: 'channelsFirst', inputShape: [8, 28, 28] })]);
M('global_average_pooling1d', (L) => [L.globalAveragePooling1d({ inputShape: [50, 16] })]);
M('global_max_pooling1d', (L) => [L.globalMaxPooling1d({ inputShape: [50, 16] })]);
M('global_average_pooling2d', (L) => [L.globalAveragePooling2d({ inputShape: [7, 7, 32] })]);
M('global_average_pooling2d_channels_first', (L) => [L.globalAveragePooling2d({ dataFormat: 'channelsFirst', inputShape: [32, 7, 6] })]);
M('global_max_pooling2d', (L) => [L.globalMaxPooling2d({ inputShape: [7, 7, 32] })]);
M('global_max_pooling2d_channels_first', (L) => [L.globalMaxPooling2d({ dataFormat: 'channelsFirst', inputShape: [32, 7, 6] })]);

// --- Flatten / Reshape / Permute / Dropout / Activation
M('flatten_after_conv2d', (L) => [L.conv2d({ filters: 8, kernelSize: 3, inputShape: [28, 28, 1] }), L.flatten()]);
M('flatten_after_conv2d_channels_first', (L) => [
  L.conv2d({ filters: 8, kernelSize: 3, dataFormat: 'channelsFirst', inputShape: [1, 28, 28] }),
  L.flatten({ dataFormat: 'channelsFirst' }),
]);
M('flatten_3d', (L) => [L.flatten({ inputShape: [5, 4] })]);
M('reshape_to_image', (L) => [L.reshape({ targetShape: [28, 28, 1], inputShape: [784] })]);
M('reshape_minus1', (L) => [L.reshape({ targetShape: [-1, 4], inputShape: [6, 2] })]);
M('reshape_minus1_last', (L) => [L.reshape({ targetShape: [3, -1], inputShape: [12] })]);
M('reshape_to_flat', (L) => [L.reshape({ targetShape: [12], inputShape: [4, 3] })]);
M('permute_2d', (L) => [L.permute({ dims: [2, 1], inputShape: [10, 3] })]);
M('permute_3d', (L) => [L.permute({ dims: [3, 1, 2], inputShape: [4, 5, 6] })]);
M('dropout_after_dense', (L) => [L.dense({ units: 16, activation: 'relu', inputShape: [8] }), L.dropout({ rate: 0.5 })]);
M('dropout_3d', (L) => [L.dropout({ rate: 0.25, inputShape: [10, 3] })]);
M('activation_relu', (L) => [L.activation({ activation: 'relu', inputShape: [10] })]);
M('activation_softmax_3d', (L) => [L.activation({ activation: 'softmax', inputShape: [5, 3] })]);

// --- Recurrent
for (const [fn, tag] of [['simpleRNN', 'simple_rnn'], ['lstm', 'lstm'], ['gru', 'gru']]) {
  M(`${tag}_last`, (L) => [L[fn]({ units: 16, inputShape: [10, 8] })]);
  M(`${tag}_sequences`, (L) => [L[fn]({ units: 16, returnSequences: true, inputShape: [10, 8] })]);
  M(`${tag}_none_timesteps`, (L) => [L[fn]({ units: 16, batchInputShape: [null, null, 8] })]);
  M(`${tag}_none_timesteps_sequences`, (L) => [L[fn]({ units: 16, returnSequences: true, batchInputShape: [null, null, 8] })]);
  M(`${tag}_no_bias`, (L) => [L[fn]({ units: 16, useBias: false, inputShape: [10, 8] })]);
  M(`${tag}_stacked`, (L) => [
    L[fn]({ units: 32, returnSequences: true, inputShape: [10, 8] }),
    L[fn]({ units: 16 }),
  ]);
}
M('lstm_go_backwards', (L) => [L.lstm({ units: 16, goBackwards: true, inputShape: [10, 8] })]);
M('lstm_single_unit', (L) => [L.lstm({ units: 1, inputShape: [3, 1] })]);

// --- Embedding
M('embedding_basic', (L) => [L.embedding({ inputDim: 1000, outputDim: 64, inputLength: 10 })]);
M('embedding_none_length', (L) => [L.embedding({ inputDim: 500, outputDim: 16, batchInputShape: [null, null] })]);
M('embedding_flatten_dense', (L) => [
  L.embedding({ inputDim: 1000, outputDim: 8, inputLength: 20 }),
  L.flatten(),
  L.dense({ units: 1, activation: 'sigmoid' }),
]);
M('embedding_mask_zero_lstm', (L) => [
  L.embedding({ inputDim: 100, outputDim: 8, inputLength: 12, maskZero: true }),
  L.lstm({ units: 4 }),
]);

// --- BatchNormalization
M('batch_normalization_after_dense', (L) => [L.dense({ units: 32, inputShape: [10] }), L.batchNormalization()]);
M('batch_normalization_after_conv2d', (L) => [L.conv2d({ filters: 16, kernelSize: 3, inputShape: [28, 28, 1] }), L.batchNormalization()]);
M('batch_normalization_after_conv2d_channels_first', (L) => [
  L.conv2d({ filters: 16, kernelSize: 3, dataFormat: 'channelsFirst', inputShape: [1, 28, 28] }),
  L.batchNormalization({ axis: 1 }),
]);
M('batch_normalization_sequence', (L) => [L.batchNormalization({ inputShape: [10, 6] })]);

// --- TimeDistributed
M('time_distributed_dense', (L) => [L.timeDistributed({ layer: L.dense({ units: 8 }), inputShape: [10, 16] })]);
M('time_distributed_conv2d', (L) => [L.timeDistributed({ layer: L.conv2d({ filters: 4, kernelSize: 3 }), inputShape: [5, 16, 16, 3] })]);
M('time_distributed_after_lstm', (L) => [
  L.lstm({ units: 32, returnSequences: true, inputShape: [20, 8] }),
  L.timeDistributed({ layer: L.dense({ units: 5, activation: 'softmax' }) }),
]);

// --- Realistic whole models
M('model_lenet', (L) => [
  L.conv2d({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [28, 28, 1] }),
  L.maxPooling2d({ poolSize: 2 }),
  L.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
  L.maxPooling2d({ poolSize: 2 }),
  L.flatten(),
  L.dense({ units: 120, activation: 'relu' }),
  L.dense({ units: 84, activation: 'relu' }),
  L.dense({ units: 10, activation: 'softmax' }),
], { title: 'LeNet-style CNN' });
M('model_conv1d_audio', (L) => [
  L.conv1d({ filters: 16, kernelSize: 9, strides: 2, activation: 'relu', inputShape: [1000, 2] }),
  L.batchNormalization(),
  L.maxPooling1d({ poolSize: 4 }),
  L.conv1d({ filters: 32, kernelSize: 5, padding: 'same', activation: 'relu' }),
  L.maxPooling1d({ poolSize: 4 }),
  L.conv1d({ filters: 64, kernelSize: 3, activation: 'relu' }),
  L.globalAveragePooling1d(),
  L.dropout({ rate: 0.3 }),
  L.dense({ units: 5, activation: 'softmax' }),
], { title: 'Conv1D audio classifier' });
M('model_lstm_text', (L) => [
  L.embedding({ inputDim: 10000, outputDim: 64, inputLength: 100 }),
  L.lstm({ units: 64, returnSequences: true }),
  L.lstm({ units: 32 }),
  L.dense({ units: 1, activation: 'sigmoid' }),
], { title: 'Stacked LSTM text classifier' });
M('model_channels_first_cnn', (L) => [
  L.conv2d({ filters: 16, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst', activation: 'relu', inputShape: [3, 32, 32] }),
  L.batchNormalization({ axis: 1 }),
  L.maxPooling2d({ dataFormat: 'channelsFirst' }),
  L.conv2d({ filters: 32, kernelSize: 3, dataFormat: 'channelsFirst', activation: 'relu' }),
  L.maxPooling2d({ dataFormat: 'channelsFirst' }),
  L.flatten({ dataFormat: 'channelsFirst' }),
  L.dense({ units: 10, activation: 'softmax' }),
], { title: 'channels_first CNN' });
M('model_mlp', (L) => [
  L.dense({ units: 256, activation: 'relu', inputShape: [784] }),
  L.dropout({ rate: 0.2 }),
  L.dense({ units: 128, activation: 'relu' }),
  L.batchNormalization(),
  L.dense({ units: 10, activation: 'softmax' }),
], { title: 'MLP' });
M('model_gru_tagger', (L) => [
  L.embedding({ inputDim: 5000, outputDim: 32, batchInputShape: [null, null] }),
  L.gru({ units: 32, returnSequences: true }),
  L.timeDistributed({ layer: L.dense({ units: 9, activation: 'softmax' }) }),
], { title: 'GRU sequence tagger' });
M('model_video_crnn', (L) => [
  L.timeDistributed({ layer: L.conv2d({ filters: 8, kernelSize: 3, activation: 'relu' }), inputShape: [8, 32, 32, 3] }),
  L.timeDistributed({ layer: L.maxPooling2d({ poolSize: 2 }) }),
  L.timeDistributed({ layer: L.flatten() }),
  L.lstm({ units: 16 }),
  L.dense({ units: 3, activation: 'softmax' }),
], { title: 'TimeDistributed CNN + LSTM video classifier' });

// forward.json (small dims)
const FORWARD_CASES = [];
const F = (id, build, extra = {}) => FORWARD_CASES.push({ id, build, ...extra });

F('fwd_dense_2d', (L) => [L.dense({ units: 4, activation: 'relu', inputShape: [5] })], { batch: 3 });
F('fwd_dense_3d_input', (L) => [L.dense({ units: 3, inputShape: [4, 5] })]);
F('fwd_dense_4d_input', (L) => [L.dense({ units: 3, inputShape: [2, 3, 4] })]);
F('fwd_dense_no_bias', (L) => [L.dense({ units: 4, useBias: false, inputShape: [5] })], { batch: 3 });
for (const a of ACTIVATIONS) {
  F(`fwd_dense_activation_${a}`, (L) => [L.dense({ units: 5, activation: a, inputShape: [6] })], { batch: 3 });
}
F('fwd_dense_activation_log_softmax', (L) => [L.dense({ units: 5, activation: 'logSoftmax', inputShape: [6] })], { batch: 3 });
F('fwd_dense_stack', (L) => [L.dense({ units: 6, activation: 'tanh', inputShape: [5] }), L.dense({ units: 2, activation: 'softmax' })], { batch: 3 });

F('fwd_conv1d_valid', (L) => [L.conv1d({ filters: 4, kernelSize: 3, inputShape: [8, 3] })]);
F('fwd_conv1d_same', (L) => [L.conv1d({ filters: 4, kernelSize: 3, padding: 'same', inputShape: [8, 3] })]);
F('fwd_conv1d_valid_strides2', (L) => [L.conv1d({ filters: 3, kernelSize: 3, strides: 2, inputShape: [9, 2] })]);
F('fwd_conv1d_same_strides2_even', (L) => [L.conv1d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', inputShape: [10, 2] })]);
F('fwd_conv1d_same_strides2_odd', (L) => [L.conv1d({ filters: 3, kernelSize: 4, strides: 2, padding: 'same', inputShape: [9, 2] })]);
F('fwd_conv1d_valid_strides3_l10_k3', (L) => [L.conv1d({ filters: 2, kernelSize: 3, strides: 3, inputShape: [10, 1] })]);
F('fwd_conv1d_same_strides3_l10_k3', (L) => [L.conv1d({ filters: 2, kernelSize: 3, strides: 3, padding: 'same', inputShape: [10, 1] })]);
F('fwd_conv1d_valid_dilation2', (L) => [L.conv1d({ filters: 3, kernelSize: 3, dilationRate: 2, inputShape: [10, 2] })]);
F('fwd_conv1d_same_dilation2', (L) => [L.conv1d({ filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same', inputShape: [10, 2] })]);
F('fwd_conv1d_no_bias', (L) => [L.conv1d({ filters: 4, kernelSize: 3, useBias: false, inputShape: [8, 3] })]);
F('fwd_conv1d_even_kernel_same', (L) => [L.conv1d({ filters: 2, kernelSize: 4, padding: 'same', inputShape: [7, 2] })]);
F('fwd_conv1d_relu_none_length', (L) => [L.conv1d({ filters: 3, kernelSize: 3, activation: 'relu', batchInputShape: [null, null, 2] })], { steps: 6 });

F('fwd_conv2d_valid', (L) => [L.conv2d({ filters: 3, kernelSize: 3, inputShape: [6, 6, 2] })]);
F('fwd_conv2d_same', (L) => [L.conv2d({ filters: 3, kernelSize: 3, padding: 'same', inputShape: [6, 6, 2] })]);
F('fwd_conv2d_same_strides2_even', (L) => [L.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', inputShape: [6, 6, 2] })]);
F('fwd_conv2d_same_strides2_odd', (L) => [L.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', inputShape: [7, 7, 2] })]);
F('fwd_conv2d_valid_strides2', (L) => [L.conv2d({ filters: 2, kernelSize: 3, strides: 2, inputShape: [7, 8, 2] })]);
F('fwd_conv2d_kernel_3x5_valid', (L) => [L.conv2d({ filters: 2, kernelSize: [3, 5], inputShape: [6, 7, 2] })]);
F('fwd_conv2d_kernel_3x5_same', (L) => [L.conv2d({ filters: 2, kernelSize: [3, 5], padding: 'same', inputShape: [6, 7, 2] })]);
F('fwd_conv2d_strides_2x1_valid', (L) => [L.conv2d({ filters: 2, kernelSize: 3, strides: [2, 1], inputShape: [7, 6, 2] })]);
F('fwd_conv2d_dilation2_valid', (L) => [L.conv2d({ filters: 2, kernelSize: 3, dilationRate: 2, inputShape: [8, 8, 2] })]);
F('fwd_conv2d_dilation2_same', (L) => [L.conv2d({ filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same', inputShape: [7, 7, 1] })]);
F('fwd_conv2d_dilation_2x1_valid', (L) => [L.conv2d({ filters: 2, kernelSize: 3, dilationRate: [2, 1], inputShape: [8, 7, 2] })]);
F('fwd_conv2d_even_kernel_same_strides2', (L) => [L.conv2d({ filters: 2, kernelSize: 4, strides: 2, padding: 'same', inputShape: [7, 8, 1] })]);
F('fwd_conv2d_no_bias', (L) => [L.conv2d({ filters: 3, kernelSize: 3, useBias: false, inputShape: [5, 5, 2] })]);
F('fwd_conv2d_channels_first_valid', (L) => [L.conv2d({ filters: 3, kernelSize: 3, dataFormat: 'channelsFirst', inputShape: [2, 6, 5] })]);
F('fwd_conv2d_channels_first_same_strides2', (L) => [L.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', dataFormat: 'channelsFirst', inputShape: [2, 7, 6] })]);
F('fwd_conv2d_channels_first_kernel_3x5_relu', (L) => [L.conv2d({ filters: 2, kernelSize: [3, 5], activation: 'relu', dataFormat: 'channelsFirst', inputShape: [2, 6, 7] })]);

F('fwd_max_pooling1d_default_odd', (L) => [L.maxPooling1d({ inputShape: [7, 3] })]);
F('fwd_max_pooling1d_pool3_strides1', (L) => [L.maxPooling1d({ poolSize: 3, strides: 1, inputShape: [6, 2] })]);
F('fwd_max_pooling1d_same', (L) => [L.maxPooling1d({ poolSize: 3, padding: 'same', inputShape: [10, 2] })]);
F('fwd_average_pooling1d_default', (L) => [L.averagePooling1d({ inputShape: [8, 3] })]);
F('fwd_average_pooling1d_valid_strides2', (L) => [L.averagePooling1d({ poolSize: 3, strides: 2, inputShape: [10, 2] })]);
F('fwd_average_pooling1d_same_strides2', (L) => [L.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [10, 2] })]);
F('fwd_max_pooling2d_default_odd', (L) => [L.maxPooling2d({ inputShape: [5, 5, 2] })]);
F('fwd_max_pooling2d_pool3_strides2', (L) => [L.maxPooling2d({ poolSize: 3, strides: 2, inputShape: [7, 8, 2] })]);
F('fwd_max_pooling2d_same_odd', (L) => [L.maxPooling2d({ poolSize: 2, padding: 'same', inputShape: [5, 5, 2] })]);
F('fwd_max_pooling2d_pool_2x3', (L) => [L.maxPooling2d({ poolSize: [2, 3], inputShape: [6, 6, 2] })]);
F('fwd_max_pooling2d_channels_first', (L) => [L.maxPooling2d({ dataFormat: 'channelsFirst', inputShape: [2, 6, 5] })]);
F('fwd_average_pooling2d_default', (L) => [L.averagePooling2d({ inputShape: [6, 6, 2] })]);
F('fwd_average_pooling2d_same_odd', (L) => [L.averagePooling2d({ poolSize: 2, padding: 'same', inputShape: [5, 5, 2] })]);
F('fwd_average_pooling2d_same_pool3_strides2', (L) => [L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [6, 7, 1] })]);
F('fwd_average_pooling2d_channels_first_same', (L) => [L.averagePooling2d({ padding: 'same', dataFormat: 'channelsFirst', inputShape: [2, 5, 6] })]);
F('fwd_global_average_pooling1d', (L) => [L.globalAveragePooling1d({ inputShape: [5, 3] })]);
F('fwd_global_max_pooling1d', (L) => [L.globalMaxPooling1d({ inputShape: [5, 3] })]);
F('fwd_global_average_pooling2d', (L) => [L.globalAveragePooling2d({ inputShape: [4, 3, 3] })]);
F('fwd_global_average_pooling2d_channels_first', (L) => [L.globalAveragePooling2d({ dataFormat: 'channelsFirst', inputShape: [3, 4, 3] })]);
F('fwd_global_max_pooling2d', (L) => [L.globalMaxPooling2d({ inputShape: [4, 3, 3] })]);
F('fwd_global_max_pooling2d_channels_first', (L) => [L.globalMaxPooling2d({ dataFormat: 'channelsFirst', inputShape: [3, 4, 3] })]);

F('fwd_flatten_after_conv2d', (L) => [L.conv2d({ filters: 2, kernelSize: 2, inputShape: [4, 4, 2] }), L.flatten()]);
F('fwd_flatten_after_conv2d_channels_first', (L) => [
  L.conv2d({ filters: 2, kernelSize: 2, dataFormat: 'channelsFirst', inputShape: [2, 4, 4] }),
  L.flatten({ dataFormat: 'channelsFirst' }),
]);
F('fwd_reshape_minus1', (L) => [L.reshape({ targetShape: [-1, 4], inputShape: [6, 2] })]);
F('fwd_reshape_then_conv2d', (L) => [L.reshape({ targetShape: [4, 4, 1], inputShape: [16] }), L.conv2d({ filters: 2, kernelSize: 3 })]);
F('fwd_permute_2d', (L) => [L.permute({ dims: [2, 1], inputShape: [4, 3] })]);
F('fwd_permute_3d', (L) => [L.permute({ dims: [3, 1, 2], inputShape: [2, 3, 4] })]);
F('fwd_dropout_after_dense', (L) => [L.dense({ units: 4, activation: 'relu', inputShape: [5] }), L.dropout({ rate: 0.5 })], { batch: 3 });
F('fwd_activation_softmax_3d', (L) => [L.activation({ activation: 'softmax', inputShape: [4, 3] })]);
F('fwd_activation_tanh', (L) => [L.activation({ activation: 'tanh', inputShape: [6] })], { batch: 3 });

for (const [fn, tag] of [['simpleRNN', 'simple_rnn'], ['lstm', 'lstm'], ['gru', 'gru']]) {
  F(`fwd_${tag}_last`, (L) => [L[fn]({ units: 4, inputShape: [5, 3] })]);
  F(`fwd_${tag}_sequences`, (L) => [L[fn]({ units: 4, returnSequences: true, inputShape: [5, 3] })]);
  F(`fwd_${tag}_none_timesteps`, (L) => [L[fn]({ units: 3, batchInputShape: [null, null, 2] })], { steps: 6 });
  F(`fwd_${tag}_no_bias`, (L) => [L[fn]({ units: 4, useBias: false, inputShape: [5, 3] })]);
  F(`fwd_${tag}_stacked`, (L) => [
    L[fn]({ units: 4, returnSequences: true, inputShape: [5, 3] }),
    L[fn]({ units: 3 }),
  ]);
}
F('fwd_lstm_go_backwards', (L) => [L.lstm({ units: 3, goBackwards: true, inputShape: [4, 2] })]);

F('fwd_embedding_basic', (L) => [L.embedding({ inputDim: 10, outputDim: 4, inputLength: 5 })], { batch: 3 });
F('fwd_embedding_lstm_dense', (L) => [
  L.embedding({ inputDim: 12, outputDim: 4, inputLength: 6 }),
  L.lstm({ units: 3 }),
  L.dense({ units: 1, activation: 'sigmoid' }),
]);
F('fwd_embedding_mask_zero_lstm', (L) => [
  L.embedding({ inputDim: 4, outputDim: 3, inputLength: 6, maskZero: true }),
  L.lstm({ units: 3 }),
], { batch: 3 });

F('fwd_batch_normalization_after_dense', (L) => [L.dense({ units: 4, inputShape: [5] }), L.batchNormalization()], { batch: 3 });
F('fwd_batch_normalization_after_conv2d', (L) => [L.conv2d({ filters: 3, kernelSize: 3, inputShape: [5, 5, 2] }), L.batchNormalization()]);
F('fwd_batch_normalization_after_conv2d_channels_first', (L) => [
  L.conv2d({ filters: 3, kernelSize: 3, dataFormat: 'channelsFirst', inputShape: [2, 5, 5] }),
  L.batchNormalization({ axis: 1 }),
]);
F('fwd_batch_normalization_sequence', (L) => [L.batchNormalization({ inputShape: [4, 3] })]);
F('fwd_batch_normalization_then_dense', (L) => [
  L.dense({ units: 4, activation: 'relu', inputShape: [5] }),
  L.batchNormalization(),
  L.dense({ units: 2 }),
], { batch: 3 });

F('fwd_time_distributed_dense', (L) => [L.timeDistributed({ layer: L.dense({ units: 3 }), inputShape: [4, 5] })]);
F('fwd_time_distributed_conv2d', (L) => [L.timeDistributed({ layer: L.conv2d({ filters: 2, kernelSize: 3 }), inputShape: [3, 5, 5, 2] })]);

F('fwd_model_mini_lenet', (L) => [
  L.conv2d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 1] }),
  L.maxPooling2d({ poolSize: 2 }),
  L.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }),
  L.maxPooling2d({ poolSize: 2 }),
  L.flatten(),
  L.dense({ units: 6, activation: 'relu' }),
  L.dense({ units: 3, activation: 'softmax' }),
], { title: 'mini LeNet-style CNN' });
F('fwd_model_mini_conv1d_audio', (L) => [
  L.conv1d({ filters: 4, kernelSize: 5, strides: 2, activation: 'relu', inputShape: [32, 2] }),
  L.batchNormalization(),
  L.maxPooling1d({ poolSize: 2 }),
  L.conv1d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu' }),
  L.globalAveragePooling1d(),
  L.dropout({ rate: 0.3 }),
  L.dense({ units: 3, activation: 'softmax' }),
], { title: 'mini Conv1D audio classifier' });
F('fwd_model_mini_lstm_text', (L) => [
  L.embedding({ inputDim: 20, outputDim: 4, inputLength: 7 }),
  L.lstm({ units: 5, returnSequences: true }),
  L.lstm({ units: 3 }),
  L.dense({ units: 1, activation: 'sigmoid' }),
], { title: 'mini stacked LSTM text classifier' });
F('fwd_model_mini_channels_first_cnn', (L) => [
  L.conv2d({ filters: 3, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst', activation: 'relu', inputShape: [2, 8, 8] }),
  L.batchNormalization({ axis: 1 }),
  L.maxPooling2d({ dataFormat: 'channelsFirst' }),
  L.conv2d({ filters: 4, kernelSize: 3, dataFormat: 'channelsFirst', activation: 'relu' }),
  L.flatten({ dataFormat: 'channelsFirst' }),
  L.dense({ units: 3, activation: 'softmax' }),
], { title: 'mini channels_first CNN' });
F('fwd_model_mini_mlp', (L) => [
  L.dense({ units: 8, activation: 'relu', inputShape: [6] }),
  L.dropout({ rate: 0.2 }),
  L.dense({ units: 5, activation: 'tanh' }),
  L.dense({ units: 3, activation: 'softmax' }),
], { title: 'mini MLP', batch: 3 });
F('fwd_model_mini_gru_tagger', (L) => [
  L.embedding({ inputDim: 15, outputDim: 4, batchInputShape: [null, null] }),
  L.gru({ units: 4, returnSequences: true }),
  L.timeDistributed({ layer: L.dense({ units: 3, activation: 'softmax' }) }),
], { title: 'mini GRU sequence tagger', steps: 5 });
F('fwd_model_mini_video_crnn', (L) => [
  L.timeDistributed({ layer: L.conv2d({ filters: 2, kernelSize: 3, activation: 'relu' }), inputShape: [3, 6, 6, 1] }),
  L.timeDistributed({ layer: L.maxPooling2d({ poolSize: 2 }) }),
  L.timeDistributed({ layer: L.flatten() }),
  L.lstm({ units: 3 }),
  L.dense({ units: 2, activation: 'softmax' }),
], { title: 'mini TimeDistributed CNN + LSTM' });

// ---------------------------------------------------------------------------------------------
// Options tried that TF.js 4.22 rejects, lacks or gets wrong (reported on stderr, not written)
// ---------------------------------------------------------------------------------------------

const PROBES = [
  { what: "Conv1D padding='causal'", build: (L) => [L.conv1d({ filters: 2, kernelSize: 3, padding: 'causal', inputShape: [10, 2] })] },
  { what: "Conv1D data_format='channels_first'", build: (L) => [L.conv1d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst', inputShape: [4, 10] })] },
  { what: 'Conv1D strides=2 with dilation_rate=2 (Keras rejects this too)', build: (L) => [L.conv1d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2, inputShape: [20, 2] })] },
  { what: 'Conv2D strides=2 with dilation_rate=2 (Keras rejects this too)', build: (L) => [L.conv2d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2, inputShape: [20, 20, 2] })] },
  { what: "MaxPooling1D data_format='channels_first'", build: (L) => [L.maxPooling1d({ poolSize: 2, dataFormat: 'channelsFirst', inputShape: [4, 10] })], expectShape: [null, 4, 5] },
  { what: "AveragePooling1D data_format='channels_first'", build: (L) => [L.averagePooling1d({ poolSize: 2, dataFormat: 'channelsFirst', inputShape: [4, 10] })], expectShape: [null, 4, 5] },
  { what: "GlobalAveragePooling1D data_format='channels_first'", build: (L) => [L.globalAveragePooling1d({ dataFormat: 'channelsFirst', inputShape: [4, 10] })], expectShape: [null, 4] },
  { what: "GlobalMaxPooling1D data_format='channels_first'", build: (L) => [L.globalMaxPooling1d({ dataFormat: 'channelsFirst', inputShape: [4, 10] })], expectShape: [null, 4] },
  { what: 'GRU reset_after=True (the Keras default)', build: (L) => [L.gru({ units: 4, resetAfter: true, inputShape: [5, 3] })] },
  { what: "MaxPooling2D pool 5 on 3x3 (Keras: 'output size would be zero or negative')", build: (L) => [L.maxPooling2d({ poolSize: 5, inputShape: [3, 3, 1] })], expectError: true },
  ...['exponential', 'leaky_relu', 'silu', 'hard_silu', 'log_sigmoid'].map((a) => ({
    what: `activation='${a}'`, build: (L) => [L.dense({ units: 2, activation: a, inputShape: [3] })],
  })),
];

function runProbes() {
  const lacking = [];
  for (const p of PROBES) {
    let problem = null;
    try {
      const model = buildModel({ id: 'probe', build: p.build });
      const stat = model.outputShape;
      const shapes = (() => {
        try { return layerShapes(model, 'probe'); } catch (e) { problem = e.message; return null; }
      })();
      if (!problem && p.expectShape && JSON.stringify(stat) !== JSON.stringify(p.expectShape)) {
        problem = `option silently ignored: output ${JSON.stringify(stat)}, Keras gives ${JSON.stringify(p.expectShape)}`;
      }
      if (!problem && p.expectError) {
        problem = `accepted, output ${JSON.stringify(stat)} instead of an error`;
      }
      if (!problem && shapes) {
        const cfg = model.toJSON(null, false).config.layers[0].config;
        if (p.what.includes('channels_first') && cfg.data_format !== 'channels_first') {
          problem = 'data_format missing from toJSON';
        }
      }
      model.dispose();
    } catch (e) {
      problem = `rejected: ${e.message.split('\n')[0]}`;
    }
    if (problem) lacking.push({ what: p.what, problem });
  }
  for (const l of lacking) process.stderr.write(`TF.js cannot produce ${l.what}: ${l.problem}\n`);
  return lacking;
}

// ---------------------------------------------------------------------------------------------
// JSON writer: pretty objects, arrays of scalars on one line
// ---------------------------------------------------------------------------------------------

function toJson(value, indent = '') {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`non-finite number ${value}`);
    return JSON.stringify(value);
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) return `[${value.map((v) => toJson(v)).join(', ')}]`;
    return `[\n${value.map((v) => inner + toJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${toJson(value[k], inner)}`).join(',\n')}\n${indent}}`;
}

function writeFixture(file, cases) {
  const ids = new Set();
  for (const c of cases) {
    if (ids.has(c.id)) throw new Error(`duplicate id ${c.id}`);
    ids.add(c.id);
  }
  const doc = { generator: GENERATOR, tfjs_version: TFJS_VERSION, cases };
  mkdirSync(OUT_DIR, { recursive: true });
  const path = join(OUT_DIR, file);
  writeFileSync(path, `${toJson(doc)}\n`);
  process.stderr.write(`wrote ${path}: ${cases.length} cases\n`);
}

// ---------------------------------------------------------------------------------------------

runProbes();
writeFixture('models.json', MODEL_CASES.map(modelRecord));
writeFixture('forward.json', FORWARD_CASES.map(forwardRecord));
