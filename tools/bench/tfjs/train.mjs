// TensorFlow.js 4.22 peer of ShapeLab's training benchmark (tools/bench/training, started by
// org.shapelab.bench.TrainingBenchmark, which writes the fixtures):
//
//   node train.mjs <manifest.json> <results.json>
//
// Per row: the model from ShapeLab's Keras JSON with ShapeLab's initial weights, its forward pass checked against
// ShapeLab's, then rounds of one epoch of model.fit (Adam 0.001, 0.9, 0.999, 1e-7; the row's batch size; Keras's
// default shuffle; verbose 0, yieldEvery 'never') from those weights on the same data, each on a fresh model; then
// the loss on the held-out data. Backend: wasm (XNNPACK, SIMD, one thread in Node) where it has every kernel the row's
// training needs, else cpu; the result names the backend and the gradient kernels wasm lacks.
import * as tf from '@tensorflow/tfjs';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';

tf.env().set('PROD', true);
const [manifestPath, resultsPath] = process.argv.slice(2);
if (!manifestPath || !resultsPath) {
  console.error('usage: node train.mjs <manifest.json> <results.json>');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const dir = dirname(manifestPath);
if (!(await tf.setBackend('wasm'))) throw new Error('the TF.js wasm backend did not initialize');
const env = {
  tfjs: tf.version.tfjs,
  simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
  multithread: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
  threads: wasm.getThreadsCount(),
  node: process.version,
};
if (env.tfjs !== '4.22.0') throw new Error(`expected @tensorflow/tfjs 4.22.0, got ${env.tfjs}`);
log(`TF.js ${env.tfjs}, wasm SIMD ${env.simd}, multithread ${env.multithread}, threads ${env.threads}, Node ${env.node}`);

// Gradient kernels of the convolution row, listed when wasm fails (the error names only the first it meets).
const GRADIENT_KERNELS = ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'MaxPoolGrad', 'AvgPoolGrad'];

function log(message) {
  process.stdout.write(`  [tfjs] ${message}\n`);
}

function load(ref) {
  const bytes = readFileSync(join(dir, ref.file));
  const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return tf.tensor(values, ref.shape, 'float32');
}

function lossOf(name) {
  return name === 'mean_squared_error' ? 'meanSquaredError' : (yTrue, yPred) => tf.losses.softmaxCrossEntropy(yTrue, yPred);
}

async function model(row, weights) {
  const m = await tf.models.modelFromJSON(row.model);
  m.setWeights(weights);
  m.compile({ optimizer: tf.train.adam(0.001, 0.9, 0.999, 1e-7), loss: lossOf(row.loss) });
  return m;
}

async function epoch(row, weights, x, y) {
  const m = await model(row, weights);
  const start = performance.now();
  const history = await m.fit(x, y, { batchSize: row.batch, epochs: 1, shuffle: true, verbose: 0, yieldEvery: 'never' });
  const ms = performance.now() - start;
  const steps = m.optimizer.iterations; // the steps the optimizer took
  m.optimizer.dispose();
  return { m, ms, steps, trainLoss: history.history.loss[0] };
}

const results = [];
for (const row of manifest.rows) {
  const result = { id: row.id };
  let backend = null;
  let missing = [];
  for (const candidate of ['wasm', 'cpu']) {
    await tf.setBackend(candidate);
    const weights = row.weights.map(load);
    const x = load(row.x);
    const y = load(row.y);
    try {
      // The same model: the forward pass on ShapeLab's check samples.
      const check = await model(row, weights);
      const checkX = load(row.checkX);
      const got = check.predict(checkX).dataSync();
      const ours = load(row.checkOurs).dataSync();
      let diff = 0;
      for (let i = 0; i < ours.length; i++) diff = Math.max(diff, Math.abs(got[i] - ours[i]));
      result.forwardDiff = diff;
      // Warm-up (and the backend test): a short fit on a throwaway model.
      const warm = (candidate === 'cpu' ? 2 : Math.min(row.steps, 30)) * row.batch;
      const wx = x.slice(0, warm);
      const wy = y.slice(0, warm);
      await check.fit(wx, wy, { batchSize: row.batch, epochs: 1, shuffle: true, verbose: 0, yieldEvery: 'never' });
      tf.dispose([wx, wy, checkX]);
      check.dispose();
      backend = candidate;
      // The cpu backend is slow: it times one epoch over the first cpuSteps batches (the Java side's warm-up fit,
      // whose losses it is compared with), not the whole epoch.
      const subset = candidate === 'cpu' && row.cpuSteps < row.steps;
      const tx = subset ? x.slice(0, row.cpuSteps * row.batch) : x;
      const ty = subset ? y.slice(0, row.cpuSteps * row.batch) : y;
      result.subset = subset;
      const rounds = [];
      const xe = load(row.xe);
      const ye = load(row.ye);
      for (let r = 0; r < (subset ? 1 : manifest.rounds); r++) {
        const e = await epoch(row, weights, tx, ty);
        if (r === 0) {
          const evalLoss = e.m.evaluate(xe, ye, { batchSize: 32 });
          result.evalLoss = (await evalLoss.data())[0];
          result.trainLoss = e.trainLoss;
          result.steps = e.steps;
          tf.dispose(evalLoss);
        }
        e.m.dispose();
        rounds.push(e.ms / e.steps);
        log(`${row.id} round ${r + 1}: ${(e.ms / e.steps).toFixed(3)} ms/step (${candidate}), loss ${e.trainLoss.toFixed(4)}`);
      }
      tf.dispose(subset ? [xe, ye, tx, ty] : [xe, ye]);
      const sorted = [...rounds].sort((a, b) => a - b);
      const mid = Math.floor(sorted.length / 2);
      result.msPerStep = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
      result.min = sorted[0];
      result.max = sorted[sorted.length - 1];
      result.rounds = rounds;
    } catch (e) {
      const message = String(e.message).split('\n')[0];
      log(`${row.id} on ${candidate}: ${message}`);
      result[`${candidate}Error`] = message;
      const named = /Kernel '(\w+)' not registered/.exec(message);
      if (candidate === 'wasm') {
        missing = [...new Set([...(named ? [named[1]] : []), ...GRADIENT_KERNELS.filter((k) => tf.getKernel(k, 'wasm') === undefined)])];
      }
    } finally {
      tf.dispose([...weights, x, y]);
    }
    if (backend) break;
  }
  result.backend = backend ?? 'none';
  result.wasmMissing = backend === 'cpu' ? missing : [];
  results.push(result);
}
writeFileSync(resultsPath, JSON.stringify({ env, rows: results }, null, 2));
