// Seeded random and edge-case Sequential models for differential testing of ShapeLab against Keras,
// with TensorFlow.js 4.22.0 (pure JS, CPU backend) as the Keras oracle. README.md, section
// "fuzz.mjs", describes the families, the output format and what TF.js cannot check.
//
//   node fuzz.mjs --corpus                         writes src/test/resources/keras-reference/fuzz/corpus.jsonl
//   node fuzz.mjs --seed S [--count N] --out FILE  writes N (150) cases drawn from all families with seed S
//   add --case ID to either                        writes only that case (the same line as in the full file)
//
// Everything is deterministic: the same arguments give the same bytes. Each case draws its model,
// weights and inputs from its own seed, FNV-1a of "<run seed>/<family>_<index>" (the case id without
// its descriptive tail), so a case does not depend on the others.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  KERAS_SNAKE, TFJS_VERSION, buildModel, describeLayer, describeModel, fmtShape, layerShapes, mulberry32, num, oracleModel,
  seedOf, seedWeights, size, tf, toJsonLine,
} from './tfjs-models.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const CORPUS = resolve(HERE, '..', '..', 'src', 'test', 'resources', 'keras-reference', 'fuzz', 'corpus.jsonl');
const GENERATOR = 'tools/keras-reference/fuzz.mjs';
const FAMILIES = ['random', 'edge', 'activation', 'none_lengths', 'mask', 'metamorphic'];

// The committed corpus: a fixed run seed and a fixed number of cases per family (the enumerated
// families walk through all their templates / combinations).
const CORPUS_SEED = 20261201;
const CORPUS_COUNTS = { random: 200, edge: 0 /* set below: 2 per template */, activation: 0 /* all combos */, none_lengths: 56, mask: 64, metamorphic: 48 };
// --seed runs: how often each family is drawn.
const FAMILY_WEIGHTS = { random: 0.34, edge: 0.16, activation: 0.14, none_lengths: 0.12, mask: 0.12, metamorphic: 0.12 };

// Activations TF.js computes as Keras 3 does. Not hard_sigmoid: TF.js uses Keras 2's 0.2x + 0.5.
const ACTS = ['relu', 'tanh', 'sigmoid', 'softmax', 'linear', 'elu', 'selu', 'softplus', 'softsign', 'swish', 'gelu',
  'relu6', 'mish', 'logSoftmax'];
const RNNS = ['simpleRNN', 'lstm', 'gru'];
const SNAKE = { simpleRNN: 'simple_rnn', lstm: 'lstm', gru: 'gru' };

// ---------------------------------------------------------------------------------------------
// Randomness and numbers
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

// A value of 4 significant digits: written as that decimal, fed to TF.js as its float32 (which is
// what a reader gets by parsing the decimal as a double and casting it to float).
const q4 = (x) => {
  const v = Number(x.toPrecision(4));
  return Object.is(v, -0) ? 0 : v;
};

function uniform4(r, n, lo, hi) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = q4(lo + (hi - lo) * r.next());
    out[i] = v;
    if (q4(out[i]) !== v) throw new Error(`float32 of ${v} does not print back as ${v}`);
  }
  return out;
}

const drawWeight = (r) => (name, n) => (name === 'moving_variance' ? uniform4(r, n, 0.5, 1.5) : uniform4(r, n, -0.5, 0.5));

// ---------------------------------------------------------------------------------------------
// Layer specs: plain data, built into TF.js layers by the shared layer factory (Keras auto-names)
// ---------------------------------------------------------------------------------------------

function clean(cfg) {
  const out = {};
  for (const [k, v] of Object.entries(cfg)) if (v !== undefined) out[k] = v;
  return out;
}
const S = (fn, cfg = {}) => ({ fn, cfg: clean(cfg) });
const TD = (inner, cfg = {}) => ({ fn: 'timeDistributed', cfg: clean(cfg), inner });

// structuredClone: TF.js layers keep (and Reshape even edits) the arrays they are given.
function makeLayer(L, s) {
  if (s.inner) return L.timeDistributed({ ...structuredClone(s.cfg), layer: makeLayer(L, s.inner) });
  return L[s.fn](structuredClone(s.cfg));
}

// The first layer gets the input: inputShape, or batchInputShape when an axis is None. An Embedding
// with input_length gets none (TF.js derives batch_input_shape [null, input_length] from it).
function withInput(specs, inShape) {
  const first = { ...specs[0], cfg: { ...specs[0].cfg } };
  if (!(first.fn === 'embedding' && first.cfg.inputLength != null)) {
    if (inShape.some((d) => d == null)) first.cfg.batchInputShape = [null, ...inShape];
    else first.cfg.inputShape = inShape.slice();
  }
  return [first, ...specs.slice(1)];
}

const caseDefOf = (id, specs, inShape) => {
  const full = withInput(specs, inShape);
  return { id, build: (L) => full.map((s) => makeLayer(L, s)) };
};

// ---------------------------------------------------------------------------------------------
// Keras output shapes (per sample, None as null), used only to pick valid layers; every shape in the
// corpus comes from TF.js and is checked against a real forward pass.
// ---------------------------------------------------------------------------------------------

const pair = (v) => (Array.isArray(v) ? v : [v, v]);
const known = (shape) => shape.every((d) => d != null);

function convLen(n, k, s, d, padding) {
  if (n == null) return null;
  return padding === 'same' ? Math.floor((n - 1) / s) + 1 : Math.floor((n - (d * (k - 1) + 1)) / s) + 1;
}

function poolLen(n, p, s, padding) {
  if (n == null) return null;
  return padding === 'same' ? Math.floor((n - 1) / s) + 1 : Math.floor((n - p) / s) + 1;
}

function outShape(s, shape) {
  const c = s.cfg;
  const rank = shape.length;
  const cf = c.dataFormat === 'channelsFirst';
  const pad = c.padding ?? 'valid';
  let out;
  switch (s.fn) {
    case 'dense':
      if (rank < 1 || shape[rank - 1] == null) return null;
      out = [...shape.slice(0, -1), c.units];
      break;
    case 'conv1d':
      if (rank !== 2 || shape[1] == null) return null;
      out = [convLen(shape[0], c.kernelSize, c.strides ?? 1, c.dilationRate ?? 1, pad), c.filters];
      break;
    case 'conv2d': {
      if (rank !== 3 || !known(shape)) return null;
      const [h, w] = cf ? [shape[1], shape[2]] : [shape[0], shape[1]];
      const [kh, kw] = pair(c.kernelSize);
      const [sh, sw] = pair(c.strides ?? 1);
      const [dh, dw] = pair(c.dilationRate ?? 1);
      const oh = convLen(h, kh, sh, dh, pad);
      const ow = convLen(w, kw, sw, dw, pad);
      out = cf ? [c.filters, oh, ow] : [oh, ow, c.filters];
      break;
    }
    case 'maxPooling1d':
    case 'averagePooling1d':
      if (rank !== 2) return null;
      out = [poolLen(shape[0], c.poolSize, c.strides ?? c.poolSize, pad), shape[1]];
      break;
    case 'maxPooling2d':
    case 'averagePooling2d': {
      if (rank !== 3 || !known(shape)) return null;
      const [h, w, ch] = cf ? [shape[1], shape[2], shape[0]] : shape;
      const [ph, pw] = pair(c.poolSize);
      const [sh, sw] = pair(c.strides ?? c.poolSize);
      const oh = poolLen(h, ph, sh, pad);
      const ow = poolLen(w, pw, sw, pad);
      out = cf ? [ch, oh, ow] : [oh, ow, ch];
      break;
    }
    case 'globalAveragePooling1d':
    case 'globalMaxPooling1d':
      if (rank !== 2) return null;
      out = [shape[1]];
      break;
    case 'globalAveragePooling2d':
    case 'globalMaxPooling2d':
      if (rank !== 3) return null;
      out = [cf ? shape[0] : shape[2]];
      break;
    case 'flatten': // TF.js's Flatten wants rank >= 3 with the batch (Keras also takes rank 2)
      if (rank < 2 || !known(shape)) return null;
      out = [size(shape)];
      break;
    case 'reshape': {
      if (!known(shape)) return null;
      const n = size(shape);
      const t = c.targetShape;
      const k = t.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
      if (t.includes(-1)) {
        if (n % k !== 0) return null;
        out = t.map((d) => (d === -1 ? n / k : d));
      } else {
        if (k !== n) return null;
        out = t.slice();
      }
      break;
    }
    case 'permute':
      if (c.dims.length !== rank) return null;
      out = c.dims.map((d) => shape[d - 1]);
      break;
    case 'dropout':
    case 'activation':
    case 'batchNormalization':
      out = shape.slice();
      break;
    case 'simpleRNN':
    case 'lstm':
    case 'gru':
      if (rank !== 2 || shape[1] == null) return null;
      out = c.returnSequences ? [shape[0], c.units] : [c.units];
      break;
    case 'embedding':
      if (rank !== 1) return null;
      out = [shape[0], c.outputDim];
      break;
    case 'timeDistributed': {
      if (rank < 2) return null;
      const inner = outShape(s.inner, shape.slice(1));
      if (!inner) return null;
      out = [shape[0], ...inner];
      break;
    }
    default:
      throw new Error(`no shape rule for ${s.fn}`);
  }
  return out.every((d) => d == null || (Number.isInteger(d) && d >= 1)) ? out : null;
}

// Shapes after each layer, or null if Keras would refuse the chain.
function simulate(specs, inShape) {
  const shapes = [];
  let shape = inShape;
  for (const s of specs) {
    shape = outShape(s, shape);
    if (!shape) return null;
    shapes.push(shape);
  }
  return shapes;
}

// Smallest length of the None time axis the chain accepts (Keras fails at predict below it).
function minLength(specs, inShape, limit = 40) {
  for (let n = 1; n <= limit; n++) {
    if (simulate(specs, inShape.map((d) => d ?? n))) return n;
  }
  return null;
}

const withLength = (shape, n) => shape.map((d) => d ?? n);

// ---------------------------------------------------------------------------------------------
// Random layers valid for the current per-sample shape
// ---------------------------------------------------------------------------------------------

const maybeAct = (r, p = 0.4) => (r.chance(p) ? r.pick(ACTS) : undefined);
const noBias = (r, p = 0.15) => (r.chance(p) ? false : undefined);
const maybePad = (r) => (r.chance(0.5) ? 'same' : undefined);

// strides > 1 and dilation > 1 never together (Keras rejects it)
function stridesOrDilation(r, two) {
  const mode = r.pick(['plain', 'plain', 'strides', 'dilation']);
  const v = () => (two && r.chance(0.4) ? r.pick([[2, 1], [1, 2], [2, 3]]) : r.int(2, 3));
  return { strides: mode === 'strides' ? v() : undefined, dilationRate: mode === 'dilation' ? v() : undefined };
}

const kernel2 = (r, max = 3) => (r.chance(0.6) ? r.int(1, max) : [r.int(1, max), r.int(1, max)]);

// opts.act given (even as undefined, the default 'linear') or else drawn
const actOf = (r, opts) => ('act' in opts ? opts.act : maybeAct(r));

function conv1dSpec(r, opts = {}) {
  const act = actOf(r, opts);
  const filters = opts.filters ?? r.int(1, 4);
  return S('conv1d', {
    filters, kernelSize: r.int(1, 5), ...stridesOrDilation(r, false), padding: maybePad(r), activation: act,
    useBias: noBias(r),
  });
}

function conv2dSpec(r, cf, opts = {}) {
  const act = actOf(r, opts);
  const filters = opts.filters ?? r.int(1, 4);
  return S('conv2d', {
    filters, kernelSize: kernel2(r), ...stridesOrDilation(r, true), padding: maybePad(r),
    dataFormat: cf ? 'channelsFirst' : undefined, activation: act, useBias: noBias(r),
  });
}

function pool1dSpec(r, fn = r.pick(['maxPooling1d', 'averagePooling1d'])) {
  const poolSize = r.int(1, 4);
  return S(fn, { poolSize, strides: r.chance(0.4) ? r.int(1, 3) : undefined, padding: maybePad(r) });
}

function pool2dSpec(r, cf, fn = r.pick(['maxPooling2d', 'averagePooling2d'])) {
  const poolSize = kernel2(r);
  const strides = r.chance(0.35) ? kernel2(r, 2) : undefined;
  return S(fn, { poolSize, strides, padding: maybePad(r), dataFormat: cf ? 'channelsFirst' : undefined });
}

function rnnSpec(r, fn = r.pick(RNNS), { units = r.int(1, 5), act, returnSequences = r.chance(0.5) } = {}) {
  return S(fn, {
    units, activation: act ?? (r.chance(0.15) ? r.pick(ACTS) : undefined), returnSequences: returnSequences || undefined,
    goBackwards: r.chance(0.2) || undefined, useBias: noBias(r),
  });
}

function denseSpec(r, opts = {}) {
  const act = actOf(r, opts);
  return S('dense', { units: opts.units ?? r.int(1, 5), activation: act, useBias: noBias(r) });
}
const bnSpec = (r, axis) => S('batchNormalization', { axis, epsilon: r.chance(0.2) ? r.pick([1e-5, 0.01, 0.1]) : undefined });

function divisors(n) {
  const out = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
}

function reshapeSpec(r, shape) {
  const n = size(shape);
  const rank = r.int(1, 4);
  const dims = [];
  let rest = n;
  for (let i = 0; i < rank - 1; i++) {
    const d = r.pick(divisors(rest));
    dims.push(d);
    rest /= d;
  }
  dims.push(rest);
  if (r.chance(0.4)) dims[r.int(0, rank - 1)] = -1;
  return S('reshape', { targetShape: dims });
}

function permuteSpec(r, rank) {
  let dims;
  do {
    dims = Array.from({ length: rank }, (_, i) => i + 1);
    for (let i = rank - 1; i > 0; i--) {
      const j = r.int(0, i);
      [dims[i], dims[j]] = [dims[j], dims[i]];
    }
  } while (dims.every((d, i) => d === i + 1));
  return S('permute', { dims });
}

// kind -> [per-sample ranks it accepts, weight, make(r, shape, ctx)]
const KINDS = {
  dense: [[1, 2, 3, 4], 3, (r) => denseSpec(r)],
  conv1d: [[2], 3, (r) => conv1dSpec(r)],
  pool1d: [[2], 2, (r) => pool1dSpec(r)],
  gpool1d: [[2], 1, (r) => S(r.pick(['globalAveragePooling1d', 'globalMaxPooling1d']))],
  rnn: [[2], 4, (r) => rnnSpec(r)],
  conv2d: [[3], 3, (r, sh, ctx) => conv2dSpec(r, ctx.cf ? !r.chance(0.1) : r.chance(0.1))],
  pool2d: [[3], 2, (r, sh, ctx) => pool2dSpec(r, ctx.cf ? !r.chance(0.1) : r.chance(0.1))],
  gpool2d: [[3], 1, (r, sh, ctx) => S(r.pick(['globalAveragePooling2d', 'globalMaxPooling2d']),
    { dataFormat: (ctx.cf ? !r.chance(0.1) : r.chance(0.1)) ? 'channelsFirst' : undefined })],
  flatten: [[2, 3, 4], 2, (r, sh, ctx) => S('flatten', { dataFormat: r.chance(ctx.cf ? 0.7 : 0.15) ? 'channelsFirst' : undefined })],
  reshape: [[1, 2, 3, 4], 1, (r, sh) => reshapeSpec(r, sh)],
  permute: [[2, 3, 4], 1, (r, sh) => permuteSpec(r, sh.length)],
  dropout: [[1, 2, 3, 4], 1, (r) => S('dropout', { rate: r.pick([0.1, 0.25, 0.5]) })],
  activation: [[1, 2, 3, 4], 1, (r) => S('activation', { activation: r.pick(ACTS) })],
  // rank <= 3: TF.js says 'batchNormalization is not implemented for array of rank 5 yet'
  bn: [[1, 2, 3], 1, (r, sh, ctx) => bnSpec(r, sh.length === 3 && ctx.cf && r.chance(0.7) ? 1 : undefined)],
  tdDense: [[2, 3, 4], 2, (r) => TD(denseSpec(r))],
  tdPool1d: [[3], 1, (r) => TD(pool1dSpec(r))],
  tdFlatten: [[3, 4], 1, (r) => TD(S('flatten'))],
  tdConv2d: [[4], 3, (r, sh, ctx) => TD(conv2dSpec(r, ctx.cf && r.chance(0.5)))],
  tdPool2d: [[4], 2, (r, sh, ctx) => TD(pool2dSpec(r, ctx.cf && r.chance(0.5)))],
};

const MAX_ELEMENTS = 256; // per sample, after any layer
const MAX_PARAMS = 1500;

function randomLayer(r, shape, ctx, allowed = Object.keys(KINDS)) {
  const kinds = allowed.filter((k) => KINDS[k][0].includes(shape.length));
  for (let attempt = 0; attempt < 40; attempt++) {
    let total = 0;
    for (const k of kinds) total += KINDS[k][1];
    let x = r.next() * total;
    let kind = kinds[kinds.length - 1];
    for (const k of kinds) {
      x -= KINDS[k][1];
      if (x < 0) { kind = k; break; }
    }
    const spec = KINDS[kind][2](r, shape, ctx);
    const out = outShape(spec, shape);
    if (out && (!known(out) || size(out) <= MAX_ELEMENTS)) return { spec, out };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Runs (batch sizes, None lengths) and inputs
// ---------------------------------------------------------------------------------------------

const BIG_RUN = 2600; // values (input + output) a batch-33 run may hold

function pickRuns(r, perSample) {
  const runs = [{ batch: 1 }];
  const b = perSample * 33 <= BIG_RUN && r.chance(0.65) ? 33 : r.pick([2, 3, 5]);
  runs.push({ batch: b });
  if (r.chance(0.3)) runs.push({ batch: r.pick([2, 3, 5].filter((x) => x !== b)) });
  return runs;
}

// None-length runs: batch 1 at the shortest length the model takes, a middle one, a long one.
function noneRuns(r, minLen, perStep) {
  const mid = minLen + r.int(1, 6);
  const b = perStep * mid * 33 <= BIG_RUN && r.chance(0.6) ? 33 : r.pick([2, 3, 5]);
  return [{ batch: 1, steps: minLen }, { batch: b, steps: mid }, { batch: r.pick([1, 2]), steps: r.int(20, 32) }];
}

// Token ids with zeros placed on purpose: trailing (padding), leading, in the middle, everywhere, nowhere,
// scattered. Batch 1 gets trailing zeros; larger batches start with one sample of each pattern.
function maskIds(r, batch, len, inputDim, allowAllZero) {
  const patterns = ['end', 'middle', 'start', allowAllZero ? 'all' : 'scattered', 'none', 'scattered'];
  const out = new Float32Array(batch * len);
  const nz = () => r.int(1, inputDim - 1);
  for (let b = 0; b < batch; b++) {
    const p = batch === 1 ? 'end' : (b < patterns.length ? patterns[b] : r.pick(patterns));
    const row = Array.from({ length: len }, nz);
    if (p === 'all') row.fill(0);
    else if (p === 'end' && len > 1) row.fill(0, len - r.int(1, len - 1));
    else if (p === 'start' && len > 1) row.fill(0, 0, r.int(1, len - 1));
    else if (p === 'middle' && len > 2) {
      const a = r.int(1, len - 2);
      row.fill(0, a, r.int(a + 1, len - 1));
    } else if (p === 'scattered') {
      for (let i = 0; i < len; i++) if (r.chance(0.4)) row[i] = 0;
      if (!allowAllZero && row.every((v) => v === 0)) row[r.int(0, len - 1)] = nz();
    }
    out.set(row, b * len);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Families. Each generator gets the case's rng and, for the corpus, a variant number that walks the
// enumerated families through all their templates; it returns
//   { tag, specs, inShape, runs, input: 'float' | 'ids' | 'mask', relation? }
// ---------------------------------------------------------------------------------------------

// Parameter count of a chain, or Infinity when TF.js cannot build it (then the generator draws
// again). What TF.js refused is counted and reported on stderr: so far only layers after a Reshape
// with -1, whose axis TF.js leaves unknown (Keras resolves it), e.g. Reshape((2, -1)) -> Dense.
const refusals = new Map();
function paramsOf(specs, inShape) {
  let model;
  try {
    model = buildModel(caseDefOf('count', specs, inShape));
  } catch (e) {
    const why = `${slug(specs)}: ${e.message.split('\n')[0].replace(/\d+/g, 'N')}`;
    refusals.set(why, (refusals.get(why) ?? 0) + 1);
    return Infinity;
  }
  const n = model.countParams();
  model.dispose();
  return n;
}

const slug = (specs) => specs.map((s) => (s.inner ? `td_${KERAS_SNAKE[s.inner.fn]}` : KERAS_SNAKE[s.fn])).join('_');

// 1. random: chains of 1-4 layers, each valid for the current shape
function genRandom(r) {
  for (;;) {
    const start = r.pick(['vector', 'sequence', 'sequence', 'image', 'image', 'image_cf', 'video', 'embedding']);
    const ctx = { cf: start === 'image_cf' };
    let inShape;
    const specs = [];
    let input = 'float';
    if (start === 'vector') inShape = [r.int(1, 8)];
    if (start === 'sequence') inShape = [r.int(1, 12), r.int(1, 5)];
    if (start === 'image') inShape = [r.int(1, 7), r.int(1, 7), r.int(1, 4)];
    if (start === 'image_cf') inShape = [r.int(1, 4), r.int(1, 7), r.int(1, 7)];
    if (start === 'video') inShape = [r.int(1, 4), r.int(1, 6), r.int(1, 6), r.int(1, 3)];
    if (start === 'embedding') {
      const len = r.int(1, 12);
      inShape = [len];
      input = 'ids';
      specs.push(S('embedding', { inputDim: r.int(2, 12), outputDim: r.int(1, 5), inputLength: r.chance(0.7) ? len : undefined }));
    }
    let shape = specs.length ? outShape(specs[0], inShape) : inShape;
    const n = r.int(1, 4);
    let ok = true;
    while (specs.length < n) {
      const next = randomLayer(r, shape, ctx);
      if (!next) { ok = false; break; }
      specs.push(next.spec);
      shape = next.out;
    }
    if (!ok || paramsOf(specs, inShape) > MAX_PARAMS) continue;
    return { tag: slug(specs), specs, inShape, input, runs: pickRuns(r, size(inShape) + size(shape)) };
  }
}

// 2. edge: every axis of size 1, windows as long as the input; runs of batch 1, 2 and 33
const EDGE = [];
const E = (tag, make) => EDGE.push({ tag, make });

E('dense_units1', (r) => ({ specs: [denseSpec(r, { units: 1 })], inShape: [r.int(1, 5)] }));
E('dense_units1_one_feature', (r) => ({ specs: [S('dense', { units: 1, activation: r.pick([undefined, 'sigmoid', 'tanh']) })], inShape: [1] }));
E('dense_units1_rank3', (r) => ({ specs: [denseSpec(r, { units: 1 })], inShape: r.chance(0.5) ? [r.int(1, 6), 1] : [1, r.int(1, 4)] }));
E('dense_units1_ones_rank4', (r) => ({ specs: [denseSpec(r, { units: 1 })], inShape: [1, 1, 1] }));
E('dense_units1_softmax', (r) => ({ specs: [S('dense', { units: 1, activation: r.pick(['softmax', 'logSoftmax']) })], inShape: [r.int(1, 4)] }));
for (const fn of RNNS) {
  const t = SNAKE[fn];
  const R = E;
  const seq = (r) => [r.int(2, 7), r.int(1, 3)];
  R(`${t}_units1`, (r) => ({ specs: [rnnSpec(r, fn, { units: 1, returnSequences: false })], inShape: seq(r) }));
  R(`${t}_units1_sequences`, (r) => ({ specs: [rnnSpec(r, fn, { units: 1, returnSequences: true })], inShape: seq(r) }));
  R(`${t}_units1_stacked`, (r) => ({
    specs: [rnnSpec(r, fn, { units: 1, returnSequences: true }), rnnSpec(r, fn, { units: 1 })], inShape: seq(r),
  }));
  R(`${t}_units1_after_dense`, (r) => ({ specs: [denseSpec(r, { units: 1, act: undefined }), rnnSpec(r, fn, { units: 1 })], inShape: seq(r) }));
  R(`${t}_units1_after_time_distributed`, (r) => ({
    specs: [TD(denseSpec(r, { units: r.int(1, 2) })), rnnSpec(r, fn, { units: 1 })], inShape: seq(r),
  }));
  R(`${t}_units1_then_dense1`, (r) => ({ specs: [rnnSpec(r, fn, { units: 1, returnSequences: false }), denseSpec(r, { units: 1 })], inShape: seq(r) }));
  R(`${t}_one_step`, (r) => ({ specs: [rnnSpec(r, fn, { units: r.int(1, 3) })], inShape: [1, r.int(1, 3)] }));
  R(`${t}_one_feature`, (r) => ({ specs: [rnnSpec(r, fn, { units: r.int(1, 3) })], inShape: [r.int(2, 7), 1] }));
}
E('conv1d_filters1', (r) => {
  const len = r.int(2, 8);
  return { specs: [S('conv1d', { filters: 1, kernelSize: r.int(1, len), padding: maybePad(r), activation: maybeAct(r) })], inShape: [len, r.int(1, 4)] };
});
E('conv1d_one_channel', (r) => {
  const len = r.int(2, 8);
  return { specs: [S('conv1d', { filters: r.int(1, 3), kernelSize: r.int(1, len), padding: maybePad(r) })], inShape: [len, 1] };
});
E('conv1d_kernel1', (r) => ({
  specs: [S('conv1d', { filters: r.int(1, 3), kernelSize: 1, strides: r.chance(0.5) ? r.int(2, 3) : undefined, padding: maybePad(r) })],
  inShape: [r.int(1, 8), r.int(1, 4)],
}));
E('conv1d_kernel_equals_length', (r) => {
  const len = r.int(1, 8);
  return { specs: [S('conv1d', { filters: r.int(1, 3), kernelSize: len })], inShape: [len, r.int(1, 3)] };
});
E('conv1d_dilated_kernel_equals_length', (r) => {
  const k = r.int(2, 3);
  const d = r.int(2, 3);
  return { specs: [S('conv1d', { filters: r.int(1, 3), kernelSize: k, dilationRate: d })], inShape: [d * (k - 1) + 1, r.int(1, 3)] };
});
E('conv1d_one_step', (r) => ({ specs: [S('conv1d', { filters: r.int(1, 3), kernelSize: 1 })], inShape: [1, r.int(1, 4)] }));
E('conv1d_same_kernel_longer_than_input', (r) => ({
  specs: [S('conv1d', { filters: r.int(1, 3), kernelSize: r.int(3, 5), padding: 'same' })], inShape: [r.int(1, 2), r.int(1, 3)],
}));
E('conv1d_same_stride_longer_than_input', (r) => ({
  specs: [S('conv1d', { filters: r.int(1, 3), kernelSize: r.int(1, 3), strides: r.int(3, 4), padding: 'same' })], inShape: [r.int(1, 3), r.int(1, 3)],
}));
E('conv1d_filters1_softmax', (r) => ({ specs: [S('conv1d', { filters: 1, kernelSize: r.int(1, 3), activation: 'softmax' })], inShape: [r.int(3, 6), r.int(1, 3)] }));
E('conv1d_softmax', (r) => ({
  specs: [S('conv1d', { filters: r.int(2, 4), kernelSize: r.int(1, 3), padding: maybePad(r), activation: 'softmax' })], inShape: [r.int(3, 7), r.int(1, 3)],
}));
E('conv2d_filters1', (r) => ({ specs: [S('conv2d', { filters: 1, kernelSize: r.int(1, 3), padding: maybePad(r) })], inShape: [r.int(3, 5), r.int(3, 5), r.int(1, 3)] }));
E('conv2d_one_channel', (r) => ({ specs: [S('conv2d', { filters: r.int(1, 3), kernelSize: kernel2(r) })], inShape: [r.int(3, 5), r.int(3, 5), 1] }));
E('conv2d_one_channel_channels_first', (r) => ({
  specs: [S('conv2d', { filters: r.int(1, 3), kernelSize: kernel2(r), dataFormat: 'channelsFirst' })], inShape: [1, r.int(3, 5), r.int(3, 5)],
}));
E('conv2d_kernel1x1', (r) => ({
  specs: [S('conv2d', { filters: r.int(1, 3), kernelSize: 1, strides: r.chance(0.4) ? 2 : undefined, dataFormat: r.chance(0.3) ? 'channelsFirst' : undefined })],
  inShape: [r.int(1, 4), r.int(1, 4), r.int(1, 3)],
}));
E('conv2d_kernel_equals_image', (r) => {
  const cf = r.chance(0.4);
  const [h, w, c] = [r.int(1, 5), r.int(1, 5), r.int(1, 3)];
  return { specs: [S('conv2d', { filters: r.int(1, 3), kernelSize: [h, w], dataFormat: cf ? 'channelsFirst' : undefined })], inShape: cf ? [c, h, w] : [h, w, c] };
});
E('conv2d_1x1_image', (r) => {
  const cf = r.chance(0.4);
  const c = r.int(1, 4);
  return {
    specs: [S('conv2d', { filters: r.int(1, 3), kernelSize: r.pick([1, 1, 3]), padding: 'same', dataFormat: cf ? 'channelsFirst' : undefined })],
    inShape: cf ? [c, 1, 1] : [1, 1, c],
  };
});
E('conv2d_one_row', (r) => ({ specs: [S('conv2d', { filters: r.int(1, 3), kernelSize: [1, r.int(1, 3)] })], inShape: [1, r.int(3, 6), r.int(1, 3)] }));
for (const fn of ['maxPooling1d', 'averagePooling1d']) {
  const t = fn === 'maxPooling1d' ? 'max_pooling1d' : 'average_pooling1d';
  E(`${t}_pool_equals_length`, (r) => {
    const len = r.int(1, 8);
    return { specs: [S(fn, { poolSize: len })], inShape: [len, r.int(1, 3)] };
  });
  E(`${t}_length1`, (r) => ({ specs: [S(fn, { poolSize: 1 })], inShape: [1, r.int(1, 3)] }));
  E(`${t}_same_pool_longer_than_input`, (r) => ({
    specs: [S(fn, { poolSize: 3, strides: r.pick([undefined, 1]), padding: 'same' })], inShape: [r.int(1, 2), r.int(1, 3)],
  }));
}
for (const fn of ['maxPooling2d', 'averagePooling2d']) {
  const t = fn === 'maxPooling2d' ? 'max_pooling2d' : 'average_pooling2d';
  E(`${t}_pool_equals_image`, (r) => {
    const cf = r.chance(0.4);
    const [h, w, c] = [r.int(1, 5), r.int(1, 5), r.int(1, 3)];
    return { specs: [S(fn, { poolSize: [h, w], dataFormat: cf ? 'channelsFirst' : undefined })], inShape: cf ? [c, h, w] : [h, w, c] };
  });
  E(`${t}_1x1_image`, (r) => {
    const cf = r.chance(0.4);
    const c = r.int(1, 3);
    return { specs: [S(fn, { poolSize: r.pick([1, 2]), padding: 'same', dataFormat: cf ? 'channelsFirst' : undefined })], inShape: cf ? [c, 1, 1] : [1, 1, c] };
  });
}
for (const fn of ['globalAveragePooling1d', 'globalMaxPooling1d']) {
  E(`${fn === 'globalMaxPooling1d' ? 'global_max' : 'global_average'}_pooling1d_length1`, (r) => ({ specs: [S(fn)], inShape: [1, r.int(1, 4)] }));
}
for (const fn of ['globalAveragePooling2d', 'globalMaxPooling2d']) {
  E(`${fn === 'globalMaxPooling2d' ? 'global_max' : 'global_average'}_pooling2d_1x1`, (r) => {
    const cf = r.chance(0.5);
    const c = r.int(1, 4);
    return { specs: [S(fn, { dataFormat: cf ? 'channelsFirst' : undefined })], inShape: cf ? [c, 1, 1] : [1, 1, c] };
  });
}
E('flatten_1x1_image', (r) => {
  const cf = r.chance(0.5);
  const c = r.int(1, 4);
  return { specs: [S('flatten', { dataFormat: cf ? 'channelsFirst' : undefined }), denseSpec(r, { units: 1 })], inShape: cf ? [c, 1, 1] : [1, 1, c] };
});
E('flatten_ones', () => ({ specs: [S('flatten')], inShape: [1, 1] }));
E('reshape_to_unit_axes', (r) => {
  const n = r.int(1, 6);
  return { specs: [S('reshape', { targetShape: r.pick([[1, n], [n, 1, 1], [1, -1], [-1, 1, 1], [1, 1, 1, n]]) })], inShape: [n] };
});
E('permute_unit_axes', (r) => ({ specs: [permuteSpec(r, 3)], inShape: r.pick([[1, r.int(2, 4), 1], [r.int(2, 4), 1, 1], [1, 1, r.int(2, 4)]]) }));
E('embedding_output_dim1', (r) => {
  const len = r.int(1, 5);
  return { specs: [S('embedding', { inputDim: r.int(2, 5), outputDim: 1, inputLength: len })], inShape: [len], input: 'ids' };
});
E('embedding_input_dim1', (r) => {
  const len = r.int(1, 5);
  return { specs: [S('embedding', { inputDim: 1, outputDim: r.int(1, 3), inputLength: len })], inShape: [len], input: 'ids' };
});
E('embedding_length1_lstm_units1', (r) => ({
  specs: [S('embedding', { inputDim: r.int(2, 6), outputDim: r.int(1, 3), inputLength: 1 }), rnnSpec(r, 'lstm', { units: 1 })], inShape: [1], input: 'ids',
}));
E('time_distributed_dense_one_step', (r) => ({ specs: [TD(denseSpec(r, { units: 1 }))], inShape: [1, r.int(1, 4)] }));
E('time_distributed_conv2d_ones', (r) => ({ specs: [TD(S('conv2d', { filters: 1, kernelSize: 1 }))], inShape: [r.int(1, 3), 1, 1, 1] }));
E('time_distributed_flatten_ones', (r) => ({ specs: [TD(S('flatten')), rnnSpec(r, 'lstm', { units: 1 })], inShape: [r.int(1, 4), 1, 1] }));
E('time_distributed_pool_equals_image', (r) => {
  const [h, w] = [r.int(1, 4), r.int(1, 4)];
  return { specs: [TD(S(r.pick(['maxPooling2d', 'averagePooling2d']), { poolSize: [h, w] }))], inShape: [r.int(1, 3), h, w, r.int(1, 2)] };
});
E('batch_normalization_one_feature', (r) => ({ specs: [bnSpec(r)], inShape: [1] }));
E('batch_normalization_axis1_one_channel', (r) => ({ specs: [bnSpec(r, 1)], inShape: [1, r.int(1, 4), r.int(1, 4)] }));
E('batch_normalization_axis1_1x1', (r) => ({ specs: [bnSpec(r, 1)], inShape: [r.int(1, 4), 1, 1] }));
E('activation_softmax_one_feature', (r) => ({ specs: [S('activation', { activation: r.pick(['softmax', 'logSoftmax']) })], inShape: [r.int(1, 5), 1] }));

CORPUS_COUNTS.edge = 2 * EDGE.length;

function genEdge(r, variant) {
  const t = EDGE[variant == null ? r.int(0, EDGE.length - 1) : variant % EDGE.length];
  const c = t.make(r);
  if (!simulate(c.specs, c.inShape)) throw new Error(`edge template ${t.tag} made an invalid model`);
  return { tag: t.tag, input: 'float', ...c, runs: [{ batch: 1 }, { batch: 2 }, { batch: 33 }] };
}

// 3. activation: every activation on every layer that takes one
const ACT_LAYERS = [
  ['dense', (r, a) => ({ specs: [denseSpec(r, { act: a, units: r.int(2, 5) })], inShape: [r.int(1, 6)] })],
  ['dense_rank3', (r, a) => ({ specs: [denseSpec(r, { act: a, units: r.int(2, 5) })], inShape: [r.int(1, 6), r.int(1, 5)] })],
  ['conv1d', (r, a) => ({ specs: [conv1dSpec(r, { act: a, filters: r.int(2, 4) })], inShape: [r.int(3, 10), r.int(1, 4)] })],
  ['conv2d', (r, a) => ({ specs: [conv2dSpec(r, false, { act: a, filters: r.int(2, 4) })], inShape: [r.int(3, 6), r.int(3, 6), r.int(1, 3)] })],
  ['conv2d_channels_first', (r, a) => ({ specs: [conv2dSpec(r, true, { act: a, filters: r.int(2, 4) })], inShape: [r.int(1, 3), r.int(3, 6), r.int(3, 6)] })],
  ...RNNS.map((fn) => [SNAKE[fn], (r, a) => ({ specs: [rnnSpec(r, fn, { act: a, units: r.int(2, 4) })], inShape: [r.int(2, 6), r.int(1, 4)] })]),
  ['activation_rank2', (r, a) => ({ specs: [S('activation', { activation: a })], inShape: [r.int(1, 6)] })],
  ['activation_rank3', (r, a) => ({ specs: [S('activation', { activation: a })], inShape: [r.int(1, 5), r.int(1, 5)] })],
  ['activation_rank4', (r, a) => ({ specs: [S('activation', { activation: a })], inShape: [r.int(1, 4), r.int(1, 4), r.int(1, 3)] })],
  ['time_distributed_dense', (r, a) => ({ specs: [TD(denseSpec(r, { act: a, units: r.int(2, 4) }))], inShape: [r.int(1, 5), r.int(1, 4)] })],
];
CORPUS_COUNTS.activation = ACT_LAYERS.length * ACTS.length;

const ACT_SNAKE = { logSoftmax: 'log_softmax' };
function genActivation(r, variant) {
  const k = variant == null ? r.int(0, ACT_LAYERS.length * ACTS.length - 1) : variant % (ACT_LAYERS.length * ACTS.length);
  const [kind, make] = ACT_LAYERS[Math.floor(k / ACTS.length)];
  const act = ACTS[k % ACTS.length];
  let c;
  let shapes;
  do {
    c = make(r, act);
    shapes = simulate(c.specs, c.inShape);
  } while (!shapes);
  return { tag: `${kind}_${ACT_SNAKE[act] ?? act}`, input: 'float', ...c, runs: pickRuns(r, size(c.inShape) + size(shapes[shapes.length - 1])) };
}

// 4. none_lengths: a None time axis, several runs of different lengths
const NONE_SEQ_KINDS = ['conv1d', 'pool1d', 'gpool1d', 'rnn', 'dense', 'tdDense', 'activation', 'dropout', 'bn'];
function genNone(r) {
  for (;;) {
    const specs = [];
    let inShape;
    let input = 'float';
    if (r.chance(0.3)) {
      inShape = [null];
      input = 'ids';
      specs.push(S('embedding', { inputDim: r.int(2, 10), outputDim: r.int(1, 4) }));
    } else {
      inShape = [null, r.int(1, 4)];
    }
    let shape = specs.length ? outShape(specs[0], inShape) : inShape;
    const n = specs.length + r.int(1, 3);
    let ok = true;
    while (specs.length < n) {
      // the first layer after the input mostly one that cares about the length
      const first = specs.length === (input === 'ids' ? 1 : 0);
      const kinds = shape.length === 2
        ? (first && r.chance(0.7) ? ['conv1d', 'pool1d', 'rnn', 'gpool1d'] : NONE_SEQ_KINDS)
        : ['dense', 'activation', 'dropout', 'bn'];
      const next = randomLayer(r, shape, { cf: false }, kinds);
      if (!next) { ok = false; break; }
      specs.push(next.spec);
      shape = next.out;
    }
    if (!ok) continue;
    const minLen = minLength(specs, inShape);
    if (minLen == null || minLen > 10 || paramsOf(specs, inShape) > MAX_PARAMS) continue;
    const perStep = (inShape[1] ?? 1) + (shape[0] == null ? size(shape.slice(1)) : 0);
    return { tag: slug(specs), specs, inShape, input, runs: noneRuns(r, minLen, perStep) };
  }
}

// 5. mask: Embedding(mask_zero=True) -> layers that pass the mask -> a consumer.
//
// Checked (TF.js 4.22 against Keras 3.15.1, JAX backend):
// - Keras 3 passes the mask through layers with supports_masking=True: Dense, Dropout, Activation,
//   BatchNormalization, TimeDistributed and SimpleRNN/LSTM/GRU with return_sequences=True; TF.js
//   does the same for these. RNNs consume it (a masked step keeps the state and repeats the previous
//   output, zeros before the first unmasked step; go_backwards reverses the mask too) alike in both.
//   An RNN with go_backwards=True and return_sequences=True returns its outputs in reversed order but
//   passes on the mask unreversed, in Keras 3 and in TF.js alike (so a later RNN skips the steps at the
//   original masked positions of the reversed sequence).
// - GlobalAveragePooling1D: Keras averages over the unmasked steps only (an all-masked sample gives
//   0/0 = NaN); TF.js ignores the mask and averages over all steps. Such cases are metamorphic: the
//   output of each sample is TF.js's output for the same sample with its masked steps removed (all
//   the layers before the pooling act per time step, or are RNNs that skip masked steps), run through
//   the same model with a None length. No all-zero sample there (NaN is not JSON).
// - Conv1D, MaxPooling1D/AveragePooling1D, GlobalMaxPooling1D, Flatten, Reshape and Permute have
//   supports_masking=False in Keras 3: the mask is dropped (with a warning) and later layers see none.
//   TF.js instead carries the mask on through them to a later RNN. Where an RNN follows such a layer
//   the reference is the same model with mask_zero=False (metamorphic); elsewhere TF.js's output is
//   already Keras's (its pooling layers ignore masks).
const PASS = ['dense', 'dropout', 'activation', 'bn', 'tdDense'];
const passSpec = (r) => {
  const k = r.pick(PASS);
  if (k === 'dense') return denseSpec(r);
  if (k === 'dropout') return S('dropout', { rate: r.pick([0.1, 0.25, 0.5]) });
  if (k === 'activation') return S('activation', { activation: r.pick(ACTS) });
  if (k === 'bn') return bnSpec(r);
  return TD(denseSpec(r));
};

function genMask(r) {
  for (;;) {
    const inputDim = r.int(3, 8);
    const none = r.chance(0.25);
    const len = none ? null : r.int(3, 9);
    const inShape = [len];
    const specs = [S('embedding', { inputDim, outputDim: r.int(1, 4), inputLength: len ?? undefined, maskZero: true })];
    const mids = () => { for (let i = r.int(0, 2); i > 0; i--) specs.push(passSpec(r)); };
    const style = r.pick(['rnn', 'rnn', 'rnn_stack', 'gap', 'rnn_gap', 'dropped', 'dropped']);
    let relation;
    let allowAllZero = true;
    mids();
    if (style === 'rnn') {
      const rnn = rnnSpec(r);
      specs.push(rnn);
      if (rnn.cfg.returnSequences && r.chance(0.4)) specs.push(r.chance(0.5) ? TD(denseSpec(r)) : denseSpec(r));
      else if (!rnn.cfg.returnSequences && r.chance(0.3)) specs.push(denseSpec(r));
    } else if (style === 'rnn_stack') {
      specs.push(rnnSpec(r, r.pick(RNNS), { returnSequences: true }));
      if (r.chance(0.4)) specs.push(passSpec(r));
      specs.push(rnnSpec(r));
    } else if (style === 'gap' || style === 'rnn_gap') {
      if (style === 'rnn_gap') {
        // Not go_backwards: that RNN's outputs come in reversed order but Keras passes on the mask
        // unreversed, so the pooling averages other steps than the compacted sequence has.
        const rnn = rnnSpec(r, r.pick(RNNS), { returnSequences: true });
        delete rnn.cfg.goBackwards;
        specs.push(rnn);
      }
      specs.push(S('globalAveragePooling1d'));
      if (r.chance(0.4)) specs.push(denseSpec(r));
      relation = 'mask-compact';
      allowAllZero = false;
    } else {
      const droppers = none ? ['conv1d', 'pool1d', 'gmp'] : ['conv1d', 'pool1d', 'gmp', 'flatten', 'reshape', 'permute'];
      const d = r.pick(droppers);
      const shape = simulate(specs, inShape).pop();
      if (d === 'conv1d') specs.push(conv1dSpec(r));
      if (d === 'pool1d') specs.push(pool1dSpec(r));
      if (d === 'gmp') specs.push(S('globalMaxPooling1d'));
      if (d === 'flatten') specs.push(S('flatten'));
      if (d === 'reshape') specs.push(S('reshape', { targetShape: [shape[1], -1] }));
      if (d === 'permute') specs.push(S('permute', { dims: [2, 1] }));
      const after = simulate(specs, inShape);
      if (!after) continue;
      const out = after[after.length - 1];
      if (out.length === 2) {
        const next = r.pick(['rnn', 'rnn', 'rnn', 'gap', 'dense']);
        if (next === 'rnn') specs.push(rnnSpec(r));
        if (next === 'gap') specs.push(S('globalAveragePooling1d'));
        if (next === 'dense') specs.push(denseSpec(r));
      } else if (r.chance(0.6)) specs.push(denseSpec(r));
      const di = specs.findIndex((s, i) => i > 0 && !PASS.includes(kindOf(s)));
      if (specs.slice(di + 1).some((s) => RNNS.includes(s.fn))) relation = 'mask-dropped';
    }
    const shapes = simulate(specs, inShape);
    if (!shapes) continue;
    const minLen = Math.max(3, minLength(specs, inShape) ?? 99);
    if (minLen > 9 || paramsOf(specs, inShape) > MAX_PARAMS) continue;
    const perSample = (len ?? 9) + size(withLength(shapes[shapes.length - 1], 9));
    const big = perSample * 33 <= BIG_RUN * 1.5 && r.chance(0.7) ? 33 : 3;
    const L = (lo, hi) => (none ? r.int(Math.max(lo, minLen), Math.max(hi, minLen)) : undefined);
    const runs = [{ batch: 1, steps: L(3, 6) }, { batch: 6, steps: L(4, 8) }, { batch: big, steps: L(5, 11) }];
    return { tag: `${style}_${slug(specs.slice(1))}`, specs, inShape, input: 'mask', allowAllZero, relation, runs };
  }
}

function kindOf(s) {
  if (s.inner) return s.inner.fn === 'dense' ? 'tdDense' : 'td';
  return { batchNormalization: 'bn' }[s.fn] ?? s.fn;
}

// 6. metamorphic: channels_first 1D chains. TF.js computes Conv1D(data_format='channels_first') with a
// channels_last op (its output contradicts its own output shape) and ignores data_format in
// MaxPooling1D, AveragePooling1D, GlobalAverage/MaxPooling1D, so TF.js cannot compute these models
// directly. It computes their channels_last twin instead (same layers and weights: a Keras Conv1D
// kernel is [k, in, filters] in both formats); the channels_first model maps (C, L) inputs to the
// twin's outputs with the length and channel axes swapped wherever they are sequences. The model JSON
// is the twin's, edited: data_format 'channels_first' on every Conv1D, pooling 1D, global pooling 1D
// and Flatten; BatchNormalization axis 1 (the channel axis, where the twin has -1); batch_input_shape
// (None, L, C) -> (None, C, L). A Flatten(data_format='channels_first') moves the channels last
// before flattening, so it flattens exactly what the twin's Flatten does.
const CF_CLASSES = new Set(['Conv1D', 'MaxPooling1D', 'AveragePooling1D', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D', 'Flatten']);

// Not softmax/log_softmax: they act on the last axis, which is the length in the channels_first model
// but the channels in the twin, so the relation does not hold for them.
const CF_ACTS = ACTS.filter((a) => a !== 'softmax' && a !== 'logSoftmax');
const cfAct = (r) => (r.chance(0.4) ? r.pick(CF_ACTS) : undefined);

function genMeta(r) {
  for (;;) {
    const channels = r.int(1, 4);
    const none = r.chance(0.2);
    const inShape = [none ? null : r.int(2, 12), channels]; // the channels_last twin's
    const specs = [r.chance(0.7) ? conv1dSpec(r, { act: cfAct(r) }) : pool1dSpec(r)];
    for (let i = r.int(0, 2); i > 0; i--) {
      const k = r.pick(['conv1d', 'conv1d', 'pool1d', 'activation', 'dropout', 'bn']);
      if (k === 'conv1d') specs.push(conv1dSpec(r, { act: cfAct(r) }));
      if (k === 'pool1d') specs.push(pool1dSpec(r));
      if (k === 'activation') specs.push(S('activation', { activation: r.pick(CF_ACTS) }));
      if (k === 'dropout') specs.push(S('dropout', { rate: 0.25 }));
      if (k === 'bn') specs.push(bnSpec(r));
    }
    const end = r.pick(none ? ['sequence', 'gap', 'gmp'] : ['sequence', 'gap', 'gmp', 'flatten', 'flatten']);
    if (end === 'gap') specs.push(S('globalAveragePooling1d'));
    if (end === 'gmp') specs.push(S('globalMaxPooling1d'));
    if (end === 'flatten') specs.push(S('flatten'));
    if (end !== 'sequence' && (end === 'flatten' || r.chance(0.5))) specs.push(denseSpec(r));
    const shapes = simulate(specs, inShape);
    if (!shapes || !shapes.every((s) => !known(s) || size(s) <= MAX_ELEMENTS)) continue;
    if (paramsOf(specs, inShape) > MAX_PARAMS) continue;
    const out = shapes[shapes.length - 1];
    let runs;
    if (none) {
      const minLen = minLength(specs, inShape);
      if (minLen == null || minLen > 10) continue;
      runs = noneRuns(r, minLen, channels + (out[0] == null ? out[1] : 0));
    } else {
      runs = pickRuns(r, size(inShape) + size(out));
    }
    return { tag: `channels_first_${slug(specs)}`, specs, inShape, input: 'float', relation: 'channels-first', runs };
  }
}

const GENERATORS = { random: genRandom, edge: genEdge, activation: genActivation, none_lengths: genNone, mask: genMask, metamorphic: genMeta };

// ---------------------------------------------------------------------------------------------
// From a generated case to its record: TF.js builds it, runs it, and reports
// ---------------------------------------------------------------------------------------------

const quiet = () => {};
const transposeShape = (s) => (s.length === 3 ? [s[0], s[2], s[1]] : s);

function copyWeights(from, to) {
  for (const layer of to.layers) {
    const twin = from.layers.find((l) => l.name === layer.name);
    if (twin && twin.weights.length > 0) layer.setWeights(twin.getWeights());
  }
}

function describeChannelsFirst(model, inShape) {
  const body = model.layers.map((l) => {
    const d = describeLayer(l);
    if (CF_CLASSES.has(l.getClassName())) return `${d.slice(0, -1)}${d.endsWith('()') ? '' : ', '}data_format='channels_first')`;
    if (l.getClassName() === 'BatchNormalization') return d.replace('BatchNormalization(', d.endsWith('()') ? 'BatchNormalization(axis=1' : 'BatchNormalization(axis=1, ');
    return d;
  }).join(' -> ');
  return `${body} on ${fmtShape([null, inShape[1], inShape[0]])}`;
}

function realize(c) {
  const { r } = c;
  const cf = c.relation === 'channels-first';
  const caseDef = caseDefOf(c.id, c.specs, c.inShape);
  const model = buildModel(caseDef); // for channels-first cases: the channels_last twin
  const lengths = [...new Set(c.runs.map((run) => run.steps).filter((n) => n != null))];
  const shapes = layerShapes(model, c.id, { steps: lengths[0] ?? 7, onNote: quiet });
  for (const n of lengths.slice(1)) layerShapes(model, c.id, { steps: n, onNote: quiet });
  const layers = model.layers.map((layer, i) => ({
    name: layer.name,
    class_name: layer.getClassName(),
    output_shape: cf ? transposeShape(shapes[i].output) : shapes[i].output,
    params: layer.countParams(),
    trainable_params: layer.trainableWeights.reduce((a, w) => a + size(w.shape), 0),
  }));
  const weights = seedWeights(model, drawWeight(r), q4);

  const json = model.toJSON(null, false);
  let description = describeModel(model);
  let twin = null;
  let predict;
  if (cf) {
    for (const l of json.config.layers) {
      if (CF_CLASSES.has(l.class_name)) l.config.data_format = 'channels_first';
      if (l.class_name === 'BatchNormalization') l.config.axis = 1;
      if (l.config.batch_input_shape) l.config.batch_input_shape = transposeShape(l.config.batch_input_shape);
    }
    description = `${describeChannelsFirst(model, c.inShape)}; reference: the channels_last twin, axes swapped`;
    predict = (x) => tf.tidy(() => {
      const y = model.predict(tf.transpose(x, [0, 2, 1]));
      return y.rank === 3 ? tf.transpose(y, [0, 2, 1]) : y;
    });
  } else if (c.relation === 'mask-dropped') {
    const specs = c.specs.map((s, i) => (i === 0 ? { ...s, cfg: { ...s.cfg, maskZero: undefined } } : s));
    twin = buildModel(caseDefOf(c.id, specs, c.inShape));
    copyWeights(model, twin);
    const dropper = model.layers.find((l, i) => i > 0 && !PASS.includes(kindOf(c.specs[i])));
    description += `; reference: the same model with mask_zero=False (Keras drops the mask at ${dropper.name})`;
    predict = (x) => twin.predict(x);
  } else if (c.relation === 'mask-compact') {
    const specs = c.specs.map((s, i) => (i === 0 ? { ...s, cfg: { ...s.cfg, inputLength: undefined } } : s));
    twin = buildModel(caseDefOf(c.id, specs, [null]));
    copyWeights(model, twin);
    description += '; reference: each sample with its masked steps removed (TF.js GlobalAveragePooling1D ignores masks)';
    predict = (x, data, [batch, len]) => tf.tidy(() => {
      const rows = [];
      for (let b = 0; b < batch; b++) {
        const ids = Array.from(data.subarray(b * len, (b + 1) * len)).filter((v) => v !== 0);
        if (ids.length === 0) throw new Error(`${c.id}: all-masked sample in a mask-compact case`);
        rows.push(twin.predict(tf.tensor([ids])));
      }
      const y = tf.concat(rows, 0);
      // Self-check: where a sample has no masked step the model's own output must be the same.
      const direct = model.predict(x);
      for (let b = 0; b < batch; b++) {
        if (Array.from(data.subarray(b * len, (b + 1) * len)).every((v) => v !== 0)) {
          const d = tf.max(tf.abs(tf.sub(direct.slice(b, 1), y.slice(b, 1)))).dataSync()[0];
          if (d > 1e-6) throw new Error(`${c.id}: compacted and direct outputs differ by ${d} on an unmasked sample`);
        }
      }
      return y;
    });
  } else {
    twin = oracleModel(caseDef, model); // BatchNormalization(axis=1): see tfjs-models.mjs
    predict = (x) => (twin ?? model).predict(x);
  }

  const embedding = c.specs[0].fn === 'embedding' ? c.specs[0].cfg : null;
  const runs = c.runs.map((run) => {
    const perSample = cf ? [c.inShape[1], c.inShape[0] ?? run.steps] : withLength(c.inShape, run.steps);
    const shape = [run.batch, ...perSample];
    const n = size(shape);
    let data;
    if (c.input === 'mask') data = maskIds(r, run.batch, perSample[0], embedding.inputDim, c.allowAllZero);
    else if (c.input === 'ids') data = Float32Array.from({ length: n }, () => r.int(0, embedding.inputDim - 1));
    else data = uniform4(r, n, -1, 1);
    const x = tf.tensor(data, shape);
    const y = predict(x, data, shape);
    const want = layers[layers.length - 1].output_shape;
    if (y.shape.length !== want.length || y.shape[0] !== run.batch
      || want.some((d, i) => i > 0 && d != null && d !== y.shape[i])) {
      throw new Error(`${c.id}: output ${JSON.stringify(y.shape)} for input ${JSON.stringify(shape)} does not fit ${JSON.stringify(want)}`);
    }
    const rec = {
      input: { shape, data: c.input === 'float' ? Array.from(data, q4) : Array.from(data) },
      output: { shape: y.shape.slice(), data: Array.from(y.dataSync(), num) },
    };
    tf.dispose([x, y]);
    return rec;
  });
  const total = model.countParams();
  const rec = {
    id: c.id,
    family: c.family,
    oracle: c.relation ? 'tfjs-metamorphic' : 'tfjs',
    seed: c.seed,
    description,
    model: json,
    layers,
    total_params: total,
    trainable_params: layers.reduce((a, l) => a + l.trainable_params, 0),
    weights,
    runs,
  };
  if (twin) twin.dispose();
  model.dispose();
  return rec;
}

// ---------------------------------------------------------------------------------------------
// Runs of the generator
// ---------------------------------------------------------------------------------------------

// The families and variants of a run, in file order.
function plan(seed, corpus, count) {
  const out = [];
  if (corpus) {
    for (const family of FAMILIES) for (let k = 0; k < CORPUS_COUNTS[family]; k++) out.push({ family, variant: k });
  } else {
    const r = rng(seedOf(`plan/${seed}`));
    for (let i = 0; i < count; i++) {
      let x = r.next();
      let family = FAMILIES[FAMILIES.length - 1];
      for (const f of FAMILIES) {
        x -= FAMILY_WEIGHTS[f];
        if (x < 0) { family = f; break; }
      }
      out.push({ family, variant: null });
    }
  }
  return out.map((p, i) => {
    const prefix = `${p.family}_${String(i).padStart(4, '0')}`;
    return { ...p, prefix, seed: seedOf(`${seed}/${prefix}`) };
  });
}

function generate(p) {
  const r = rng(p.seed);
  const c = GENERATORS[p.family](r, p.variant);
  const id = `${p.prefix}_${c.tag}`;
  try {
    return realize({ ...c, r, id, family: p.family, seed: p.seed });
  } catch (e) {
    e.message = `case ${id} (case seed ${p.seed}): ${e.message}`;
    throw e;
  }
}

function usage(msg) {
  process.stderr.write(`${msg}\nusage: node fuzz.mjs --corpus | --seed S [--count N] --out FILE   [--case ID]\n`);
  process.exit(2);
}

function main(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--corpus') args.corpus = true;
    else if (a === '--verbose') args.verbose = true;
    else if (['--seed', '--count', '--out', '--case'].includes(a) && i + 1 < argv.length) args[a.slice(2)] = argv[++i];
    else usage(`unknown argument ${a}`);
  }
  if (args.corpus && (args.seed != null || args.count != null)) usage('--corpus takes no --seed or --count');
  if (!args.corpus && args.seed == null) usage('give --corpus or --seed');
  if (!args.corpus && args.out == null) usage('--seed needs --out');
  if (args.seed != null && !/^\d{1,15}$/.test(args.seed)) usage('--seed must be a non-negative integer');
  if (args.count != null && !/^[1-9]\d*$/.test(args.count)) usage('--count must be a positive integer');
  const seed = args.corpus ? CORPUS_SEED : Number(args.seed);
  const out = args.corpus && args.out == null ? CORPUS : resolve(args.out);

  const started = Date.now();
  let todo = plan(seed, !!args.corpus, Number(args.count ?? 150));
  if (args.case) {
    todo = todo.filter((p) => args.case === p.prefix || args.case.startsWith(`${p.prefix}_`));
    if (todo.length === 0) usage(`no case ${args.case} in this run`);
  }
  const records = todo.map(generate);
  const families = Object.fromEntries(FAMILIES.map((f) => [f, records.filter((x) => x.family === f).length]));
  const header = { generator: GENERATOR, tfjs_version: TFJS_VERSION, seed, cases: records.length, families };
  const text = `${[header, ...records].map(toJsonLine).join('\n')}\n`;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, text);
  const metamorphic = records.filter((x) => x.oracle === 'tfjs-metamorphic').length;
  process.stderr.write(`fuzz: seed ${seed}, ${records.length} cases -> ${out}\n`
    + `  ${FAMILIES.map((f) => `${f} ${families[f]}`).join(', ')}; ${metamorphic} metamorphic; `
    + `${(text.length / 1e6).toFixed(2)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  if (args.verbose) for (const [why, n] of refusals) process.stderr.write(`  TF.js refused (${n}x) ${why}\n`);
}

main(process.argv.slice(2));
