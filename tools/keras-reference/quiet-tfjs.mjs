// TensorFlow.js as the reference scripts use it: the CPU backend without its banner and without the
// Orthogonal-initializer warning TF.js prints for big matrices (those weights are overwritten or unused).
import * as tf from '@tensorflow/tfjs';

tf.env().set('PROD', true);

const consoleWarn = console.warn;
console.warn = (...args) => {
  if (typeof args[0] === 'string' && args[0].startsWith('Orthogonal initializer is being called')) return;
  consoleWarn(...args);
};

export { tf };
