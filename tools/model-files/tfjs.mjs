// Writes TensorFlow.js model files with TensorFlow.js 4.22's own save, for ShapeLab's io tests.
//
//   (cd tools/keras-reference && npm ci) && node tools/model-files/tfjs.mjs src/test/resources/model-files/tfjs
//
// For each model NAME: NAME/model.json and its .bin shards, written from the artifacts that model.save() hands to
// tf.io.withSaveHandler (modelTopology, weightSpecs, weightData), laid out as TF.js's file handlers write them
// (tfjs-core src/io/io_utils.ts getModelJSONForModelArtifacts: {modelTopology, format, generatedBy, convertedBy,
// weightsManifest: [{paths, weights}]}), and NAME.json with the inputs x and TF.js's predictions y.
// "wrappers" cuts its weight bytes into two shards, as tensorflowjs_converter does for large models
// (group1-shard1of2.bin, group1-shard2of2.bin). "dense_uint8", "dense_uint16" and "dense_float16" store their
// weights quantized ({dtype: "uint8", scale, min} etc., as tensorflowjs_converter --quantize_* writes them); their
// predictions are those of the weights TF.js's own tf.io.decodeWeights makes of the bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../keras-reference/quiet-tfjs.mjs';

const out = process.argv[2] ?? 'src/test/resources/model-files/tfjs';

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(13);
const uniform = (shape, lo, hi) => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) },
  () => lo + (hi - lo) * rand()), shape, 'float32');

function randomize(model) {
  model.setWeights(model.weights.map(w => uniform(w.shape,
    w.originalName.endsWith('moving_variance') ? 0.5 : -0.5, w.originalName.endsWith('moving_variance') ? 1.5 : 0.5)));
}

const L = tf.layers;
// TF.js's recurrent layers default to recurrentActivation 'hardSigmoid', written as "hard_sigmoid", which TF.js and
// tf.keras 2 compute as clip(0.2x + 0.5, 0, 1) but Keras 3 (and ShapeLab, which follows it) as relu6(x + 3) / 6.
// These files test the format, so they use Keras 3's default, 'sigmoid'; 'tfjs_hard_sigmoid' keeps TF.js's defaults,
// which ShapeLab reads as TF.js's function (hard_sigmoid_keras2; docs/model-files.md says more).
const SIG = 'sigmoid';
function models() {
  const list = [];
  list.push(['dense_conv2d_bn', tf.sequential({ layers: [
    L.conv2d({ inputShape: [8, 8, 2], filters: 4, kernelSize: 3, activation: 'relu' }),
    L.batchNormalization(),
    L.maxPooling2d({ poolSize: 2 }),
    L.flatten(),
    L.dense({ units: 5, activation: 'tanh' }),
    L.dense({ units: 3 }),
  ] }), [uniform([2, 8, 8, 2], -1, 1)]]);

  list.push(['embedding_conv1d_rnn', tf.sequential({ layers: [
    L.embedding({ inputShape: [7], inputDim: 11, outputDim: 4 }),
    L.conv1d({ filters: 5, kernelSize: 3, padding: 'same', activation: 'relu' }),
    L.lstm({ units: 4, returnSequences: true, recurrentActivation: SIG }),
    L.gru({ units: 3, recurrentActivation: SIG }),
    L.dense({ units: 2 }),
  ] }), [tf.tensor(Array.from({ length: 21 }, () => Math.floor(rand() * 11)), [3, 7], 'float32')]]);

  list.push(['wrappers', tf.sequential({ layers: [
    L.timeDistributed({ inputShape: [6, 3], layer: L.dense({ units: 4, activation: 'relu' }) }),
    L.bidirectional({ layer: L.lstm({ units: 3, returnSequences: true, recurrentActivation: SIG }) }),
    L.bidirectional({ layer: L.gru({ units: 2, recurrentActivation: SIG }), mergeMode: 'sum' }),
    L.dense({ units: 1 }),
  ] }), [uniform([2, 6, 3], -1, 1)]]);

  const a = tf.input({ shape: [5], name: 'numbers' });
  const b = tf.input({ shape: [4, 3], name: 'steps' });
  const d1 = L.dense({ units: 4, activation: 'relu' }).apply(a);
  const d2 = L.dense({ units: 4 }).apply(a);
  const added = L.add().apply([d1, d2]);
  const r = L.gru({ units: 4, recurrentActivation: SIG }).apply(b);
  const joined = L.concatenate().apply([added, r]);
  const normed = L.batchNormalization().apply(joined);
  const out1 = L.dense({ units: 2, name: 'score' }).apply(normed);
  const out2 = L.multiply().apply([L.dense({ units: 4 }).apply(normed), d2]);
  list.push(['functional_merges', tf.model({ inputs: [a, b], outputs: [out1, out2], name: 'two_heads' }),
    [uniform([3, 5], -1, 1), uniform([3, 4, 3], -1, 1)]]);

  // TF.js's own defaults: recurrentActivation 'hardSigmoid' (0.2x + 0.5), which ShapeLab keeps for TF.js files
  list.push(['tfjs_hard_sigmoid', tf.sequential({ layers: [
    L.lstm({ inputShape: [5, 3], units: 4, returnSequences: true }),
    L.gru({ units: 3, returnSequences: true }),
    L.simpleRNN({ units: 2 }),
    L.dense({ units: 3, activation: 'hardSigmoid' }),
  ] }), [uniform([2, 5, 3], -3, 3)]]);

  for (const quantized of ['dense_uint8', 'dense_uint16', 'dense_float16']) {
    list.push([quantized, tf.sequential({ layers: [
      L.dense({ inputShape: [4], units: 3, activation: 'relu' }),
      L.dense({ units: 2 }),
    ] }), [uniform([2, 4], -1, 1)]]);
  }
  return list;
}

async function artifactsOf(model) {
  let saved;
  await model.save(tf.io.withSaveHandler(async artifacts => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved;
}

/** IEEE 754 half precision bits of a float (round to nearest; the weights here are normal numbers). */
function halfBits(value) {
  const f = new Float32Array([value]);
  const bits = new Uint32Array(f.buffer)[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  if (exponent <= 0) return sign;
  const mantissa = bits & 0x7fffff;
  let half = sign | (exponent << 10) | (mantissa >>> 13);
  if (mantissa & 0x1000) half += 1;
  return half;
}

/**
 * Quantization as tensorflowjs_converter writes it (--quantize_uint8, --quantize_uint16, --quantize_float16):
 * q = round((v - min) / scale), scale = (max - min) / (2^bits - 1), stored little-endian; float16 stores half floats.
 */
function quantize(artifacts, dtype) {
  const floats = new Float32Array(artifacts.weightData);
  const size = dtype === 'uint8' ? 1 : 2;
  const out = new DataView(new ArrayBuffer(floats.length * size));
  const specs = [];
  let offset = 0;
  for (const spec of artifacts.weightSpecs) {
    const n = spec.shape.reduce((x, y) => x * y, 1);
    const values = floats.subarray(offset, offset + n);
    const min = Math.min(...values);
    const max = Math.max(...values);
    const scale = (max - min) / (dtype === 'uint8' ? 255 : 65535);
    values.forEach((v, i) => {
      const at = (offset + i) * size;
      if (dtype === 'uint8') out.setUint8(at, Math.round((v - min) / scale));
      else if (dtype === 'uint16') out.setUint16(at, Math.round((v - min) / scale), true);
      else out.setUint16(at, halfBits(v), true);
    });
    offset += n;
    specs.push({ ...spec, quantization: dtype === 'float16' ? { dtype } : { dtype, scale, min } });
  }
  return { ...artifacts, weightSpecs: specs, weightData: out.buffer };
}

const toList = t => t.arraySync();

for (const [name, model, xs] of models()) {
  randomize(model);
  let artifacts = await artifactsOf(model);
  if (name.startsWith('dense_') && ['uint8', 'uint16', 'float16'].includes(name.slice(6))) {
    artifacts = quantize(artifacts, name.slice(6));
    const decoded = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
    model.setWeights(model.weights.map(w => decoded[w.originalName]));
  }
  const ys = [model.predict(xs.length === 1 ? xs[0] : xs)].flat();
  const data = new Uint8Array(artifacts.weightData);
  const shards = name === 'wrappers'
    ? [data.slice(0, 200), data.slice(200)] : [data];
  const paths = shards.length === 1 ? ['weights.bin']
    : shards.map((_, i) => `group1-shard${i + 1}of${shards.length}.bin`);
  const dir = join(out, name);
  mkdirSync(dir, { recursive: true });
  shards.forEach((shard, i) => writeFileSync(join(dir, paths[i]), shard));
  const modelJson = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths, weights: artifacts.weightSpecs }],
  };
  writeFileSync(join(dir, 'model.json'), JSON.stringify(modelJson));
  writeFileSync(join(out, name + '.json'), JSON.stringify({
    tfjs_version: tf.version.tfjs, x: xs.map(toList), y: ys.map(toList) }));
  console.log(name, ys.map(y => y.shape), artifacts.weightSpecs.map(s => s.name).join(' '));
}
