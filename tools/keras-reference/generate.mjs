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
import {
  TFJS_VERSION, buildModel, describeModel, inputShapeOf, intArray, isEmbeddingModel, layerShapes, mulberry32,
  note, num, oracleModel, seedOf, seedWeights, shortWeightName, size, tf, toJson, uniformArray,
} from './tfjs-models.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT_DIR = resolve(HERE, '..', '..', 'src', 'test', 'resources', 'keras-reference');
const GENERATOR = 'tools/keras-reference/generate.mjs';

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

  const weights = seedWeights(model, (name, n) => (name === 'moving_variance'
    ? uniformArray(rand, n, 0.5, 1.5)
    : uniformArray(rand, n, -0.5, 0.5)));

  const inputData = isEmbeddingModel(model)
    ? intArray(rand, size(inShape), model.layers[0].getConfig().inputDim)
    : uniformArray(rand, size(inShape), -1, 1);
  const x = tf.tensor(inputData, inShape);
  let y = model.predict(x);
  const oracle = oracleModel(caseDef, model);
  if (oracle) {
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
// Writing the fixtures
// ---------------------------------------------------------------------------------------------

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
