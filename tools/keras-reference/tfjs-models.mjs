// Helpers shared by the TF.js reference generators (generate.mjs, fuzz.mjs, training.mjs,
// training-graphs.mjs): deterministic randomness, float32 number formatting, the layer factory with Keras
// auto-names and the BatchNormalization oracle, Keras-style descriptions, per-layer shapes checked against a real
// forward pass, seeded weights, predict() with the oracle, Keras's Adam, and the JSON writers. TensorFlow.js 4.22.0
// (pure JS, CPU backend).

import { tf } from './quiet-tfjs.mjs';

export { tf };
export const TFJS_VERSION = tf.version.tfjs;
if (TFJS_VERSION !== '4.22.0') {
  throw new Error(`expected @tensorflow/tfjs 4.22.0, got ${TFJS_VERSION}`);
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------------------------

export function mulberry32(seed) {
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
export function seedOf(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function uniformArray(rand, n, lo, hi) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rand();
  return out;
}

export function intArray(rand, n, maxExclusive) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rand() * maxExclusive);
  return out;
}

// float32 -> shortest decimal with 9 significant digits (round-trips float32)
export function num(x) {
  const v = Number(Math.fround(x).toPrecision(9));
  return Object.is(v, -0) ? 0 : v;
}

// ---------------------------------------------------------------------------------------------
// Keras-style layer factory with Keras auto-naming (snake_case of class + _1, _2 ... per model)
// ---------------------------------------------------------------------------------------------

export const KERAS_SNAKE = {
  dense: 'dense', conv1d: 'conv1d', conv2d: 'conv2d',
  maxPooling1d: 'max_pooling1d', maxPooling2d: 'max_pooling2d',
  averagePooling1d: 'average_pooling1d', averagePooling2d: 'average_pooling2d',
  globalAveragePooling1d: 'global_average_pooling1d', globalAveragePooling2d: 'global_average_pooling2d',
  globalMaxPooling1d: 'global_max_pooling1d', globalMaxPooling2d: 'global_max_pooling2d',
  flatten: 'flatten', reshape: 'reshape', permute: 'permute', dropout: 'dropout',
  activation: 'activation', simpleRNN: 'simple_rnn', lstm: 'lstm', gru: 'gru',
  embedding: 'embedding', batchNormalization: 'batch_normalization', timeDistributed: 'time_distributed',
};

/** Names layers as Keras does, per kind: "dense", "dense_1", ... (TF.js itself would say "dense_Dense1"). */
export function kerasNamer() {
  const counts = new Map();
  return (snake) => {
    const n = counts.get(snake) ?? 0;
    counts.set(snake, n + 1);
    return n === 0 ? snake : `${snake}_${n}`;
  };
}

/** A copy of a layer config with Keras's default where TF.js's differs: LSTM and GRU recurrentActivation sigmoid. */
export function kerasDefaults(fn, config) {
  const cfg = { ...config };
  // TF.js defaults recurrentActivation to hardSigmoid (tf.keras 2's 0.2x + 0.5), Keras 3 to sigmoid.
  if ((fn === 'lstm' || fn === 'gru') && cfg.recurrentActivation === undefined) cfg.recurrentActivation = 'sigmoid';
  return cfg;
}

// oracle = true: BatchNormalization with a non-last axis becomes Permute -> BatchNormalization(axis=-1)
// -> Permute (same weights). TF.js 4.22's CPU batchNorm kernel indexes mean/variance/gamma/beta as
// if they ran along the last axis, so predict() of BatchNormalization(axis=1) on rank >= 3 inputs
// is wrong; the permuted model computes the same function with the correct last-axis kernel.
export function layerFactory(oracle = false) {
  const nextName = kerasNamer();
  const L = {};
  for (const [fn, snake] of Object.entries(KERAS_SNAKE)) {
    L[fn] = (config = {}) => {
      const cfg = kerasDefaults(fn, config);
      cfg.name = nextName(snake);
      if (oracle && fn === 'batchNormalization' && cfg.axis != null && cfg.axis !== -1) {
        return { bnOracle: cfg };
      }
      return tf.layers[fn](cfg);
    };
  }
  return L;
}

export function buildModel(caseDef, oracle = false) {
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

export const needsOracle = (model) => model.layers.some((l) => l.getClassName() === 'BatchNormalization'
  && l.getConfig().axis !== -1 && l.getConfig().axis !== l.outputShape.length - 1);

// ---------------------------------------------------------------------------------------------
// Descriptions (Keras/Python call syntax)
// ---------------------------------------------------------------------------------------------

export const ACT_NAMES = { hardSigmoid: 'hard_sigmoid', logSoftmax: 'log_softmax' };
export const actName = (a) => ACT_NAMES[a] ?? a;
const tuple = (xs) => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`);
const arr = (x) => [].concat(x);
export const fmtShape = (s) => `(${s.map((d) => (d == null ? 'None' : d)).join(', ')})`;

export function describeLayer(layer) {
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
      if (c.activation !== 'tanh') parts.push(`activation='${actName(c.activation)}'`);
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
      if (c.epsilon !== 0.001) parts.push(`epsilon=${c.epsilon}`);
      break;
    case 'TimeDistributed':
      parts.push(describeLayer(layer.layer)); break;
    default:
      break;
  }
  return `${cls}(${parts.join(', ')})`;
}

export function describeModel(model, prefix) {
  const body = model.layers.map(describeLayer).join(' -> ');
  const input = fmtShape(inputShapeOf(model));
  return prefix ? `${prefix}: ${body} on ${input}` : `${body} on ${input}`;
}

// ---------------------------------------------------------------------------------------------
// Shape / parameter extraction (always from TF.js)
// ---------------------------------------------------------------------------------------------

export function note(msg) {
  process.stderr.write(`${msg}\n`);
}

export function inputShapeOf(model) {
  return model.layers[0].batchInputShape.slice();
}

export const shortWeightName = (v) => v.originalName.slice(v.originalName.lastIndexOf('/') + 1);
export const size = (shape) => shape.reduce((a, b) => a * b, 1);
export const isEmbeddingModel = (model) => model.layers[0].getClassName() === 'Embedding';

// Runs a batch of 1 (None timesteps -> `steps`, 7 unless told) through the layers one by one and
// checks every static output shape against the real one. A static None that is not a
// batch/None-timestep axis is filled in from the real run (TF.js leaves Reshape's -1 as None; Keras
// resolves it); `onNote` hears about each such fill-in.
export function layerShapes(model, id, { steps = 7, onNote = note } = {}) {
  const inShape = inputShapeOf(model);
  const inputHasNone = inShape.slice(1).some((d) => d == null);
  const concrete = inShape.map((d, i) => (i === 0 ? 1 : d ?? steps));
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
            onNote(`note: ${id}/${layer.name}: TF.js outputShape ${JSON.stringify(stat)} leaves axis ${i} unknown; ` +
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

// ---------------------------------------------------------------------------------------------
// Weights and predictions
// ---------------------------------------------------------------------------------------------

// Sets every weight of the model to draw(weightName, count) (a Float32Array) and returns the records
// in Keras get_weights() order: layer by layer, each layer's weights in its own order (TF.js's
// model.getWeights() puts the non-trainable BatchNormalization statistics last instead).
// written(value) is what the record holds for each float32 value.
export function seedWeights(model, draw, written = num) {
  const weights = [];
  for (const layer of model.layers) {
    const values = layer.weights.map((w) => {
      const name = shortWeightName(w);
      const data = draw(name, size(w.shape));
      weights.push({ layer: layer.name, name, shape: w.shape.slice(), data: Array.from(data, written) });
      return tf.tensor(data, w.shape);
    });
    if (values.length > 0) layer.setWeights(values);
    tf.dispose(values);
  }
  return weights;
}

// The model whose predict() stands in for `model`'s where TF.js computes it wrongly
// (BatchNormalization on a non-last axis, see layerFactory), with the same weights; null when
// `model`'s own predict() is right. The caller disposes it.
export function oracleModel(caseDef, model) {
  if (!needsOracle(model)) return null;
  const oracle = buildModel(caseDef, true);
  for (const layer of oracle.layers) {
    const twin = model.layers.find((l) => l.name === layer.name);
    if (twin && twin.weights.length > 0) layer.setWeights(twin.getWeights());
  }
  return oracle;
}

// ---------------------------------------------------------------------------------------------
// Optimizers
// ---------------------------------------------------------------------------------------------

// Keras's Adam, which TF.js's differs from: Keras divides by sqrt(v) + epsilon after folding both bias corrections
// into the learning rate, alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t); TF.js divides by sqrt(v_hat) + epsilon.
// With small gradients (recurrent kernels, a bias that BatchNormalization cancels) the two differ by percents after
// a few steps, so the references use Keras's update on TF.js's gradients.
export class KerasAdam extends tf.Optimizer {
  constructor(learningRate, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7) {
    super();
    Object.assign(this, { learningRate, beta1, beta2, epsilon, t: 0, m: new Map(), v: new Map() });
  }

  applyGradients(variableGradients) {
    this.t += 1;
    const alpha = this.learningRate * Math.sqrt(1 - this.beta2 ** this.t) / (1 - this.beta1 ** this.t);
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    tf.tidy(() => {
      names.forEach((name, i) => {
        const gradient = Array.isArray(variableGradients) ? variableGradients[i].tensor : variableGradients[name];
        if (gradient == null) return;
        const value = tf.engine().registeredVariables[name];
        if (!this.m.has(name)) {
          this.m.set(name, tf.keep(tf.zerosLike(value).variable(false)));
          this.v.set(name, tf.keep(tf.zerosLike(value).variable(false)));
        }
        const m = this.m.get(name);
        const v = this.v.get(name);
        m.assign(m.add(gradient.sub(m).mul(1 - this.beta1)));
        v.assign(v.add(gradient.square().sub(v).mul(1 - this.beta2)));
        value.assign(value.sub(m.mul(alpha).div(v.sqrt().add(this.epsilon))));
      });
    });
    this.incrementIterations();
  }

  getConfig() {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  static get className() {
    return 'KerasAdam';
  }
}

// ---------------------------------------------------------------------------------------------
// JSON writer: pretty objects, arrays of scalars on one line
// ---------------------------------------------------------------------------------------------

export function toJson(value, indent = '') {
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

// The same JSON on one line (JSON Lines); refuses non-finite numbers as toJson does.
export function toJsonLine(value) {
  return JSON.stringify(value, (key, v) => {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`non-finite number ${v} at ${key}`);
    return v;
  });
}
