// Checks that TensorFlow.js reads the Keras JSON ShapeLab writes for the models of issue 11 (functional graphs,
// merges, shared layers, Bidirectional, return_state, stateful, RepeatVector, Masking) and computes with it what it
// computed for the same model when graphs.mjs made the reference: same layers, output shapes and parameter counts,
// and, with the reference's weights, the same outputs for every run (states carried and reset as recorded) wherever
// the reference is TF.js's own computation.
//
// Usage: node check-readable-graphs.mjs DIR   (DIR holds <case id>.json files, written by GraphReferenceTest)
// Prints "N passed, M failed" and exits non-zero on any failure.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf } from './quiet-tfjs.mjs';
import './tfjs-subtract.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dir = resolve(process.argv[2] ?? '');
const lines = readFileSync(join(here, '..', '..', 'src', 'test', 'resources', 'keras-reference', 'graphs',
  'cases.jsonl'), 'utf8').split('\n').slice(1).filter((l) => l.trim());
const byId = new Map(lines.map((l) => JSON.parse(l)).map((c) => [c.id, c]));
const tensor = (a) => tf.tensor(a.data, a.shape, 'float32');

let passed = 0;
const failures = [];
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const id = file.slice(0, -'.json'.length);
  const c = byId.get(id);
  try {
    if (!c) throw new Error('no reference case with this id');
    const model = await tf.models.modelFromJSON({ modelTopology: JSON.parse(readFileSync(join(dir, file), 'utf8')) });
    const problems = [];
    const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
    const want = c.layers.filter((l) => l.class_name !== 'InputLayer');
    if (layers.map((l) => l.name).join() !== want.map((l) => l.name).join()) {
      problems.push(`layers ${layers.map((l) => l.name)} != ${want.map((l) => l.name)}`);
    }
    // TF.js's Bidirectional has no backward_layer: it reads such a layer as the forward layer and its own copy.
    const noBackwardLayer = c.note && c.note.includes('backward_layer');
    for (const layer of layers) {
      const w = want.find((l) => l.name === layer.name);
      if (noBackwardLayer && layer.getClassName() === 'Bidirectional') continue;
      if (w && layer.countParams() !== w.params) problems.push(`${layer.name} params ${layer.countParams()} != ${w.params}`);
      if (w) {
        const weights = c.weights.filter((x) => x.layer === layer.name).map(tensor);
        // TF.js's Bidirectional has no backward_layer, so a case that gives one (it has a note) keeps TF.js's
        // copy of the forward layer, whose weights may not fit; its numbers are not compared anyway.
        if (weights.length && !(c.note && c.note.includes('backward_layer'))) layer.setWeights(weights);
      }
    }
    if (!noBackwardLayer && model.countParams() !== c.total_params) problems.push(`total ${model.countParams()} != ${c.total_params}`);
    // A case with a note holds Keras's numbers where TF.js computes otherwise (see its note): only the structure of
    // those is compared here, since TF.js would compute its own way from any JSON.
    (c.note ? [] : c.runs).forEach((run, r) => {
      if (run.reset_states_before) model.resetStates();
      const inputs = run.inputs.map(tensor);
      let outputs = model.predict(inputs.length === 1 ? inputs[0] : inputs);
      outputs = Array.isArray(outputs) ? outputs : [outputs];
      outputs.forEach((out, o) => {
        const expected = run.outputs[o].data;
        const got = out.dataSync();
        for (let i = 0; i < expected.length; i++) {
          if (Math.abs(got[i] - expected[i]) > 1e-5 * Math.max(1, Math.abs(expected[i]))) {
            problems.push(`run ${r} output ${o} value ${i}: ${got[i]} != ${expected[i]}`);
            break;
          }
        }
      });
    });
    if (problems.length) throw new Error(problems.slice(0, 3).join('; '));
    passed++;
  } catch (e) {
    failures.push(`${id}: ${e.message}`);
  }
}
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`TF.js read ShapeLab's functional Keras JSON: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length === 0 && passed > 0 ? 0 : 1);
