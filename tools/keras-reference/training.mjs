// Keras training references for ShapeLab, computed with TensorFlow.js 4.22.0 (pure JS, CPU): per case a model with
// seeded weights, an optimizer and a loss, a few batches (the last one smaller), the loss train_on_batch returns for
// each (before its update) and every weight after the last step, plus evaluate() afterwards.
//
// Writes src/test/resources/keras-reference/training.json. Deterministic. Re-run:
//   cd tools/keras-reference && npm ci && npm run training
//
// TF.js's optimizers follow Keras's formulas (SGD, momentum and Nesterov as Keras's SGD, RMSprop with epsilon inside
// the square root, Adam with its bias corrections; KERAS-REFERENCE checked SGD and Adam against float64). Losses TF.js
// lacks or names differently (huber, from_logits) are written here as Keras 3 defines them, as TF.js functions that
// TF.js differentiates itself. Not covered here, and why: Dropout (TF.js draws its masks from its own generator,
// which no other program can repeat; ShapeLab's Dropout is checked by finite differences and by its statistics),
// GRU reset_after=True and causal padding (TF.js lacks them; finite differences), dilated convolutions (TF.js has
// no gradient for them: "dilation rates greater than 1 are not yet supported in gradients"; finite differences),
// BatchNormalization on a non-last axis (TF.js's CPU kernel computes it wrongly; finite differences).

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  tf, TFJS_VERSION, mulberry32, seedOf, uniformArray, num, buildModel, seedWeights, toJson, size, KerasAdam,
} from './tfjs-models.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = resolve(HERE, '..', '..', 'src', 'test', 'resources', 'keras-reference', 'training.json');

// Keras 3 losses TF.js's compile() does not have by these names: per-sample values; TF.js averages them.

const LOSSES = {
  mse: { keras: 'mean_squared_error', tfjs: 'meanSquaredError' },
  mae: { keras: 'mean_absolute_error', tfjs: 'meanAbsoluteError' },
  bce: { keras: 'binary_crossentropy', tfjs: 'binaryCrossentropy' },
  cce: { keras: 'categorical_crossentropy', tfjs: 'categoricalCrossentropy' },
  sparse: { keras: 'sparse_categorical_crossentropy', tfjs: 'sparseCategoricalCrossentropy' },
  huber: {
    keras: 'huber',
    tfjs: (yt, yp) => tf.tidy(() => {
      const e = yp.sub(yt).abs();
      const q = tf.minimum(e, 1.0);
      return q.square().mul(0.5).add(e.sub(q)).mean(-1);
    }),
  },
  bce_logits: {
    keras: 'binary_crossentropy', fromLogits: true,
    tfjs: (yt, z) => tf.tidy(() => tf.relu(z).sub(z.mul(yt)).add(tf.log1p(tf.exp(z.abs().neg()))).mean(-1)),
  },
  cce_logits: {
    keras: 'categorical_crossentropy', fromLogits: true,
    tfjs: (yt, z) => tf.tidy(() => yt.mul(tf.logSoftmax(z)).sum(-1).neg()),
  },
  // TF.js checks a custom loss's targets against the output's shape, so this one gets one-hot rows (the same
  // numbers as class ids through a sparse loss); the fixture keeps the class ids ShapeLab is given.
  sparse_logits: {
    keras: 'sparse_categorical_crossentropy', fromLogits: true, oneHotForTfjs: true,
    tfjs: (yt, z) => tf.tidy(() => yt.mul(tf.logSoftmax(z)).sum(-1).neg()),
  },
};

// Adam is Keras's (KerasAdam in tfjs-models.mjs): TF.js's own divides by sqrt(v_hat) + epsilon.
const OPTIMIZERS = {
  sgd: { keras: { name: 'sgd', learning_rate: 0.01 }, make: () => tf.train.sgd(0.01) },
  sgd_momentum: { keras: { name: 'sgd', learning_rate: 0.05, momentum: 0.9 }, make: () => tf.train.momentum(0.05, 0.9, false) },
  sgd_nesterov: { keras: { name: 'sgd', learning_rate: 0.05, momentum: 0.9, nesterov: true }, make: () => tf.train.momentum(0.05, 0.9, true) },
  adam: { keras: { name: 'adam', learning_rate: 0.01 }, make: () => new KerasAdam(0.01) },
  rmsprop: { keras: { name: 'rmsprop', learning_rate: 0.01 }, make: () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7) },
  rmsprop_momentum: { keras: { name: 'rmsprop', learning_rate: 0.01, momentum: 0.5 }, make: () => tf.train.rmsprop(0.01, 0.9, 0.5, 1e-7) },
};

const CASES = [];
const T = (id, build, { loss = 'mse', optimizer = 'adam', batches = [4, 4, 2], ids = 0, classes } = {}) =>
  CASES.push({ id, build, loss, optimizer, batches, ids, classes });

// Every loss and optimizer on a small MLP.
for (const loss of Object.keys(LOSSES)) {
  for (const optimizer of Object.keys(OPTIMIZERS)) {
    const head = ['bce', 'bce_logits'].includes(loss) ? 2 : 3;
    const act = loss.endsWith('logits') || ['mse', 'mae', 'huber'].includes(loss) ? 'linear'
      : loss === 'bce' ? 'sigmoid' : 'softmax';
    T(`mlp_${loss}_${optimizer}`, (L) => [
      L.dense({ units: 5, activation: 'tanh', inputShape: [4] }),
      L.dense({ units: head, activation: act }),
    ], { loss, optimizer });
  }
}
// Every trainable layer family, with Adam.
const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'softmax', 'elu', 'selu', 'softplus', 'softsign', 'swish', 'gelu', 'relu6',
  'mish', 'logSoftmax', 'linear'];
for (const a of ACTIVATIONS) T(`dense_activation_${a}`, (L) => [L.dense({ units: 3, activation: a, inputShape: [4] })]);
T('dense_rank3_no_bias', (L) => [L.dense({ units: 3, activation: 'tanh', inputShape: [5, 2] }), L.dense({ units: 2, useBias: false })]);
T('activation_layers', (L) => [L.dense({ units: 4, inputShape: [3] }), L.activation({ activation: 'elu' }), L.activation({ activation: 'softmax' })]);
for (const padding of ['valid', 'same']) {
  T(`conv1d_${padding}`, (L) => [L.conv1d({ filters: 3, kernelSize: 3, padding, activation: 'relu', inputShape: [8, 2] }), L.flatten(), L.dense({ units: 2 })]);
  T(`conv1d_${padding}_strides2`, (L) => [L.conv1d({ filters: 2, kernelSize: 3, strides: 2, padding, inputShape: [9, 2] }), L.globalAveragePooling1d()]);
  T(`conv2d_${padding}`, (L) => [L.conv2d({ filters: 3, kernelSize: 3, padding, activation: 'relu', inputShape: [6, 5, 2] }), L.flatten(), L.dense({ units: 2 })]);
  T(`conv2d_${padding}_strides2`, (L) => [L.conv2d({ filters: 2, kernelSize: 3, strides: 2, padding, inputShape: [7, 6, 1] }), L.globalAveragePooling2d()]);
  T(`conv2d_${padding}_channels_first`, (L) => [L.conv2d({ filters: 2, kernelSize: 3, padding, dataFormat: 'channelsFirst', activation: 'tanh', inputShape: [2, 6, 5] }), L.flatten({ dataFormat: 'channelsFirst' }), L.dense({ units: 2 })]);
  T(`max_pooling1d_${padding}`, (L) => [L.dense({ units: 3, activation: 'tanh', inputShape: [7, 2] }), L.maxPooling1d({ poolSize: 2, padding }), L.flatten()]);
  // TF.js's gradient of "same" average pooling divides the edge windows by the whole window (its forward pass by the
  // values inside): checked against its own finite differences, it is off by up to 4x there. Only "valid" here.
  if (padding === 'same') continue;
  T(`average_pooling1d_${padding}`, (L) => [L.dense({ units: 3, activation: 'tanh', inputShape: [7, 2] }), L.averagePooling1d({ poolSize: 3, strides: 2, padding }), L.flatten()]);
  T(`average_pooling2d_${padding}`, (L) => [L.conv2d({ filters: 2, kernelSize: 2, inputShape: [6, 5, 1] }), L.averagePooling2d({ poolSize: 2, padding }), L.flatten()]);
}
for (const padding of ['valid', 'same']) {
  T(`max_pooling2d_${padding}`, (L) => [L.conv2d({ filters: 2, kernelSize: 2, inputShape: [6, 5, 1] }), L.maxPooling2d({ poolSize: 2, padding }), L.flatten()]);
}
T('global_max_pooling', (L) => [L.conv1d({ filters: 2, kernelSize: 2, activation: 'tanh', inputShape: [8, 3] }), L.globalMaxPooling1d()]);
T('global_pooling_2d_channels_first', (L) => [L.conv2d({ filters: 2, kernelSize: 2, dataFormat: 'channelsFirst', inputShape: [2, 4, 4] }), L.globalAveragePooling2d({ dataFormat: 'channelsFirst' })]);
T('reshape_permute', (L) => [L.dense({ units: 6, activation: 'tanh', inputShape: [4] }), L.reshape({ targetShape: [3, 2] }), L.permute({ dims: [2, 1] }), L.flatten(), L.dense({ units: 2 })]);
// No bias before BatchNormalization: the batch mean cancels it, so its true gradient is 0 and Adam would turn float
// rounding noise into full steps (as in Keras: a bias there is wasted, and users leave it out).
T('batch_normalization', (L) => [L.dense({ units: 4, useBias: false, inputShape: [3] }), L.batchNormalization(), L.dense({ units: 2 })], { batches: [5, 5, 3] });
T('batch_normalization_sequence', (L) => [L.batchNormalization({ inputShape: [4, 3] }), L.flatten(), L.dense({ units: 2 })], { batches: [4, 3] });
T('embedding', (L) => [L.embedding({ inputDim: 7, outputDim: 3, inputLength: 5 }), L.flatten(), L.dense({ units: 2 })], { ids: 7 });
T('time_distributed_dense', (L) => [L.timeDistributed({ layer: L.dense({ units: 3, activation: 'relu' }), inputShape: [4, 2] }), L.flatten()]);
for (const [fn, tag] of [['simpleRNN', 'simple_rnn'], ['lstm', 'lstm'], ['gru', 'gru']]) {
  const extra = fn === 'gru' ? { resetAfter: false } : {};
  T(`${tag}_last`, (L) => [L[fn]({ units: 3, inputShape: [5, 2], ...extra }), L.dense({ units: 1 })]);
  T(`${tag}_sequences`, (L) => [L[fn]({ units: 2, returnSequences: true, inputShape: [4, 3], ...extra }), L.flatten()]);
  T(`${tag}_go_backwards`, (L) => [L[fn]({ units: 2, goBackwards: true, inputShape: [4, 2], ...extra })]);
  T(`${tag}_one_unit`, (L) => [L[fn]({ units: 1, returnSequences: true, inputShape: [3, 2], ...extra }), L.flatten()]);
  T(`${tag}_masked`, (L) => [L.embedding({ inputDim: 4, outputDim: 2, inputLength: 5, maskZero: true }), L[fn]({ units: 3, ...extra })], { ids: 4 });
  T(`${tag}_no_bias_relu`, (L) => [L[fn]({ units: 2, useBias: false, activation: 'relu', inputShape: [4, 2], ...extra })]);
}
T('lstm_sparse_classifier', (L) => [L.lstm({ units: 4, inputShape: [6, 2] }), L.dense({ units: 3, activation: 'softmax' })], { loss: 'sparse' });

function labels(rand, lossKey, outShape, n) {
  const last = outShape[outShape.length - 1];
  const perSample = size(outShape.slice(1));
  if (lossKey.startsWith('sparse')) {
    // One class id per prediction, with a last axis of 1 as TF.js's sparse loss wants it (Keras takes both forms).
    const count = perSample / last;
    const data = new Float32Array(n * count);
    for (let i = 0; i < data.length; i++) data[i] = Math.floor(rand() * last);
    return tf.tensor(data, [n, ...outShape.slice(1, -1), 1]);
  }
  if (lossKey.startsWith('cce')) {
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
  return tf.tensor(uniformArray(rand, n * perSample, -1, 1).map((v) => Math.fround(Number(v.toPrecision(4)))),
    [n, ...outShape.slice(1)]);
}

const short = (v) => Math.fround(Number(v.toPrecision(4)));
const record = (t) => ({ shape: t.shape.slice(), data: Array.from(t.dataSync(), num) });

async function runCase(c) {
  const model = buildModel(c);
  const rand = mulberry32(seedOf(c.id));
  const initial = seedWeights(model, (name, n) => (name === 'moving_variance'
    ? uniformArray(rand, n, 0.5, 1.5) : uniformArray(rand, n, -0.5, 0.5)).map(short));
  const loss = LOSSES[c.loss];
  model.compile({ optimizer: OPTIMIZERS[c.optimizer].make(), loss: loss.tfjs });
  const inShape = model.layers[0].batchInputShape;
  const batches = [];
  const losses = [];
  for (const n of c.batches) {
    const shape = [n, ...inShape.slice(1)];
    const x = c.ids
      ? tf.tensor(Float32Array.from({ length: size(shape) }, () => Math.floor(rand() * c.ids)), shape)
      : tf.tensor(uniformArray(rand, size(shape), -1, 1).map(short), shape);
    const y = labels(rand, c.loss, model.outputShape, n);
    const last = model.outputShape[model.outputShape.length - 1];
    const yTfjs = loss.oneHotForTfjs ? tf.oneHot(y.reshape([-1]).toInt(), last).reshape([n, ...model.outputShape.slice(1)])
      .toFloat() : y;
    const value = await model.trainOnBatch(x, yTfjs);
    if (yTfjs !== y) yTfjs.dispose();
    losses.push(num(Array.isArray(value) ? value[0] : value));
    batches.push({ x: record(x), y: record(y) });
    tf.dispose([x, y]);
  }
  const after = [];
  for (const layer of model.layers) {
    for (const w of layer.weights) {
      after.push({ layer: layer.name, name: w.originalName.slice(w.originalName.lastIndexOf('/') + 1), shape: w.shape.slice(), data: Array.from(w.read().dataSync(), num) });
    }
  }
  const first = batches[0];
  const ex = tf.tensor(first.x.data, first.x.shape);
  const ey0 = tf.tensor(first.y.data, first.y.shape);
  const ey = loss.oneHotForTfjs ? tf.oneHot(ey0.reshape([-1]).toInt(), model.outputShape[model.outputShape.length - 1])
    .reshape([first.y.shape[0], ...model.outputShape.slice(1)]).toFloat() : ey0;
  const evaluated = model.evaluate(ex, ey, { batchSize: 32 });
  const evalLoss = num((Array.isArray(evaluated) ? evaluated[0] : evaluated).dataSync()[0]);
  tf.dispose([ex, ey, ey0]);
  const rec = {
    id: c.id,
    model: model.toJSON(null, false),
    optimizer: OPTIMIZERS[c.optimizer].keras,
    loss: { name: loss.keras, from_logits: loss.fromLogits ?? false },
    initial_weights: initial,
    batches,
    losses,
    final_weights: after,
    evaluate_first_batch_loss: evalLoss,
  };
  model.dispose();
  return rec;
}

const cases = [];
for (const c of CASES) cases.push(await runCase(c));
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${toJson({ generator: 'tools/keras-reference/training.mjs', tfjs_version: TFJS_VERSION, cases })}\n`);
process.stderr.write(`wrote ${OUT}: ${cases.length} cases\n`);

