// Keras reference fixtures for models that branch and for the recurrent options that change shapes:
// RepeatVector, Masking, Bidirectional, return_state, initial_state, stateful RNNs with a fixed batch,
// the merge layers, shared layers and seeded random functional graphs. TensorFlow.js 4.22.0 (pure JS,
// CPU backend) is the Keras oracle; README.md, section "graphs.mjs", describes the format and what
// TF.js does differently from Keras 3.
//
//   node graphs.mjs          writes src/test/resources/keras-reference/graphs/cases.jsonl and errors.json
//   node graphs.mjs --case ID   prints only that case's line (its id or its family_NNNN prefix)
//
// Deterministic: the same bytes on every run. Each case draws its sizes, weights and inputs from its own
// seed, FNV-1a of "<run seed>/<family>_<index>".

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  TFJS_VERSION, actName, describeLayer, kerasDefaults, kerasNamer, mulberry32, num, seedOf, size, tf, toJson, toJsonLine,
} from './tfjs-models.mjs';
import { Subtract } from './tfjs-subtract.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT_DIR = resolve(HERE, '..', '..', 'src', 'test', 'resources', 'keras-reference', 'graphs');
const GENERATOR = 'tools/keras-reference/graphs.mjs';
const SEED = 20260311;
const FAMILIES = ['repeat_vector', 'masking', 'bidirectional', 'return_state', 'initial_state', 'stateful', 'merge',
  'shared', 'functional_random'];

// TF.js warns when a layer gets initialState (it is kept as extra inputs of the node, as Keras does).
const consoleWarn = console.warn;
console.warn = (...args) => {
  if (typeof args[0] === 'string' && args[0].includes('non-serializable keyword arguments')) return;
  consoleWarn(...args);
};

// Activations TF.js computes as Keras 3 does (not hard_sigmoid: TF.js uses Keras 2's 0.2x + 0.5).
const ACTS = ['relu', 'tanh', 'sigmoid', 'softmax', 'linear', 'elu', 'selu', 'softplus', 'softsign', 'swish', 'gelu',
  'relu6', 'mish', 'logSoftmax'];
const RNNS = ['simpleRNN', 'lstm', 'gru'];
const RNN_CLASS = { simpleRNN: 'SimpleRNN', lstm: 'LSTM', gru: 'GRU' };

// ---------------------------------------------------------------------------------------------
// Randomness and numbers (as fuzz.mjs: weights and inputs of 4 significant digits, outputs of 9)
// ---------------------------------------------------------------------------------------------

function rng(seed) {
  const next = mulberry32(seed);
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}

const q4 = (x) => {
  const v = Number(x.toPrecision(4));
  return Object.is(v, -0) ? 0 : v;
};

function uniform4(r, n, lo, hi) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = q4(lo + (hi - lo) * r.next());
  return out;
}


// ---------------------------------------------------------------------------------------------
// Layer factory with Keras auto-names (snake_case of the class, _1, _2 ... per model) and inputs
// named input_1, input_2, ...
// ---------------------------------------------------------------------------------------------

const SNAKE = {
  dense: 'dense', conv1d: 'conv1d', flatten: 'flatten', reshape: 'reshape', dropout: 'dropout', activation: 'activation',
  simpleRNN: 'simple_rnn', lstm: 'lstm', gru: 'gru', embedding: 'embedding', timeDistributed: 'time_distributed',
  globalAveragePooling1d: 'global_average_pooling1d', globalMaxPooling1d: 'global_max_pooling1d',
  masking: 'masking', repeatVector: 'repeat_vector', bidirectional: 'bidirectional', add: 'add', subtract: 'subtract',
  multiply: 'multiply', average: 'average', maximum: 'maximum', minimum: 'minimum', concatenate: 'concatenate', dot: 'dot',
};

function factory() {
  const nextName = kerasNamer();
  const L = {};
  for (const [fn, snake] of Object.entries(SNAKE)) {
    L[fn] = (config = {}) => {
      const cfg = kerasDefaults(fn, config);
      cfg.name = nextName(snake);
      if (fn === 'subtract') return new Subtract(cfg);
      return tf.layers[fn](cfg);
    };
  }
  let inputs = 0;
  L.input = (cfg) => {
    inputs += 1;
    return tf.input({ ...cfg, name: `input_${inputs}` });
  };
  // Sequential: TF.js names its input layer "<first layer>_input", as Keras 2 does.
  L.sequential = (layers) => {
    const m = tf.sequential({ name: 'sequential' });
    for (const l of layers) m.add(l);
    m.build();
    return m;
  };
  return L;
}

// ---------------------------------------------------------------------------------------------
// Keras-Python-like descriptions
// ---------------------------------------------------------------------------------------------

const pyTuple = (xs) => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`);
const pyNum = (x) => (Number.isInteger(x) ? `${x}.0` : String(x));

function describeRnn(c, cls) {
  const parts = [String(c.units)];
  if (c.activation !== 'tanh') parts.push(`activation='${actName(c.activation)}'`);
  if (cls !== 'SimpleRNN' && c.recurrentActivation !== 'sigmoid') parts.push(`recurrent_activation='${actName(c.recurrentActivation)}'`);
  if (c.useBias === false) parts.push('use_bias=False');
  if (c.returnSequences) parts.push('return_sequences=True');
  if (c.returnState) parts.push('return_state=True');
  if (c.goBackwards) parts.push('go_backwards=True');
  if (c.stateful) parts.push('stateful=True');
  if (cls === 'GRU') parts.push('reset_after=False');
  return `${cls}(${parts.join(', ')})`;
}

function describePy(layer) {
  const cls = layer.getClassName();
  const c = layer.getConfig();
  switch (cls) {
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return describeRnn(c, cls);
    case 'Masking':
      return `Masking(mask_value=${pyNum(c.maskValue)})`;
    case 'RepeatVector':
      return `RepeatVector(${c.n})`;
    case 'Bidirectional': {
      const parts = [describePy(layer.forwardLayer)];
      if (layer.customBackward) parts.push(`backward_layer=${layer.customBackward}`);
      if (c.mergeMode !== 'concat') parts.push(`merge_mode=${c.mergeMode == null ? 'None' : `'${c.mergeMode}'`}`);
      return `Bidirectional(${parts.join(', ')})`;
    }
    case 'Concatenate':
      return c.axis === -1 ? 'Concatenate()' : `Concatenate(axis=${c.axis})`;
    case 'Dot': {
      const axes = Array.isArray(c.axes) ? pyTuple(c.axes) : String(c.axes);
      return `Dot(axes=${axes}${c.normalize ? ', normalize=True' : ''})`;
    }
    case 'Add': case 'Subtract': case 'Multiply': case 'Average': case 'Maximum': case 'Minimum':
    case 'Flatten': case 'GlobalAveragePooling1D': case 'GlobalMaxPooling1D':
      return `${cls}()`;
    case 'Embedding': {
      const parts = [String(c.inputDim), String(c.outputDim)];
      if (c.maskZero) parts.push('mask_zero=True');
      return `Embedding(${parts.join(', ')})`;
    }
    case 'TimeDistributed':
      return `TimeDistributed(${describePy(layer.layer)})`;
    default:
      return describeLayer(layer);
  }
}

function inputDescription(inputLayer, sequential) {
  const b = inputLayer.batchInputShape;
  if (b[0] != null) return `Input(batch_shape=${pyTuple(b.map((d) => (d == null ? 'None' : d)))})`;
  const s = b.slice(1).map((d) => (d == null ? 'None' : d));
  return sequential ? `Input(shape=${pyTuple(s)})` : `Input(shape=${pyTuple(s)}, name='${inputLayer.name}')`;
}

function describeGraph(model, sequential) {
  if (sequential) {
    const parts = [inputDescription(model.inputLayers[0], true), ...model.layers.map(describePy)];
    return `Sequential([${parts.join(', ')}])`;
  }
  // Tensors are called after their layer (and node, and output, where there are several).
  const multiNode = new Set(model.layers.filter((l) => l.inboundNodes.length > 1).map((l) => l.name));
  const tname = (layer, node, t) => {
    let s = layer.name;
    if (multiNode.has(layer.name)) s += `_call${node}`;
    const outs = layer.inboundNodes[node].outputTensors.length;
    if (outs > 1) s += ['_out', '_h', '_c', '_h_b', '_c_b'][t] ?? `_${t}`;
    if (layer.getClassName() === 'Bidirectional' && outs > 1) s = `${layer.name}${multiNode.has(layer.name) ? `_call${node}` : ''}${['_forward', '_backward'][t]}`;
    return s;
  };
  const lines = [];
  for (const l of model.inputLayers) lines.push(`${l.name} = ${inputDescription(l, false)}`);
  const depths = Object.keys(model.nodesByDepth).map(Number).sort((a, b) => b - a);
  const declared = new Set();
  for (const d of depths) {
    for (const node of model.nodesByDepth[d]) {
      const layer = node.outboundLayer;
      if (layer.getClassName() === 'InputLayer') continue;
      const nodeIndex = layer.inboundNodes.indexOf(node);
      const args = node.inboundLayers.map((l, i) => tname(l, node.nodeIndices[i], node.tensorIndices[i]));
      const outs = node.outputTensors.map((_, t) => tname(layer, nodeIndex, t)).join(', ');
      let call;
      const cls = layer.getClassName();
      const isMerge = ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate', 'Dot'].includes(cls);
      if (isMerge) call = `[${args.join(', ')}]`;
      else if (args.length > 1) call = `${args[0]}, initial_state=[${args.slice(1).join(', ')}]`;
      else call = args[0];
      if (multiNode.has(layer.name)) {
        if (!declared.has(layer.name)) {
          lines.push(`${layer.name} = ${describePy(layer)}`);
          declared.add(layer.name);
        }
        lines.push(`${outs} = ${layer.name}(${call})`);
      } else {
        lines.push(`${outs} = ${describePy(layer)}(${call})`);
      }
    }
  }
  const ins = model.inputLayers.map((l) => l.name);
  const outs = model.outputLayers.map((l, i) => tname(l, model.outputLayersNodeIndices[i], model.outputLayersTensorIndices[i]));
  const py = (xs) => (xs.length === 1 ? xs[0] : `[${xs.join(', ')}]`);
  lines.push(`Model(${py(ins)}, ${py(outs)})`);
  return lines.join('; ');
}

// ---------------------------------------------------------------------------------------------
// Records: shapes, counts, connections, weights (all from TF.js)
// ---------------------------------------------------------------------------------------------

const isShape = (s) => Array.isArray(s) && s.every((d) => d == null || typeof d === 'number');
const shapesList = (s) => (isShape(s) ? [s.slice()] : s.map((x) => x.slice()));
const countOf = (ws) => ws.reduce((a, w) => a + size(w.shape), 0);

// Keras get_weights() names: "kernel", "recurrent_kernel", "bias", ...; inside a Bidirectional
// "forward_lstm/kernel" and "backward_lstm/kernel" (TF.js's names below the Bidirectional's own).
function weightName(layer, w) {
  const name = w.originalName;
  if (layer.getClassName() === 'Bidirectional') return name.slice(name.indexOf('/') + 1);
  return name.slice(name.lastIndexOf('/') + 1);
}

function layerRecords(model) {
  return model.layers.map((layer) => {
    const node = layer.inboundNodes[0];
    const isInput = layer.getClassName() === 'InputLayer';
    return {
      name: layer.name,
      class_name: layer.getClassName(),
      output_shapes: shapesList(node.outputShapes),
      params: layer.countParams(),
      trainable_params: countOf(layer.trainableWeights),
      connected_to: isInput ? [] : node.inboundLayers.map((l, i) => `${l.name}[${node.nodeIndices[i]}][${node.tensorIndices[i]}]`),
    };
  });
}

// Every layer call's output tensors, to check static shapes against a forward pass.
function probeModel(model) {
  const tensors = [];
  const where = [];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    layer.inboundNodes.forEach((node, n) => {
      node.outputTensors.forEach((t, i) => { tensors.push(t); where.push({ layer: layer.name, node: n, tensor: i, shape: node.outputShapes, i }); });
    });
  }
  return { probe: tf.model({ inputs: model.inputs, outputs: tensors }), where };
}

function checkShapes(id, model, xs) {
  const { probe, where } = probeModel(model);
  const ys = [].concat(probe.predict(xs.length === 1 ? xs[0] : xs, { batchSize: xs[0].shape[0] }));
  ys.forEach((y, k) => {
    const w = where[k];
    const stat = isShape(w.shape) ? w.shape : w.shape[w.i];
    const ok = stat.length === y.shape.length && stat.every((d, i) => d == null || d === y.shape[i]);
    if (!ok) {
      throw new Error(`${id}: ${w.layer} node ${w.node} output ${w.tensor}: TF.js static shape ${JSON.stringify(stat)} but real ${JSON.stringify(y.shape)}`);
    }
  });
  tf.dispose(ys);
}

// Seeded weights in Keras get_weights() order; each layer's own order (for a Bidirectional: forward
// then backward). `extra` may replace a layer's weights list (the custom backward layer case).
function seedWeights(r, model) {
  const out = [];
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const values = layer.weights.map((w) => {
      const data = uniform4(r, size(w.shape), -0.5, 0.5);
      out.push({ layer: layer.name, name: weightName(layer, w), shape: w.shape.slice(), data: Array.from(data) });
      return tf.tensor(data, w.shape);
    });
    layer.setWeights(values);
    tf.dispose(values);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Inputs of a run
// ---------------------------------------------------------------------------------------------

// Masked inputs for Masking(mask_value): whole steps set to the mask value. Batch 1 has trailing
// masked steps; larger batches start with one sample each of: trailing, all masked (unless
// allowAllMasked is false), in the middle, leading, none, a step where only some features equal the
// mask value (not masked), scattered.
function maskedFloats(r, shape, maskValue, allowAllMasked) {
  const [batch, len, feat] = shape;
  const data = uniform4(r, batch * len * feat, -1, 1);
  for (let i = 0; i < data.length; i++) if (data[i] === maskValue) data[i] = q4(data[i] + 0.125);
  const patterns = ['end', allowAllMasked ? 'all' : 'scattered', 'middle', 'start', 'none', 'partial', 'scattered'];
  for (let b = 0; b < batch; b++) {
    const p = batch === 1 ? (len > 1 ? 'end' : 'none') : (b < patterns.length ? patterns[b] : r.pick(patterns));
    const masked = new Array(len).fill(false);
    if (p === 'all') masked.fill(true);
    else if (p === 'end' && len > 1) masked.fill(true, len - r.int(1, len - 1));
    else if (p === 'start' && len > 1) masked.fill(true, 0, r.int(1, len - 1));
    else if (p === 'middle' && len > 2) {
      const a = r.int(1, len - 2);
      masked.fill(true, a, r.int(a + 1, len - 1));
    } else if (p === 'scattered') {
      for (let t = 0; t < len; t++) masked[t] = r.chance(0.4);
      if (!allowAllMasked && masked.every(Boolean)) masked[r.int(0, len - 1)] = false;
    }
    for (let t = 0; t < len; t++) {
      const base = (b * len + t) * feat;
      if (masked[t]) for (let f = 0; f < feat; f++) data[base + f] = maskValue;
    }
    if (p === 'partial' && feat > 1) {
      const t = r.int(0, len - 1);
      data[(b * len + t) * feat] = maskValue; // one feature only: the step is not masked
    }
  }
  return data;
}

// Token ids with zeros (Embedding(mask_zero=True)) in the same patterns.
function maskedIds(r, shape, inputDim, allowAllMasked) {
  const [batch, len] = shape;
  const data = new Float32Array(batch * len);
  const patterns = ['end', allowAllMasked ? 'all' : 'scattered', 'middle', 'start', 'none', 'scattered'];
  for (let b = 0; b < batch; b++) {
    const p = batch === 1 ? (len > 1 ? 'end' : 'none') : (b < patterns.length ? patterns[b] : r.pick(patterns));
    const row = Array.from({ length: len }, () => r.int(1, inputDim - 1));
    if (p === 'all') row.fill(0);
    else if (p === 'end' && len > 1) row.fill(0, len - r.int(1, len - 1));
    else if (p === 'start' && len > 1) row.fill(0, 0, r.int(1, len - 1));
    else if (p === 'middle' && len > 2) {
      const a = r.int(1, len - 2);
      row.fill(0, a, r.int(a + 1, len - 1));
    } else if (p === 'scattered') {
      for (let i = 0; i < len; i++) if (r.chance(0.4)) row[i] = 0;
      if (!allowAllMasked && row.every((v) => v === 0)) row[r.int(0, len - 1)] = r.int(1, inputDim - 1);
    }
    data.set(row, b * len);
  }
  return data;
}

// Step mask of a float input [batch, len, feat]: true where some feature differs from maskValue.
function stepMask(data, [batch, len, feat], maskValue) {
  const m = [];
  for (let b = 0; b < batch; b++) {
    const row = [];
    for (let t = 0; t < len; t++) {
      let keep = false;
      for (let f = 0; f < feat; f++) if (data[(b * len + t) * feat + f] !== maskValue) keep = true;
      row.push(keep);
    }
    m.push(row);
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// Cases. A template returns
//   { tag, build(L) -> { model, sequential? }, runs: [{ batch, steps?, reset? }], input?, note?,
//     relation? (a function computing Keras's output where TF.js's differs), allowAllMasked? }
// ---------------------------------------------------------------------------------------------

const TEMPLATES = Object.fromEntries(FAMILIES.map((f) => [f, []]));
const T = (family, make) => TEMPLATES[family].push(make);
const plainRuns = (big = true) => [{ batch: 1 }, { batch: 3 }, ...(big ? [{ batch: 33 }] : [])];

function fnModel(L, inputs, outputs) {
  return tf.model({ inputs, outputs, name: 'model' });
}

// ---- repeat_vector: Dense -> RepeatVector(n) -> RNN(return_sequences) -> TimeDistributed(Dense)
for (const n of [1, 2, 3, 5]) {
  for (const kind of RNNS) {
    T('repeat_vector', (r) => {
      const f = r.int(1, 5);
      const units = r.int(1, 4);
      const act = r.pick(ACTS);
      return {
        tag: `${SNAKE[kind]}_n${n}`,
        build: (L) => ({
          model: L.sequential([
            L.dense({ units: r.int(1, 4), activation: act, inputShape: [f] }),
            L.repeatVector({ n }),
            L[kind]({ units, returnSequences: true, activation: r.chance(0.2) ? r.pick(ACTS) : undefined }),
            L.timeDistributed({ layer: L.dense({ units: r.int(1, 3), activation: r.pick(ACTS) }) }),
          ]),
          sequential: true,
        }),
        runs: plainRuns(),
      };
    });
  }
}
T('repeat_vector', (r) => ({
  tag: 'only',
  build: (L) => ({ model: L.sequential([L.repeatVector({ n: r.int(2, 4), inputShape: [r.int(1, 4)] })]), sequential: true }),
  runs: plainRuns(),
}));
T('repeat_vector', () => ({
  tag: 'n1_one_feature',
  build: (L) => ({ model: L.sequential([L.repeatVector({ n: 1, inputShape: [1] }), L.lstm({ units: 1 })]), sequential: true }),
  runs: plainRuns(),
}));
for (const kind of RNNS) {
  T('repeat_vector', (r) => ({
    tag: `functional_encoder_${SNAKE[kind]}`,
    build: (L) => {
      const x = L.input({ shape: [r.int(2, 6), r.int(1, 3)] });
      const enc = L[kind]({ units: r.int(2, 4) }).apply(x);
      const rep = L.repeatVector({ n: r.int(2, 4) }).apply(enc);
      const dec = L[kind]({ units: r.int(1, 3), returnSequences: true }).apply(rep);
      const y = L.timeDistributed({ layer: L.dense({ units: 2, activation: 'softmax' }) }).apply(dec);
      return { model: fnModel(L, x, y) };
    },
    runs: plainRuns(),
  }));
}
T('repeat_vector', (r) => ({
  tag: 'flatten_after',
  build: (L) => ({
    model: L.sequential([L.repeatVector({ n: r.int(2, 3), inputShape: [r.int(2, 4)] }), L.flatten(), L.dense({ units: 2 })]),
    sequential: true,
  }),
  runs: plainRuns(),
}));
T('repeat_vector', (r) => ({
  tag: 'dense_rank3_after',
  build: (L) => ({
    model: L.sequential([L.dense({ units: 3, inputShape: [r.int(1, 4)] }), L.repeatVector({ n: 4 }), L.dense({ units: 2, activation: 'tanh' })]),
    sequential: true,
  }),
  runs: plainRuns(),
}));

// ---- masking
// Keras 3 (and TF.js) pass the mask through Dense, TimeDistributed, Dropout, Activation and RNNs with
// return_sequences; RNNs skip masked steps (keep the state, repeat the previous output).
const MV = [0, 0.5, -1, 2];
for (const kind of RNNS) {
  for (const [rs, gb] of [[false, false], [true, false], [false, true], [true, true]]) {
    T('masking', (r) => {
      const mv = r.pick(MV);
      const len = r.int(3, 7);
      const feat = r.int(1, 3);
      return {
        tag: `${SNAKE[kind]}${rs ? '_sequences' : ''}${gb ? '_backwards' : ''}`,
        build: (L) => ({
          model: L.sequential([
            L.masking({ maskValue: mv, inputShape: [len, feat] }),
            L[kind]({ units: r.int(1, 4), returnSequences: rs, goBackwards: gb }),
          ]),
          sequential: true,
        }),
        input: { mask: mv },
        runs: [{ batch: 1 }, { batch: 7 }, { batch: 33 }],
      };
    });
  }
}
for (const kind of RNNS) {
  for (const mid of ['dense', 'time_distributed', 'dense_dropout_activation']) {
    T('masking', (r) => {
      const mv = r.pick(MV);
      const rs = r.chance(0.5);
      return {
        tag: `${mid}_then_${SNAKE[kind]}`,
        build: (L) => {
          const len = r.int(3, 6);
          const layers = [L.masking({ maskValue: mv, inputShape: [len, r.int(1, 3)] })];
          if (mid === 'dense') layers.push(L.dense({ units: r.int(1, 4), activation: r.pick(ACTS) }));
          if (mid === 'time_distributed') layers.push(L.timeDistributed({ layer: L.dense({ units: r.int(1, 4) }) }));
          if (mid === 'dense_dropout_activation') {
            layers.push(L.dense({ units: r.int(2, 4) }), L.dropout({ rate: 0.25 }), L.activation({ activation: r.pick(ACTS) }));
          }
          layers.push(L[kind]({ units: r.int(1, 3), returnSequences: rs }));
          if (rs) layers.push(L.timeDistributed({ layer: L.dense({ units: 2 }) }));
          return { model: L.sequential(layers), sequential: true };
        },
        input: { mask: mv },
        runs: [{ batch: 1 }, { batch: 7 }, { batch: 33 }],
      };
    });
  }
}
// None timesteps, run with lengths 1, mid and long.
for (const kind of RNNS) {
  T('masking', (r) => {
    const mv = r.pick(MV);
    return {
      tag: `none_steps_${SNAKE[kind]}`,
      build: (L) => ({
        model: L.sequential([
          L.masking({ maskValue: mv, batchInputShape: [null, null, 2] }),
          L[kind]({ units: 3, returnSequences: true }),
          L[kind]({ units: 2 }),
        ]),
        sequential: true,
      }),
      input: { mask: mv },
      runs: [{ batch: 1, steps: 1 }, { batch: 7, steps: r.int(3, 6) }, { batch: 2, steps: r.int(10, 16) }],
    };
  });
}
// Stacked RNNs after Masking (the mask goes on from return_sequences=True).
T('masking', (r) => ({
  tag: 'stacked_lstm_gru',
  build: (L) => ({
    model: L.sequential([
      L.masking({ maskValue: 0, inputShape: [6, 2] }),
      L.lstm({ units: 3, returnSequences: true }),
      L.gru({ units: 2, goBackwards: r.chance(0.5) }),
    ]),
    sequential: true,
  }),
  input: { mask: 0 },
  runs: [{ batch: 1 }, { batch: 7 }, { batch: 33 }],
}));
// GlobalAveragePooling1D: Keras averages over the unmasked steps; TF.js ignores the mask.
const gapRelation = 'keras-gap-mask';
for (const [i, mid] of ['none', 'dense', 'lstm_sequences', 'time_distributed'].entries()) {
  T('masking', (r) => {
    const mv = MV[i % MV.length];
    const len = r.int(3, 7);
    const feat = r.int(1, 3);
    const mk = (L, steps) => {
      const layers = [L.masking({ maskValue: mv, batchInputShape: [null, steps, feat] })];
      if (mid === 'dense') layers.push(L.dense({ units: 3, activation: 'relu' }));
      if (mid === 'lstm_sequences') layers.push(L.lstm({ units: 3, returnSequences: true }));
      if (mid === 'time_distributed') layers.push(L.timeDistributed({ layer: L.dense({ units: 2 }) }));
      layers.push(L.globalAveragePooling1d());
      if (i % 2 === 1) layers.push(L.dense({ units: 2 }));
      return L.sequential(layers);
    };
    return {
      tag: `global_average_pooling1d_after_${mid}`,
      build: (L) => ({ model: mk(L, len), sequential: true, twin: (L2) => mk(L2, null) }),
      input: { mask: mv },
      allowAllMasked: false,
      relation: gapRelation,
      note: 'TF.js GlobalAveragePooling1D ignores the mask and averages over all steps; Keras averages over the '
        + 'unmasked steps only. Outputs are Keras\'s: each sample run alone through the same model (None timesteps) with '
        + 'its masked steps removed. No sample is masked everywhere (Keras gives 0/0 = NaN there).',
      runs: [{ batch: 1 }, { batch: 7 }, { batch: 12 }],
    };
  });
}
// Bidirectional after Masking.
const MASK_SUMMARY_NOTE = 'connected_to is TF.js\'s (as Keras 2): ["masking[0][0]"]. Keras 3.15\'s functional model '
  + 'passes the mask as an argument of the call, so its summary lists "masking[0][0], any[0][0]" for the Bidirectional '
  + 'and shows the mask\'s ops as rows (not_equal (NotEqual), any (Any)); model.layers has neither.';
for (const [kind, rs, mode] of [['lstm', false, 'concat'], ['gru', false, 'sum'], ['simpleRNN', false, 'ave'], ['lstm', true, 'concat'],
  ['gru', true, 'mul'], ['simpleRNN', true, 'sum'], ['lstm', true, null]]) {
  T('masking', (r) => {
    const mv = r.pick(MV);
    return {
      tag: `bidirectional_${SNAKE[kind]}_${mode ?? 'none'}${rs ? '_sequences' : ''}`,
      build: (L) => {
        const x = L.input({ shape: [r.int(3, 6), r.int(1, 3)] });
        const m = L.masking({ maskValue: mv }).apply(x);
        const y = L.bidirectional({ layer: L[kind]({ units: r.int(1, 3), returnSequences: rs }), mergeMode: mode }).apply(m);
        return { model: fnModel(L, x, y) };
      },
      input: { mask: mv },
      relation: rs ? 'keras-bidirectional-zero-masked' : undefined,
      note: (rs ? 'Keras (2 and 3) forces zero_output_for_mask=True on both layers of a Bidirectional with return_sequences: '
        + 'outputs at masked steps are 0; TF.js repeats the previous output there. Outputs are Keras\'s: TF.js\'s with the '
        + 'masked steps set to 0 (all merge modes give 0 there). ' : '') + MASK_SUMMARY_NOTE,
      runs: [{ batch: 1 }, { batch: 7 }, { batch: 33 }],
    };
  });
}
// Embedding(mask_zero=True) -> Dense -> LSTM
for (const rs of [false, true]) {
  T('masking', (r) => ({
    tag: `embedding_mask_zero_dense_lstm${rs ? '_sequences' : ''}`,
    build: (L) => ({
      model: L.sequential([
        L.embedding({ inputDim: r.int(4, 9), outputDim: r.int(2, 4), maskZero: true, inputLength: r.int(3, 7) }),
        L.dense({ units: r.int(2, 4), activation: r.pick(ACTS) }),
        L.lstm({ units: r.int(1, 3), returnSequences: rs }),
      ]),
      sequential: true,
    }),
    input: { ids: true },
    runs: [{ batch: 1 }, { batch: 6 }, { batch: 33 }],
  }));
}
T('masking', (r) => ({
  tag: 'embedding_mask_zero_none_steps_gru',
  build: (L) => ({
    model: L.sequential([
      L.embedding({ inputDim: 6, outputDim: 3, maskZero: true }),
      L.dense({ units: 2 }),
      L.gru({ units: 2, goBackwards: true }),
    ]),
    sequential: true,
  }),
  input: { ids: true },
  runs: [{ batch: 1, steps: 1 }, { batch: 6, steps: r.int(3, 6) }, { batch: 2, steps: 14 }],
}));
// Masking -> Conv1D -> RNN: Keras 3 drops the mask at Conv1D (supports_masking=False, a warning); TF.js
// carries it on to the RNN.
T('masking', (r) => {
  const mv = 0.5;
  const len = r.int(4, 7);
  const mk = (L, masking) => {
    const layers = [];
    if (masking) layers.push(L.masking({ maskValue: mv, inputShape: [len, 2] }));
    layers.push(L.conv1d({ filters: 2, kernelSize: 2, padding: 'same', ...(masking ? {} : { inputShape: [len, 2] }) }), L.simpleRNN({ units: 2 }));
    return L.sequential(layers);
  };
  return {
    tag: 'conv1d_drops_mask_then_simple_rnn',
    build: (L) => ({ model: mk(L, true), sequential: true, twin: (L2) => mk(L2, false) }),
    input: { mask: mv },
    relation: 'keras-mask-dropped',
    note: 'Keras 3 drops the mask at Conv1D (supports_masking=False, with a warning), so the SimpleRNN sees every step; '
      + 'TF.js carries the mask on to the SimpleRNN. Outputs are Keras\'s: Masking\'s output (masked steps set to 0) through '
      + 'the same Conv1D -> SimpleRNN without a mask.',
    runs: [{ batch: 1 }, { batch: 7 }],
  };
});

// ---- bidirectional
const MODES = ['concat', 'sum', 'mul', 'ave', null];
for (const kind of RNNS) {
  for (const mode of MODES) {
    for (const rs of [false, true]) {
      T('bidirectional', (r) => ({
        tag: `${SNAKE[kind]}_${mode ?? 'none'}${rs ? '_sequences' : ''}`,
        build: (L) => {
          const x = L.input({ shape: [r.int(1, 6), r.int(1, 3)] });
          const y = L.bidirectional({
            layer: L[kind]({ units: r.int(1, 4), returnSequences: rs, activation: r.chance(0.25) ? r.pick(ACTS) : undefined }),
            mergeMode: mode,
          }).apply(x);
          return { model: fnModel(L, x, y) };
        },
        runs: plainRuns(),
      }));
    }
  }
}
for (const kind of RNNS) {
  T('bidirectional', (r) => ({
    tag: `${SNAKE[kind]}_inner_go_backwards`,
    build: (L) => {
      const x = L.input({ shape: [r.int(2, 5), 2] });
      const y = L.bidirectional({ layer: L[kind]({ units: 2, goBackwards: true, returnSequences: r.chance(0.5) }), mergeMode: r.pick(['concat', 'sum']) }).apply(x);
      return { model: fnModel(L, x, y) };
    },
    note: 'The inner layer has go_backwards=True. TF.js (like Keras 2) gives the backward layer go_backwards=False; '
      + 'Keras 3 sets the backward layer\'s go_backwards=True and then refuses the model ("Forward layer and backward layer '
      + 'should have different `go_backwards` value").',
    runs: plainRuns(false),
  }));
}
// Custom backward_layer: TF.js cannot build it (Bidirectional has no backwardLayer option).
for (const [fk, bk, mode, rs] of [['lstm', 'lstm', 'concat', true], ['gru', 'gru', 'sum', false], ['simpleRNN', 'gru', 'ave', true], ['lstm', 'lstm', null, true]]) {
  T('bidirectional', (r) => ({
    tag: `${SNAKE[fk]}_custom_backward_${SNAKE[bk]}_${mode ?? 'none'}`,
    build: (L) => {
      const x = L.input({ shape: [r.int(2, 5), r.int(1, 3)] });
      const units = r.int(2, 3);
      const fwd = L[fk]({ units, returnSequences: rs });
      const bwdCfg = { units, returnSequences: rs, goBackwards: true, activation: bk === fk ? 'relu' : undefined };
      const bwd = L[bk](bwdCfg); // its own weights: not the Bidirectional's automatic copy
      const bi = L.bidirectional({ layer: fwd, mergeMode: mode });
      const y = bi.apply(x);
      bi.customBackward = describeRnn(bwd.getConfig(), RNN_CLASS[bk]);
      return { model: fnModel(L, x, y), customBackward: { layer: bi, backward: bwd } };
    },
    relation: 'custom-backward',
    note: 'TF.js has no backward_layer; this case is computed from the TF.js forward layer and the backward layer run '
      + 'on their own (the backward output reversed in time if return_sequences, then merged), and the model JSON is TF.js\'s '
      + 'with "backward_layer" added to the Bidirectional config (the TF.js serialisation of the backward layer, named as '
      + 'Keras 2 does: "backward_" + its name). Its weights follow the forward layer\'s.',
    runs: plainRuns(false),
  }));
}
T('bidirectional', (r) => ({
  tag: 'stacked_lstm_then_dense',
  build: (L) => {
    const x = L.input({ shape: [r.int(3, 6), 2] });
    const a = L.bidirectional({ layer: L.lstm({ units: 3, returnSequences: true }) }).apply(x);
    const b = L.bidirectional({ layer: L.gru({ units: 2 }), mergeMode: 'sum' }).apply(a);
    const y = L.dense({ units: 1, activation: 'sigmoid' }).apply(b);
    return { model: fnModel(L, x, y) };
  },
  runs: plainRuns(),
}));
T('bidirectional', (r) => ({
  tag: 'sequential_time_distributed',
  build: (L) => ({
    model: L.sequential([
      L.bidirectional({ layer: L.simpleRNN({ units: 2, returnSequences: true }), mergeMode: 'concat', inputShape: [r.int(2, 5), 3] }),
      L.timeDistributed({ layer: L.dense({ units: 2, activation: 'softmax' }) }),
    ]),
    sequential: true,
  }),
  runs: plainRuns(),
}));
T('bidirectional', (r) => ({
  tag: 'none_steps_gru_none_merge',
  build: (L) => {
    const x = L.input({ shape: [null, 2] });
    const [f, b] = L.bidirectional({ layer: L.gru({ units: 2, returnSequences: true }), mergeMode: null }).apply(x);
    return { model: fnModel(L, x, [f, b]) };
  },
  runs: [{ batch: 1, steps: 1 }, { batch: 5, steps: r.int(3, 6) }, { batch: 2, steps: 13 }],
}));
T('bidirectional', () => ({
  tag: 'units1_one_step',
  build: (L) => {
    const x = L.input({ shape: [1, 1] });
    const y = L.bidirectional({ layer: L.lstm({ units: 1 }), mergeMode: 'mul' }).apply(x);
    return { model: fnModel(L, x, y) };
  },
  runs: plainRuns(),
}));

// ---- return_state
for (const kind of RNNS) {
  for (const rs of [false, true]) {
    for (const k of [0, 1]) {
      T('return_state', (r, idx) => ({
        tag: `${SNAKE[kind]}${rs ? '_sequences' : ''}${k ? '_backwards' : ''}`,
        build: (L) => {
          const none = k === 1 && rs;
          const x = L.input({ shape: [none ? null : r.int(1, 6), r.int(1, 3)] });
          const outs = L[kind]({
            units: r.int(1, 4), returnState: true, returnSequences: rs, goBackwards: k === 1, activation: ACTS[idx % ACTS.length],
          }).apply(x);
          return { model: fnModel(L, x, outs) };
        },
        runs: k === 1 && rs ? [{ batch: 1, steps: 1 }, { batch: 4, steps: r.int(2, 6) }, { batch: 33, steps: 3 }] : plainRuns(),
      }));
    }
  }
}
for (const kind of RNNS) {
  T('return_state', (r) => ({
    tag: `${SNAKE[kind]}_states_to_dense`,
    build: (L) => {
      const x = L.input({ shape: [r.int(2, 6), 2] });
      const outs = L[kind]({ units: 3, returnState: true }).apply(x);
      const merged = L.concatenate().apply(outs);
      const y = L.dense({ units: 2, activation: r.pick(ACTS) }).apply(merged);
      return { model: fnModel(L, x, [y, outs[1]]) };
    },
    runs: plainRuns(),
  }));
  T('return_state', (r) => ({
    tag: `${SNAKE[kind]}_units1_one_step`,
    build: (L) => {
      const x = L.input({ shape: [1, r.int(1, 2)] });
      return { model: fnModel(L, x, L[kind]({ units: 1, returnState: true, returnSequences: true }).apply(x)) };
    },
    runs: plainRuns(),
  }));
}

// ---- initial_state: encoder -> states -> decoder
for (const kind of RNNS) {
  for (const v of [0, 1, 2]) {
    T('initial_state', (r) => ({
      tag: `${SNAKE[kind]}_encoder_decoder${['', '_none_steps', '_decoder_states'][v]}`,
      build: (L) => {
        const units = r.int(1, 4);
        const enc = L.input({ shape: [v === 1 ? null : r.int(2, 6), r.int(1, 3)] });
        const dec = L.input({ shape: [v === 1 ? null : r.int(1, 5), r.int(1, 3)] });
        const [, ...states] = L[kind]({ units, returnState: true }).apply(enc);
        const d = L[kind]({ units, returnSequences: true, returnState: v === 2 }).apply(dec, { initialState: states });
        const seq = v === 2 ? d[0] : d;
        const y = L.timeDistributed({ layer: L.dense({ units: r.int(2, 4), activation: 'softmax' }) }).apply(seq);
        return { model: fnModel(L, [enc, dec], v === 2 ? [y, ...d.slice(1)] : y) };
      },
      runs: v === 1 ? [{ batch: 1, steps: 1 }, { batch: 4, steps: r.int(2, 5) }, { batch: 2, steps: 12 }] : plainRuns(),
    }));
  }
}
T('initial_state', (r) => ({
  tag: 'lstm_initial_state_from_inputs',
  build: (L) => {
    const x = L.input({ shape: [r.int(2, 5), 2] });
    const h = L.input({ shape: [3] });
    const c = L.input({ shape: [3] });
    const y = L.lstm({ units: 3 }).apply(x, { initialState: [h, c] });
    return { model: fnModel(L, [x, h, c], y) };
  },
  runs: plainRuns(),
}));
T('initial_state', (r) => ({
  tag: 'gru_initial_state_from_dense',
  build: (L) => {
    const x = L.input({ shape: [r.int(2, 5), 2] });
    const ctx = L.input({ shape: [r.int(1, 4)] });
    const h = L.dense({ units: 3, activation: 'tanh' }).apply(ctx);
    const y = L.gru({ units: 3, returnSequences: true }).apply(x, { initialState: [h] });
    return { model: fnModel(L, [x, ctx], y) };
  },
  runs: plainRuns(),
}));
T('initial_state', (r) => ({
  tag: 'simple_rnn_initial_state_go_backwards',
  build: (L) => {
    const x = L.input({ shape: [r.int(2, 5), 2] });
    const h = L.input({ shape: [2] });
    const y = L.simpleRNN({ units: 2, goBackwards: true }).apply(x, { initialState: [h] });
    return { model: fnModel(L, [x, h], y) };
  },
  runs: plainRuns(),
}));

// ---- stateful: a fixed batch, states carried from one predict to the next
const statefulRuns = (batch, steps) => [
  { batch, steps, reset: true }, { batch, steps, reset: false }, { batch, steps, reset: true }, { batch, steps, reset: false },
];
for (const kind of RNNS) {
  for (const [batch, rs] of [[2, false], [2, true], [1, false], [1, true]]) {
    T('stateful', (r) => {
      const len = r.int(1, 4);
      const feat = r.int(1, 4);
      return {
        tag: `${SNAKE[kind]}_batch${batch}${rs ? '_sequences' : ''}`,
        build: (L) => ({
          model: L.sequential([L[kind]({ units: r.int(1, 4), stateful: true, returnSequences: rs, batchInputShape: [batch, len, feat] })]),
          sequential: true,
        }),
        runs: statefulRuns(batch),
      };
    });
  }
}
for (const kind of RNNS) {
  T('stateful', (r) => ({
    tag: `functional_${SNAKE[kind]}_stacked_dense`,
    build: (L) => {
      const x = L.input({ batchShape: [3, r.int(2, 4), 2] });
      const a = L[kind]({ units: 3, stateful: true, returnSequences: true }).apply(x);
      const b = L[kind]({ units: 2, stateful: true }).apply(a);
      const y = L.dense({ units: 1 }).apply(b);
      return { model: fnModel(L, x, y) };
    },
    runs: statefulRuns(3),
  }));
  T('stateful', (r) => ({
    tag: `${SNAKE[kind]}_none_steps_batch2`,
    build: (L) => ({
      model: L.sequential([L[kind]({ units: 2, stateful: true, returnSequences: true, batchInputShape: [2, null, 3] }), L.dense({ units: 2 })]),
      sequential: true,
    }),
    runs: [{ batch: 2, steps: 3, reset: true }, { batch: 2, steps: 1, reset: false }, { batch: 2, steps: r.int(4, 6), reset: true }, { batch: 2, steps: 2, reset: false }],
  }));
}
// TF.js runs a stateful layer once per model output it feeds (predict/execute), so a stateful layer with
// return_state whose outputs are all model outputs advances its states 3 times per predict. The outputs
// here come from calling the layer itself once per run (states carried by the layer, as Keras does).
for (const kind of RNNS) {
  T('stateful', (r) => ({
    tag: `${SNAKE[kind]}_return_state_batch2`,
    build: (L) => {
      const x = L.input({ batchShape: [2, r.int(2, 4), 2] });
      const rnn = L[kind]({ units: 2, stateful: true, returnState: true, returnSequences: kind === 'gru' });
      return { model: fnModel(L, x, rnn.apply(x)), direct: rnn };
    },
    relation: 'stateful-direct',
    note: 'TF.js runs a stateful layer once per model output it feeds, so predict() of this model advances the states '
      + 'once per output (wrong from the first run on). Outputs are Keras\'s: the layer called once per run.',
    runs: statefulRuns(2),
  }));
}

// ---- merge
const ELEMWISE = ['add', 'subtract', 'multiply', 'average', 'maximum', 'minimum'];
const MERGE_SHAPES = [[4], [3, 2], [2, 3, 2], [1], [3, 1]];
for (const op of ELEMWISE) {
  for (const shape of MERGE_SHAPES) {
    for (const n of op === 'subtract' ? [2] : [2, 3]) {
      if (n === 3 && shape.length === 3) continue;
      T('merge', (r, idx) => ({
        tag: `${op}_${n}_inputs_rank${shape.length + 1}${shape.includes(1) ? '_unit_axis' : ''}`,
        build: (L) => {
          const xs = Array.from({ length: n }, () => L.input({ shape }));
          const m = L[op]().apply(xs);
          const y = shape.length === 1 && r.chance(0.5) ? L.dense({ units: 2, activation: ACTS[idx % ACTS.length] }).apply(m) : m;
          return { model: fnModel(L, xs, y) };
        },
        runs: plainRuns(),
      }));
    }
  }
}
// Broadcasting over axes of size 1 (Keras's elementwise merges accept (3, 1) with (3, 4)).
for (const op of ['add', 'multiply', 'maximum', 'subtract']) {
  T('merge', () => ({
    tag: `${op}_broadcast_unit_axis`,
    build: (L) => {
      const a = L.input({ shape: [3, 1] });
      const b = L.input({ shape: [3, 4] });
      return { model: fnModel(L, [a, b], L[op]().apply([a, b])) };
    },
    runs: plainRuns(),
  }));
}
for (const [shapes, axis] of [
  [[[3], [4]], -1], [[[3], [1]], 1], [[[3], [2], [1]], -1], [[[2, 3], [4, 3]], 1], [[[2, 3], [2, 1]], -1], [[[2, 3], [2, 5]], 2],
  [[[2, 3], [5, 3]], -2], [[[1, 3], [1, 3], [1, 3]], 1], [[[2, 3, 2], [2, 1, 2]], 2], [[[2, 3, 2], [4, 3, 2]], -3],
  [[[2, 3, 2], [2, 3, 1]], 3], [[[2, 3, 2], [2, 4, 2]], -2], [[[1, 1], [1, 1]], -1],
]) {
  // TF.js's Concatenate joins along the last axis for every negative axis (its backend's concatenate
  // turns any axis < 0 into the last one); its static shapes are right. Such cases are computed by the
  // same model with the equivalent positive axis.
  const rank = shapes[0].length + 1;
  const twisted = axis < -1;
  const mk = (L, ax) => {
    const xs = shapes.map((s) => L.input({ shape: s }));
    return fnModel(L, xs, L.concatenate({ axis: ax }).apply(xs));
  };
  T('merge', () => ({
    tag: `concatenate_axis${axis < 0 ? `_minus${-axis}` : axis}_rank${rank}_${shapes.length}_inputs`,
    build: (L) => ({ model: mk(L, axis), twin: twisted ? (L2) => mk(L2, rank + axis) : undefined }),
    relation: twisted ? 'twin' : undefined,
    note: twisted ? `TF.js's Concatenate computes any negative axis as the last one (its static shapes are right); `
      + `outputs are those of the same model with axis=${rank + axis}.` : undefined,
    runs: plainRuns(),
  }));
}
for (const [a, b, axes, normalize] of [
  [[3], [3], 1, false], [[3], [3], 1, true], [[4], [4], -1, false], [[1], [1], 1, false], [[3, 4], [5, 4], -1, false],
  [[3, 4], [5, 3], [1, 2], false], [[3, 4], [3, 5], 1, true], [[3, 4], [2, 4], 2, true], [[3, 4], [4, 2], [2, 1], false],
  [[2, 3], [2, 3], [1, 1], true], [[1, 4], [1, 4], 1, false], [[3, 1], [2, 1], -1, false],
]) {
  T('merge', () => ({
    tag: `dot_axes${[].concat(axes).join('_').replace(/-/g, 'minus')}_rank${a.length + 1}${normalize ? '_normalize' : ''}`,
    build: (L) => {
      const xa = L.input({ shape: a });
      const xb = L.input({ shape: b });
      return { model: fnModel(L, [xa, xb], L.dot({ axes, normalize }).apply([xa, xb])) };
    },
    runs: plainRuns(),
  }));
}
T('merge', (r) => ({
  tag: 'dense_branches_concatenate_add',
  build: (L) => {
    const a = L.input({ shape: [r.int(2, 5)] });
    const b = L.input({ shape: [r.int(2, 5)] });
    const da = L.dense({ units: 3, activation: 'relu' }).apply(a);
    const db = L.dense({ units: 3, activation: 'elu' }).apply(b);
    const s = L.add().apply([da, db]);
    const c = L.concatenate().apply([s, a, b]);
    return { model: fnModel(L, [a, b], L.dense({ units: 1 }).apply(c)) };
  },
  runs: plainRuns(),
}));

// ---- shared layers: one layer, two calls (node 0 and node 1)
T('shared', (r) => ({
  tag: 'dense_two_inputs_two_outputs',
  build: (L) => {
    const a = L.input({ shape: [3] });
    const b = L.input({ shape: [3] });
    const d = L.dense({ units: r.int(1, 4), activation: r.pick(ACTS) });
    return { model: fnModel(L, [a, b], [d.apply(a), d.apply(b)]) };
  },
  runs: plainRuns(),
}));
T('shared', (r) => ({
  tag: 'dense_siamese_subtract',
  build: (L) => {
    const a = L.input({ shape: [4] });
    const b = L.input({ shape: [4] });
    const d = L.dense({ units: 3, activation: 'tanh' });
    const diff = L.subtract().apply([d.apply(a), d.apply(b)]);
    return { model: fnModel(L, [a, b], L.dense({ units: 1, activation: 'sigmoid' }).apply(diff)) };
  },
  runs: plainRuns(),
}));
T('shared', () => ({
  tag: 'dense_applied_twice_in_a_row',
  build: (L) => {
    const a = L.input({ shape: [3] });
    const d = L.dense({ units: 3, activation: 'relu' });
    const h = d.apply(a);
    return { model: fnModel(L, a, [d.apply(h), h]) };
  },
  runs: plainRuns(),
}));
for (const kind of RNNS) {
  T('shared', (r) => ({
    tag: `${SNAKE[kind]}_siamese_concatenate`,
    build: (L) => {
      const len = r.int(2, 5);
      const a = L.input({ shape: [len, 2] });
      const b = L.input({ shape: [len, 2] });
      const rnn = L[kind]({ units: 3 });
      const c = L.concatenate().apply([rnn.apply(a), rnn.apply(b)]);
      return { model: fnModel(L, [a, b], L.dense({ units: 2, activation: 'softmax' }).apply(c)) };
    },
    runs: plainRuns(),
  }));
  T('shared', (r) => ({
    tag: `${SNAKE[kind]}_different_lengths_two_outputs`,
    build: (L) => {
      const a = L.input({ shape: [r.int(2, 4), 2] });
      const b = L.input({ shape: [r.int(5, 7), 2] });
      const rnn = L[kind]({ units: 2, returnSequences: true });
      return { model: fnModel(L, [a, b], [rnn.apply(a), rnn.apply(b)]) };
    },
    runs: plainRuns(),
  }));
}
T('shared', (r) => ({
  tag: 'lstm_none_steps_dot',
  build: (L) => {
    const a = L.input({ shape: [null, 3] });
    const b = L.input({ shape: [null, 3] });
    const rnn = L.lstm({ units: 3 });
    return { model: fnModel(L, [a, b], L.dot({ axes: 1, normalize: true }).apply([rnn.apply(a), rnn.apply(b)])) };
  },
  runs: [{ batch: 1, steps: 1 }, { batch: 5, steps: r.int(2, 5) }, { batch: 2, steps: 11 }],
}));
for (const padding of ['valid', 'same']) {
  T('shared', (r) => ({
    tag: `conv1d_${padding}_two_lengths`,
    build: (L) => {
      const a = L.input({ shape: [r.int(3, 5), 2] });
      const b = L.input({ shape: [r.int(6, 8), 2] });
      const conv = L.conv1d({ filters: 2, kernelSize: 3, padding, activation: r.pick(ACTS) });
      const pool = L.globalMaxPooling1d();
      const m = L.average().apply([pool.apply(conv.apply(a)), pool.apply(conv.apply(b))]);
      return { model: fnModel(L, [a, b], [m, conv.apply(b)].slice(0, padding === 'same' ? 2 : 1)) };
    },
    runs: plainRuns(),
  }));
}
T('shared', (r) => ({
  tag: 'conv1d_same_input_twice',
  build: (L) => {
    const a = L.input({ shape: [r.int(3, 6), 2] });
    const conv = L.conv1d({ filters: 2, kernelSize: 1 });
    const h = conv.apply(a);
    return { model: fnModel(L, a, L.add().apply([h, conv.apply(h)])) };
  },
  runs: plainRuns(),
}));
T('shared', (r) => ({
  tag: 'time_distributed_dense_three_inputs',
  build: (L) => {
    const len = r.int(1, 3); // TF.js's TimeDistributed keeps the length of its first call in its input spec
    const xs = [0, 1, 2].map(() => L.input({ shape: [len, 2] }));
    const td = L.timeDistributed({ layer: L.dense({ units: 2 }) });
    const ys = xs.map((x) => td.apply(x));
    return { model: fnModel(L, xs, L.concatenate({ axis: 1 }).apply(ys)) };
  },
  runs: plainRuns(),
}));
T('shared', (r) => ({
  tag: 'bidirectional_shared',
  build: (L) => {
    const a = L.input({ shape: [3, 2] });
    const b = L.input({ shape: [3, 2] });
    const bi = L.bidirectional({ layer: L.gru({ units: 2 }), mergeMode: r.pick(['concat', 'sum']) });
    return { model: fnModel(L, [a, b], L.maximum().apply([bi.apply(a), bi.apply(b)])) };
  },
  runs: plainRuns(),
}));

// ---- functional_random: seeded random DAGs
const RANDOM_CASES = 90;
for (let k = 0; k < RANDOM_CASES; k++) T('functional_random', (r, idx) => randomGraph(r, idx));

// Draws a DAG as a plan (ops over tensor ids, with per-sample shapes) and builds it in TF.js; a plan that
// would need an undefined axis or a layer leading nowhere is drawn again.
function randomGraph(r, idx) {
  for (let attempt = 0; ; attempt++) {
    const plan = tryRandomGraph(r, idx);
    if (plan) return plan;
    if (attempt > 200) throw new Error('functional_random: no graph');
  }
}

function tryRandomGraph(r, idx) {
  const nIn = r.chance(0.45) ? 2 : 1;
  const none = r.chance(0.15);
  const inShapes = [];
  for (let i = 0; i < nIn; i++) {
    const seq = r.chance(0.6);
    inShapes.push(seq ? [none ? null : r.int(1, 6), r.int(1, 4)] : [r.int(1, 6)]);
  }
  const target = r.int(2, 6);
  const ops = []; // { kind, args: [tensor ids], cfg, shape }
  const shapes = inShapes.map((s) => s.slice());
  const roots = inShapes.map((_, i) => new Set([i])); // which inputs each tensor depends on
  const used = new Set();
  let actK = idx;
  const nextAct = () => ACTS[(actK++) % ACTS.length];
  const add = (kind, args, cfg, shape) => {
    ops.push({ kind, args, cfg, shape });
    shapes.push(shape);
    roots.push(new Set(args.flatMap((a) => [...roots[a]])));
    args.forEach((a) => used.add(a));
    return shapes.length - 1;
  };
  const unary = (t) => {
    const s = shapes[t];
    const opts = [];
    opts.push(['dense', 4]);
    opts.push(['dropout', 1], ['activation', 1]);
    if (s.length === 1) opts.push(['repeat', 2], ['reshape', 1]);
    if (s.length === 2) {
      opts.push(['rnn', 3], ['conv1d', 2]);
      if (s[0] != null) opts.push(['flatten', 2]);
    }
    let total = opts.reduce((a, o) => a + o[1], 0);
    let x = r.next() * total;
    let kind = opts[0][0];
    for (const [k, w] of opts) { x -= w; if (x < 0) { kind = k; break; } }
    switch (kind) {
      case 'dense': { const u = r.int(1, 5); return add('dense', [t], { units: u, activation: nextAct() }, [...s.slice(0, -1), u]); }
      case 'dropout': return add('dropout', [t], { rate: r.pick([0.1, 0.5]) }, s);
      case 'activation': return add('activation', [t], { activation: nextAct() }, s);
      case 'repeat': { const n = r.int(1, 4); return add('repeatVector', [t], { n }, [n, s[0]]); }
      case 'reshape': {
        const n = s[0];
        const ds = []; for (let d = 1; d <= n; d++) if (n % d === 0) ds.push(d);
        const a = r.pick(ds);
        return add('reshape', [t], { targetShape: [a, n / a] }, [a, n / a]);
      }
      case 'rnn': {
        const u = r.int(1, 4);
        const rs = r.chance(0.5);
        return add(r.pick(RNNS), [t], { units: u, returnSequences: rs || undefined, goBackwards: r.chance(0.2) || undefined }, rs ? [s[0], u] : [u]);
      }
      case 'conv1d': {
        const f = r.int(1, 3);
        const same = s[0] == null || r.chance(0.5);
        const k = same ? r.int(1, 3) : r.int(1, s[0]);
        return add('conv1d', [t], { filters: f, kernelSize: k, padding: same ? 'same' : undefined, activation: r.chance(0.5) ? nextAct() : undefined },
          [same ? s[0] : s[0] - k + 1, f]);
      }
      case 'flatten': return add('flatten', [t], {}, [s[0] * s[1]]);
      default: throw new Error(kind);
    }
  };
  // A merge of tensors a and b, adapting b's last axis with a Dense when needed.
  const merge = (a, b) => {
    const sa = shapes[a];
    let sb = shapes[b];
    if (sa.length !== sb.length) {
      // vector with sequence: flatten the sequence or repeat the vector
      const [seqT, vecT] = sa.length === 2 ? [a, b] : [b, a];
      if (shapes[seqT][0] != null && r.chance(0.5)) {
        const f = add('flatten', [seqT], {}, [shapes[seqT][0] * shapes[seqT][1]]);
        return merge(vecT, f);
      }
      if (shapes[seqT][0] == null) return null;
      const n = shapes[seqT][0];
      const rep = add('repeatVector', [vecT], { n }, [n, shapes[vecT][0]]);
      return merge(seqT, rep);
    }
    const choices = [];
    const same = sa.length === sb.length && sa.every((d, i) => d === sb[i]);
    if (same) choices.push(...ELEMWISE.map((k) => [k]));
    if (sa.slice(0, -1).every((d, i) => d === sb[i])) choices.push(['concatenate', -1], ['concatenate', -1]);
    if (sa.length === 2 && sa[1] === sb[1] && sa[0] != null && sb[0] != null) choices.push(['concatenate', 1]);
    if (sa.length === 1 && same) choices.push(['dot', 1]);
    if (sa.length === 2 && sa[1] === sb[1] && sa[0] != null && sb[0] != null) choices.push(['dot', -1]);
    if (choices.length === 0 || (!same && r.chance(0.4))) {
      // make b's last axis equal to a's with a Dense (and then any elementwise merge may follow)
      if (sa.slice(0, -1).every((d, i) => d === sb[i])) {
        const d = add('dense', [b], { units: sa[sa.length - 1], activation: nextAct() }, [...sb.slice(0, -1), sa[sa.length - 1]]);
        return merge(a, d);
      }
      if (choices.length === 0) return null;
    }
    const [kind, axis] = r.pick(choices);
    if (kind === 'concatenate') {
      const out = sa.slice();
      const ax = axis === -1 ? sa.length - 1 : axis - 1;
      out[ax] = sa[ax] + sb[ax];
      return add('concatenate', [a, b], axis === -1 ? {} : { axis }, out);
    }
    if (kind === 'dot') {
      if (sa.length === 1) return add('dot', [a, b], { axes: 1 }, [1]);
      return add('dot', [a, b], { axes: -1 }, [sa[0], sb[0]]);
    }
    return add(kind, [a, b], {}, sa.slice());
  };

  let last = 0;
  while (ops.length < target) {
    const pool = shapes.map((_, i) => i);
    const recent = pool.slice(-3);
    if (pool.length >= 2 && r.chance(0.4)) {
      const a = r.pick(recent);
      const b = r.pick(pool.filter((x) => x !== a));
      const m = merge(a, b);
      if (m == null) return null;
      last = m;
    } else {
      last = unary(r.chance(0.7) ? r.pick(recent) : r.pick(pool));
    }
  }
  // every input must reach the output
  if (nIn === 2 && roots[last].size < 2) {
    const other = [...Array(shapes.length).keys()].reverse().find((i) => roots[i].size === 1 && !roots[i].has([...roots[last]][0]));
    const m = merge(last, other);
    if (m == null) return null;
    last = m;
  }
  if (ops.length > 8) return null;
  if (shapes.some((s) => s.some((d) => d != null && d > 40))) return null;
  const outputs = [last];
  const spare = [...Array(shapes.length).keys()].filter((i) => i >= nIn && i !== last && !used.has(i));
  if (spare.length > 0 && r.chance(0.6)) outputs.push(spare[spare.length - 1]);
  else if (r.chance(0.25) && last - 1 >= nIn) outputs.push(last - 1);
  // all dangling branches must end in an output (Keras keeps only layers that lead to outputs)
  if (spare.some((i) => !outputs.includes(i))) return null;
  const outShape = shapes[last];
  const perSample = inShapes.reduce((a, s) => a + size(s.map((d) => d ?? 6)), 0) + size(outShape.map((d) => d ?? 6));
  const runs = none
    ? [{ batch: 1, steps: minSteps(ops) }, { batch: perSample * 33 < 3000 ? 33 : 3, steps: Math.max(minSteps(ops), 4) }, { batch: 2, steps: 9 }]
    : [{ batch: 1 }, { batch: perSample * 33 < 3000 ? 33 : 4 }];
  const tag = ops.map((o) => SNAKE[o.kind]).slice(0, 4).join('_') + (ops.length > 4 ? '_more' : '');
  return {
    tag,
    build: (L) => {
      const ts = inShapes.map((s) => L.input({ shape: s }));
      for (const o of ops) {
        const layer = L[o.kind](structuredClone(o.cfg));
        const args = o.args.map((a) => ts[a]);
        ts.push(layer.apply(args.length === 1 ? args[0] : args));
      }
      return { model: fnModel(L, ts.slice(0, nIn), outputs.map((i) => ts[i])) };
    },
    runs,
  };
}

function minSteps(ops) {
  return ops.some((o) => o.kind === 'conv1d' && o.cfg.padding !== 'same') ? 3 : 1;
}

// ---------------------------------------------------------------------------------------------
// From a template to its record
// ---------------------------------------------------------------------------------------------

function runInputs(r, c, model, run) {
  return model.inputLayers.map((inl) => {
    const b = inl.batchInputShape;
    const shape = b.map((d, i) => (i === 0 ? run.batch : d ?? run.steps));
    if (shape.some((d) => d == null)) throw new Error(`set steps for ${JSON.stringify(b)}`);
    let data;
    if (c.input?.ids) {
      const emb = model.layers.find((l) => l.getClassName() === 'Embedding');
      data = maskedIds(r, shape, emb.getConfig().inputDim, c.allowAllMasked !== false);
    } else if (c.input && 'mask' in c.input) {
      data = maskedFloats(r, shape, c.input.mask, c.allowAllMasked !== false);
    } else {
      data = uniform4(r, size(shape), -1, 1);
    }
    return { shape, data };
  });
}

function copyWeightsByName(from, to) {
  for (const layer of to.layers) {
    const twin = from.layers.find((l) => l.name === layer.name);
    if (twin && twin.weights.length > 0) layer.setWeights(twin.getWeights());
  }
}

// Keras's output where TF.js's differs (see the notes of the templates).
function kerasOutputs(c, built, model, xs, ins) {
  const plain = () => [].concat(model.predict(xs.length === 1 ? xs[0] : xs, { batchSize: xs[0].shape[0] }));
  switch (c.relation) {
    case undefined:
      return plain();
    case 'stateful-direct':
      return [].concat(built.direct.apply(xs[0]));
    case 'twin':
      return [].concat(built.twinModel.predict(xs.length === 1 ? xs[0] : xs, { batchSize: xs[0].shape[0] }));
    case 'keras-gap-mask': {
      const [batch, len, feat] = ins[0].shape;
      const mask = stepMask(ins[0].data, ins[0].shape, c.input.mask);
      const rows = [];
      for (let b = 0; b < batch; b++) {
        const keep = [];
        for (let t = 0; t < len; t++) if (mask[b][t]) keep.push(...ins[0].data.subarray((b * len + t) * feat, (b * len + t + 1) * feat));
        if (keep.length === 0) throw new Error('all-masked sample in a GlobalAveragePooling1D case');
        const x = tf.tensor(keep, [1, keep.length / feat, feat]);
        rows.push(built.twinModel.predict(x));
        x.dispose();
      }
      const y = tf.concat(rows, 0);
      tf.dispose(rows);
      // samples without masked steps: the model's own output
      const direct = plain()[0];
      for (let b = 0; b < batch; b++) {
        if (mask[b].every(Boolean)) {
          const d = tf.tidy(() => tf.max(tf.abs(tf.sub(direct.slice(b, 1), y.slice(b, 1)))).dataSync()[0]);
          if (d > 1e-6) throw new Error(`compacted and direct outputs differ by ${d} on an unmasked sample`);
        }
      }
      direct.dispose();
      return [y];
    }
    case 'keras-bidirectional-zero-masked': {
      const mask = stepMask(ins[0].data, ins[0].shape, c.input.mask);
      const m = tf.tensor(mask.map((row) => row.map((v) => (v ? 1 : 0))));
      const ys = plain().map((y) => tf.tidy(() => tf.mul(y, m.expandDims(2))));
      m.dispose();
      return ys;
    }
    case 'keras-mask-dropped': {
      const [batch, len, feat] = ins[0].shape;
      const mask = stepMask(ins[0].data, ins[0].shape, c.input.mask);
      const data = Float32Array.from(ins[0].data, (v, i) => (mask[Math.floor(i / (len * feat))][Math.floor(i / feat) % len] ? v : 0));
      const x = tf.tensor(data, [batch, len, feat]);
      const y = built.twinModel.predict(x);
      x.dispose();
      return [y];
    }
    case 'custom-backward': {
      const { layer, backward } = built.customBackward;
      const x = xs[0];
      const merged = (bwd) => tf.tidy(() => {
        const y = layer.forwardLayer.call(x, {});
        let yb = bwd.call(x, {});
        if (layer.returnSequences) yb = tf.reverse(yb, 1);
        switch (layer.getConfig().mergeMode) {
          case 'concat': return [tf.concat([y, yb], -1)];
          case 'sum': return [tf.add(y, yb)];
          case 'mul': return [tf.mul(y, yb)];
          case 'ave': return [tf.mul(0.5, tf.add(y, yb))];
          default: return [y, yb];
        }
      });
      // self-check of the relation with TF.js's own backward layer
      const own = merged(layer.backwardLayer);
      const direct = plain();
      own.forEach((o, i) => {
        const d = tf.tidy(() => tf.max(tf.abs(tf.sub(o, direct[i]))).dataSync()[0]);
        if (d > 1e-6) throw new Error(`custom-backward relation off by ${d} with TF.js's own backward layer`);
      });
      tf.dispose([...own, ...direct]);
      return merged(backward);
    }
    default:
      throw new Error(`unknown relation ${c.relation}`);
  }
}

const DIVERGENCE = new Map(); // relation -> how far TF.js's predict() is from the Keras outputs written

function realize(c, family, id, seed) {
  const r = rng(seed ^ 0x5bd1e995);
  const L = factory();
  const built = c.build(L);
  const { model } = built;
  if (built.twin) {
    built.twinModel = built.twin(factory());
  }
  const layers = layerRecords(model);
  const weights = seedWeights(r, model);
  if (built.twinModel) copyWeightsByName(model, built.twinModel);
  let json = model.toJSON(null, false);
  if (built.customBackward) {
    // weights of the backward layer: its own, after the forward layer's; the model JSON gets backward_layer
    const { layer, backward } = built.customBackward;
    const fwdCount = layer.forwardLayer.weights.length;
    const kept = weights.filter((w) => w.layer !== layer.name);
    const mine = weights.filter((w) => w.layer === layer.name).slice(0, fwdCount);
    const bname = `backward_${backward.name}`;
    tf.dispose(backward.apply(tf.zeros(model.inputs[0].shape.map((d) => d ?? 1)))); // builds it
    const bws = backward.weights.map((w) => {
      const data = uniform4(r, size(w.shape), -0.5, 0.5);
      return { rec: { layer: layer.name, name: `${bname}/${w.originalName.slice(w.originalName.lastIndexOf('/') + 1)}`, shape: w.shape.slice(), data: Array.from(data) }, t: tf.tensor(data, w.shape) };
    });
    backward.setWeights(bws.map((b) => b.t));
    tf.dispose(bws.map((b) => b.t));
    const at = weights.findIndex((w) => w.layer === layer.name);
    weights.length = 0;
    weights.push(...kept.slice(0, at), ...mine, ...bws.map((b) => b.rec), ...kept.slice(at));
    const rec = layers.find((l) => l.name === layer.name);
    rec.params = countOf(layer.forwardLayer.weights) + countOf(backward.weights);
    rec.trainable_params = rec.params;
    const entry = json.config.layers.find((l) => l.name === layer.name);
    entry.config.backward_layer = toSnakeLayer(backward, bname);
  }
  const runs = [];
  let needReset = false;
  for (const run of c.runs) {
    const ins = runInputs(r, c, model, run);
    const xs = ins.map((i) => tf.tensor(i.data, i.shape));
    if (run.reset === false && !needReset) throw new Error('first run must reset');
    if (run.reset !== false) {
      if (model.layers.some((l) => l.stateful)) model.resetStates();
    }
    // shapes of every layer call against a forward pass (stateful models: on a copy of the states, then reset)
    if (!model.layers.some((l) => l.stateful)) checkShapes(id, c.relation === 'twin' ? built.twinModel : model, xs);
    const ys = kerasOutputs(c, built, model, xs, ins);
    if (['keras-gap-mask', 'keras-bidirectional-zero-masked', 'keras-mask-dropped'].includes(c.relation)) {
      // how far TF.js's own predict() is from Keras's here (reported on stderr)
      const own = [].concat(model.predict(xs.length === 1 ? xs[0] : xs, { batchSize: xs[0].shape[0] }));
      const d = Math.max(...own.map((o, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(o, ys[i]))).dataSync()[0])));
      tf.dispose(own);
      const prev = DIVERGENCE.get(c.relation) ?? { max: 0, cases: new Set() };
      prev.max = Math.max(prev.max, d);
      prev.cases.add(id);
      DIVERGENCE.set(c.relation, prev);
    }
    needReset = true;
    const outs = ys.map((y, i) => {
      const want = model.outputs[i].shape;
      if (y.shape.length !== want.length || want.some((d, k) => d != null && d !== y.shape[k])) {
        throw new Error(`${id}: output ${i} ${JSON.stringify(y.shape)} does not fit ${JSON.stringify(want)}`);
      }
      return { shape: y.shape.slice(), data: Array.from(y.dataSync(), num) };
    });
    if (outs.length !== model.outputs.length) throw new Error(`${id}: ${outs.length} outputs, model has ${model.outputs.length}`);
    tf.dispose([...xs, ...ys]);
    runs.push({
      reset_states_before: run.reset !== false,
      inputs: ins.map((i) => ({ shape: i.shape, data: Array.from(i.data) })),
      outputs: outs,
    });
  }
  if (model.layers.some((l) => l.stateful)) {
    // static shapes of a stateful model: one more pass with fresh states (it does not change the runs above)
    model.resetStates();
    const ins = runInputs(rng(seed), c, model, c.runs[0]);
    const xs = ins.map((i) => tf.tensor(i.data, i.shape));
    checkShapes(id, model, xs);
    tf.dispose(xs);
    model.resetStates();
  }
  const total = layers.reduce((a, l) => a + l.params, 0);
  if (!built.customBackward && total !== model.countParams()) throw new Error(`${id}: params ${total} != ${model.countParams()}`);
  const rec = {
    id,
    family,
    description: describeGraph(model, !!built.sequential),
    model: json,
    layers,
    total_params: total,
    trainable_params: layers.reduce((a, l) => a + l.trainable_params, 0),
    inputs: model.inputLayers.map((l) => ({ name: l.name, batch_shape: l.batchInputShape.slice() })),
    outputs: model.outputLayers.map((l, i) => ({
      layer: l.name, node_index: model.outputLayersNodeIndices[i], tensor_index: model.outputLayersTensorIndices[i], shape: model.outputs[i].shape.slice(),
    })),
    weights,
    runs,
  };
  if (c.note) rec.note = c.note;
  model.dispose();
  if (built.twinModel) built.twinModel.dispose();
  return rec;
}

// TF.js's Keras-style JSON of one layer (snake_case keys), as model.toJSON writes layers.
function toSnakeLayer(layer, name) {
  const m = tf.sequential({ name: 'tmp' });
  const cfg = layer.getConfig();
  const clone = tf.layers[{ SimpleRNN: 'simpleRNN', LSTM: 'lstm', GRU: 'gru' }[layer.getClassName()]]({ ...cfg, name, batchInputShape: [null, 2, 2] });
  m.add(clone);
  const entry = m.toJSON(null, false).config.layers[0];
  delete entry.config.batch_input_shape;
  delete entry.config.dtype;
  m.dispose();
  return { class_name: entry.class_name, config: entry.config };
}

// ---------------------------------------------------------------------------------------------
// Errors: the messages TF.js throws
// ---------------------------------------------------------------------------------------------

function caught(f) {
  try {
    f();
    return null;
  } catch (e) {
    return e.message;
  }
}

function errorScenarios() {
  const L = () => factory();
  const list = [];
  const E = (id, description, f, note) => {
    const msg = caught(f);
    list.push({ id, description, tfjs_message: msg, ...(note ? { note } : {}) });
  };
  E('concat_mismatch', 'Concatenate(axis=-1)([Input(shape=(4, 3)), Input(shape=(5, 3))])', () => {
    const l = L();
    l.concatenate({ axis: -1 }).apply([l.input({ shape: [4, 3] }), l.input({ shape: [5, 3] })]);
  });
  E('add_mismatch', 'Add()([Input(shape=(3,)), Input(shape=(4,))])', () => {
    const l = L();
    l.add().apply([l.input({ shape: [3] }), l.input({ shape: [4] })]);
  });
  E('subtract_three_inputs', 'Subtract()([Input(shape=(3,)), Input(shape=(3,)), Input(shape=(3,))])', () => {
    throw new Error('__no_subtract__');
  }, 'TF.js 4.22 has no Subtract layer (tf.layers.subtract does not exist), so it has no message of its own.');
  E('dot_mismatch', 'Dot(axes=1)([Input(shape=(3,)), Input(shape=(4,))])', () => {
    const l = L();
    l.dot({ axes: 1 }).apply([l.input({ shape: [3] }), l.input({ shape: [4] })]);
  });
  E('stateful_no_batch', 'x = Input(shape=(5, 3)); LSTM(4, stateful=True)(x) (no batch size); then Model(x, y).predict(...)', () => {
    const l = L();
    const x = l.input({ shape: [5, 3] });
    const y = l.lstm({ units: 4, stateful: true }).apply(x);
    tf.model({ inputs: x, outputs: y }).predict(tf.zeros([1, 5, 3]));
  }, 'TF.js throws while building the layer (at the call on the Input), before any predict.');
  E('stateful_no_batch_sequential', 'Sequential([Input(shape=(5, 3)), LSTM(4, stateful=True)])', () => {
    const l = L();
    l.sequential([l.lstm({ units: 4, stateful: true, inputShape: [5, 3] })]);
  });
  E('stateful_wrong_batch', 'Sequential([Input(batch_shape=(2, 5, 3)), LSTM(4, stateful=True)]).predict(x of shape (3, 5, 3))', () => {
    const l = L();
    const m = l.sequential([l.lstm({ units: 4, stateful: true, batchInputShape: [2, 5, 3] })]);
    m.predict(tf.zeros([3, 5, 3]), { batchSize: 3 });
  });
  E('predict_wrong_count', 'Model([Input(shape=(2,)), Input(shape=(2,))], Add()(...)).predict([x]) with one array', () => {
    const l = L();
    const a = l.input({ shape: [2] });
    const b = l.input({ shape: [2] });
    tf.model({ inputs: [a, b], outputs: l.add().apply([a, b]) }).predict([tf.zeros([1, 2])]);
  });
  E('bidirectional_not_rnn', 'Bidirectional(Dense(3))(Input(shape=(4, 3))); Model(...).predict(...)', () => {
    const l = L();
    const x = l.input({ shape: [4, 3] });
    const y = l.bidirectional({ layer: l.dense({ units: 3 }) }).apply(x);
    tf.model({ inputs: x, outputs: y }).predict(tf.zeros([1, 4, 3]));
  }, 'TF.js accepts Bidirectional(Dense(3)), builds it and predicts: no error.');
  E('repeat_vector_rank3', 'RepeatVector(2)(Input(shape=(4, 3)))', () => {
    const l = L();
    l.repeatVector({ n: 2 }).apply(l.input({ shape: [4, 3] }));
  });
  E('masking_then_conv1d', 'Sequential([Input(shape=(4, 2)), Masking(0.0), Conv1D(2, 2), SimpleRNN(2)]).predict(...)', () => {
    const l = L();
    const m = l.sequential([l.masking({ maskValue: 0, inputShape: [4, 2] }), l.conv1d({ filters: 2, kernelSize: 2 }), l.simpleRNN({ units: 2 })]);
    m.predict(tf.zeros([1, 4, 2]));
  }, 'TF.js does not complain: it carries the mask through Conv1D to the SimpleRNN. Keras 3 drops the mask at Conv1D (a warning, no error).');
  for (const e of list) if (e.tfjs_message === '__no_subtract__') e.tfjs_message = null;
  return list;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

function plan() {
  const out = [];
  for (const family of FAMILIES) for (const make of TEMPLATES[family]) out.push({ family, make });
  return out.map((p, i) => {
    const prefix = `${p.family}_${String(i).padStart(4, '0')}`;
    return { ...p, index: i, prefix, seed: seedOf(`${SEED}/${prefix}`) };
  });
}

function generate(p) {
  const r = rng(p.seed);
  const c = p.make(r, p.index);
  const id = `${p.prefix}_${c.tag}`;
  try {
    return realize(c, p.family, id, p.seed);
  } catch (e) {
    e.message = `case ${id}: ${e.message}`;
    throw e;
  }
}

/**
 * Fresh random functional graphs for CI's fuzzing: N functional_random cases from seed S, as JSON lines on stdout
 * (a header first, like cases.jsonl); the committed fixture is not touched.
 */
function randomOnly(seed, count) {
  const make = TEMPLATES.functional_random[0];
  const records = [];
  for (let i = 0; i < count; i++) {
    const prefix = `functional_random_s${seed}_${String(i).padStart(4, '0')}`;
    records.push(generate({ family: 'functional_random', make, index: i, prefix, seed: seedOf(`${seed}/${prefix}`) }));
  }
  const header = { generator: GENERATOR, tfjs_version: TFJS_VERSION, seed, cases: records.length,
    families: { functional_random: records.length } };
  process.stdout.write(`${[header, ...records].map(toJsonLine).join('\n')}\n`);
}

function main(argv) {
  let only = null;
  let seed = null;
  let count = 60;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--case' && i + 1 < argv.length) only = argv[++i];
    else if (argv[i] === '--seed' && i + 1 < argv.length) seed = Number(argv[++i]);
    else if (argv[i] === '--count' && i + 1 < argv.length) count = Number(argv[++i]);
    else {
      process.stderr.write('usage: node graphs.mjs [--case ID] | --seed S [--count N]\n');
      process.exit(2);
    }
  }
  if (seed !== null) {
    randomOnly(seed, count);
    return;
  }
  const started = Date.now();
  let todo = plan();
  if (only) {
    todo = todo.filter((p) => only === p.prefix || only.startsWith(`${p.prefix}_`));
    if (todo.length === 0) throw new Error(`no case ${only}`);
    for (const p of todo) process.stdout.write(`${toJsonLine(generate(p))}\n`);
    return;
  }
  const records = todo.map(generate);
  const families = Object.fromEntries(FAMILIES.map((f) => [f, records.filter((x) => x.family === f).length]));
  const header = { generator: GENERATOR, tfjs_version: TFJS_VERSION, seed: SEED, cases: records.length, families };
  const text = `${[header, ...records].map(toJsonLine).join('\n')}\n`;
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(resolve(OUT_DIR, 'cases.jsonl'), text);

  // errors.json: keeps the Keras 3 words graphs-keras3.py added (keras3_message...), by id
  const errorsPath = resolve(OUT_DIR, 'errors.json');
  const old = existsSync(errorsPath) ? JSON.parse(readFileSync(errorsPath, 'utf8')) : [];
  const errors = errorScenarios().map((e) => {
    const before = old.find((o) => o.id === e.id) ?? {};
    const kept = Object.fromEntries(Object.entries(before).filter(([k]) => k.startsWith('keras3_')));
    return { ...e, ...kept };
  });
  writeFileSync(errorsPath, `${toJson(errors)}\n`);
  process.stderr.write(`graphs: ${records.length} cases -> ${resolve(OUT_DIR, 'cases.jsonl')}\n`
    + `  ${FAMILIES.map((f) => `${f} ${families[f]}`).join(', ')}; ${(text.length / 1e6).toFixed(2)} MB `
    + `in ${((Date.now() - started) / 1000).toFixed(1)} s; ${errors.length} error scenarios -> ${errorsPath}\n`);
  for (const [rel, { max, cases }] of DIVERGENCE) {
    process.stderr.write(`  ${rel}: ${cases.size} cases, TF.js's own predict() is up to ${max.toPrecision(3)} from the Keras outputs written\n`);
  }
}

main(process.argv.slice(2));
