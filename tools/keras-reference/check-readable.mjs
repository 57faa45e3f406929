// Checks that TensorFlow.js reads the Keras JSON ShapeLab writes, and gets the shapes and parameter
// counts it reported when it built the same model (src/test/resources/keras-reference/models.json).
//
// Usage: node check-readable.mjs DIR   (DIR holds <case id>.json files, written by KerasJsonExportTest)
// Prints "N passed, M failed" and exits non-zero on any failure.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf } from './quiet-tfjs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dir = resolve(process.argv[2] ?? '');
const reference = JSON.parse(readFileSync(join(here, '..', '..', 'src', 'test', 'resources', 'keras-reference',
  'models.json'), 'utf8'));
const expectedById = new Map(reference.cases.map((c) => [c.id, c]));

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
let passed = 0;
const failures = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const id = file.slice(0, -'.json'.length);
  const expected = expectedById.get(id);
  try {
    if (!expected) throw new Error('no reference case with this id');
    const topology = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const model = await tf.models.modelFromJSON({ modelTopology: topology });
    const problems = [];
    // TF.js lists an explicit InputLayer among a Sequential's layers; Keras (and the reference) do not.
    const layers = model.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
    if (layers.length !== expected.layers.length) {
      problems.push(`layers ${layers.length} != ${expected.layers.length}`);
    }
    layers.forEach((layer, i) => {
      const want = expected.layers[i];
      if (!want) return;
      // TF.js leaves a Reshape -1 axis unknown; the reference resolved it from a real run.
      const got = layer.outputShape.map((d, k) => (d === null && want.output_shape[k] !== null ? want.output_shape[k] : d));
      if (layer.name !== want.name) problems.push(`layer ${i} name ${layer.name} != ${want.name}`);
      if (!same(got, want.output_shape)) problems.push(`${layer.name} output ${JSON.stringify(layer.outputShape)} != ${JSON.stringify(want.output_shape)}`);
      if (layer.countParams() !== want.params) problems.push(`${layer.name} params ${layer.countParams()} != ${want.params}`);
    });
    if (model.countParams() !== expected.total_params) problems.push(`total ${model.countParams()} != ${expected.total_params}`);
    if (problems.length) throw new Error(problems.join('; '));
    passed++;
  } catch (e) {
    failures.push(`${id}: ${e.message}`);
  }
}
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`TF.js read ShapeLab's Keras JSON: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length === 0 && passed > 0 ? 0 : 1);
