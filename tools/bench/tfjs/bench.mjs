// TensorFlow.js 4.22 peer of ShapeLab's forward-pass benchmark: wasm backend (XNNPACK, SIMD; one thread in
// Node, where the wasm backend has no multithreading). Started by the Java harness
// (org.shapelab.bench.ForwardBenchmark, run by tools/bench/forward), which writes the fixtures:
//
//   node bench.mjs <manifest.json> <results.json>
//
// Per workload: builds the model from ShapeLab's Keras JSON, sets the Keras weights, checks its output against
// ShapeLab's (written by the Java side) and only then times model.predict with the same settings as the Java
// side: warm-up by count and time, rounds of single-call samples, median and 10th-90th percentiles.
// Everything comes from node_modules (npm ci); nothing is downloaded at run time.

import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';

tf.env().set('PROD', true);

const [manifestPath, resultsPath] = process.argv.slice(2);
if (!manifestPath || !resultsPath) {
  console.error('usage: node bench.mjs <manifest.json> <results.json>');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const dir = dirname(manifestPath);
const timing = manifest.timing;

if (!(await tf.setBackend('wasm'))) {
  throw new Error('the TF.js wasm backend did not initialize');
}
await tf.ready();
const env = {
  tfjs: tf.version.tfjs,
  backend: tf.getBackend(),
  simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
  multithread: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
  threads: wasm.getThreadsCount(),
  node: process.version,
};
if (env.tfjs !== '4.22.0') {
  throw new Error(`expected @tensorflow/tfjs 4.22.0, got ${env.tfjs}`);
}
log(`TF.js ${env.tfjs}, backend ${env.backend}, SIMD ${env.simd}, multithread ${env.multithread}, threads ${env.threads}, Node ${env.node}`);

function load(ref) {
  const bytes = readFileSync(join(dir, ref.file));
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return { values, tensor: () => tf.tensor(values, ref.shape, 'float32') };
}

function log(message) {
  process.stdout.write(`  [tfjs] ${message}\n`);
}

/** One forward pass as the benchmark times it: predict, then read the result once, outside any tidy. */
function predictOnce(model, x) {
  const y = model.predict(x);
  const values = y.dataSync();
  y.dispose();
  return values;
}

function percentile(sorted, p) {
  if (sorted.length === 1) return sorted[0];
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
}

let sink = 0;

function measure(model, x) {
  const warmEnd = performance.now() + timing.warmupSeconds * 1000;
  for (let calls = 0; calls < timing.warmupCalls || performance.now() < warmEnd; calls++) {
    sink += predictOnce(model, x)[0];
  }
  const samples = [];
  for (let r = 0; r < timing.rounds; r++) {
    const end = performance.now() + timing.roundSeconds * 1000;
    for (let n = 0; n < timing.maxSamplesPerRound && (n < timing.minSamplesPerRound || performance.now() < end); n++) {
      const start = performance.now();
      const values = predictOnce(model, x);
      samples.push(performance.now() - start);
      sink += values[0];
    }
  }
  samples.sort((a, b) => a - b);
  return {
    n: samples.length,
    median: percentile(samples, 50),
    p10: percentile(samples, 10),
    p90: percentile(samples, 90),
    min: samples[0],
  };
}

const results = [];
for (const w of manifest.workloads) {
  const model = await tf.models.modelFromJSON(w.model);
  const weights = w.weights.map((ref) => load(ref).tensor());
  const expectedShapes = model.getWeights().map((t) => t.shape.join('x'));
  const givenShapes = weights.map((t) => t.shape.join('x'));
  if (expectedShapes.join(',') !== givenShapes.join(',')) {
    throw new Error(`${w.id}: TF.js weight shapes ${expectedShapes} but the fixture has ${givenShapes}`);
  }
  model.setWeights(weights);
  const input = load(w.input);
  const x = input.tensor();
  const expected = load(w.expected).values;

  const got = predictOnce(model, x);
  let maxAbs = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const diff = Math.abs(got[i] - expected[i]);
    maxAbs = Math.max(maxAbs, diff);
    worst = Math.max(worst, diff / Math.max(1, Math.abs(expected[i])));
  }
  const ok = got.length === expected.length && worst <= manifest.tolerance;
  const check = { maxAbs, ok, length: got.length };
  log(`${w.id} output vs ours: max |diff| ${maxAbs.toExponential(2)} over ${got.length} values -> ${ok ? 'ok' : 'MISMATCH'}`);

  let stats = null;
  if (ok) {
    const before = tf.memory().numTensors;
    stats = measure(model, x);
    const leaked = tf.memory().numTensors - before;
    log(`${w.id} median ${stats.median.toFixed(3)} ms [${stats.p10.toFixed(3)}-${stats.p90.toFixed(3)}] n=${stats.n}${leaked ? `, ${leaked} tensors leaked` : ''}`);
  }
  results.push({ id: w.id, check, stats });
  x.dispose();
  weights.forEach((t) => t.dispose());
  model.dispose();
}

writeFileSync(resultsPath, JSON.stringify({ env, workloads: results, sink }, null, 2));
