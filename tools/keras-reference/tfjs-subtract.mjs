// Subtract: Keras has it, TF.js 4.22 does not. A TF.js layer of class Subtract (tf.sub, Keras's shape rule of the
// elementwise merges) stands in; it serialises as Keras's {"class_name": "Subtract"} and is registered, so that
// TF.js also reads such JSON back (graphs.mjs makes models with it, check-readable-graphs.mjs reads them).
import { tf } from './tfjs-models.mjs';


function broadcastShapes(a, b) {
  if (a.length !== b.length) throw new Error(`Subtract of ranks ${a.length} and ${b.length}`);
  return a.map((x, i) => {
    const y = b[i];
    if (x == null || y == null) return x ?? y;
    if (x === 1) return y;
    if (y === 1) return x;
    if (x !== y) throw new Error(`Inputs have incompatible shapes ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
    return x;
  });
}

export class Subtract extends tf.layers.Layer {
  static className = 'Subtract';

  constructor(args) {
    super(args);
    this.supportsMasking = true;
  }

  computeOutputShape(inputShape) {
    if (!Array.isArray(inputShape[0]) || inputShape.length !== 2) {
      throw new Error('A `Subtract` layer should be called on exactly 2 inputs');
    }
    return broadcastShapes(inputShape[0], inputShape[1]);
  }

  call(inputs) {
    return tf.tidy(() => tf.sub(inputs[0], inputs[1]));
  }

  computeMask() {
    return null;
  }
}
tf.serialization.registerClass(Subtract);
