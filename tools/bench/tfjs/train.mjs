// TensorFlow.js 4.22 peer of ShapeLab's training benchmark (tools/bench/training): times model.fit steps of the
// rows T1-T3 on data of the same shapes, batch sizes and optimizer (Adam) as the Java side.
//   node train.mjs <results.json> [steps...]
// Backend: wasm (XNNPACK, SIMD, one thread in Node) where it has every gradient kernel the row needs, else cpu;
// each row's result says which.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

tf.env().set('PROD', true);
const [resultsPath, ...stepArgs] = process.argv.slice(2);
const steps = { T1: Number(stepArgs[0] ?? 300), T2: Number(stepArgs[1] ?? 60), T3: Number(stepArgs[2] ?? 40) };
const ROWS = {
  T1: { batch: 32, x: [28, 28], classes: 10, build: () => [tf.layers.flatten({ inputShape: [28, 28] }), tf.layers.dense({ units: 128, activation: 'relu' }), tf.layers.dense({ units: 10 })], logits: true },
  T2: { batch: 64, x: [28, 28, 1], classes: 10, build: () => [tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }), tf.layers.maxPooling2d({ poolSize: 2 }), tf.layers.flatten(), tf.layers.dense({ units: 10 })], logits: true },
  T3: { batch: 32, x: [50, 16], classes: 0, build: () => [tf.layers.lstm({ units: 64, recurrentActivation: 'sigmoid', inputShape: [50, 16] }), tf.layers.dense({ units: 1 })] },
};
const results = {};
for (const [id, row] of Object.entries(ROWS)) {
  let backend = 'wasm';
  let msPerStep = null;
  for (const candidate of ['wasm', 'cpu']) {
    await tf.setBackend(candidate);
    try {
      const model = tf.sequential({ layers: row.build() });
      const loss = row.logits ? (yt, yp) => tf.losses.softmaxCrossEntropy(yt, yp) : 'meanSquaredError';
      model.compile({ optimizer: tf.train.adam(0.001), loss });
      const n = row.batch * (steps[id] + 5);
      const x = tf.randomUniform([n, ...row.x]);
      const y = row.classes ? tf.oneHot(tf.randomUniform([n], 0, row.classes, 'int32'), row.classes).toFloat() : tf.randomUniform([n, 1]);
      const xs = [];
      for (let s = 0; s < steps[id] + 5; s++) xs.push([x.slice(s * row.batch, row.batch), y.slice(s * row.batch, row.batch)]);
      for (let s = 0; s < 5; s++) await model.trainOnBatch(xs[s][0], xs[s][1]);
      const t0 = performance.now();
      for (let s = 5; s < xs.length; s++) await model.trainOnBatch(xs[s][0], xs[s][1]);
      msPerStep = (performance.now() - t0) / steps[id];
      backend = candidate;
      tf.dispose([x, y, ...xs.flat()]);
      model.dispose();
      break;
    } catch (e) {
      backend = `${candidate} failed: ${String(e.message).split('\n')[0]}`;
    }
  }
  results[id] = { msPerStep, backend };
  process.stderr.write(`tfjs ${id}: ${msPerStep?.toFixed(2)} ms/step (${backend})\n`);
}
writeFileSync(resultsPath, JSON.stringify(results, null, 2));
