// Value and gradient of an older checkout's losses against this one's, on the bench's noisy inputs and on a
// saturated one (hard logits of a disc: exact ties in max-pool windows), at a size that tiles exactly and at one
// that is resized:
//   node --import tsx --import ./scripts/lib/register-hooks.mjs scripts/bench/ab-values.ts --old /tmp/old \
//     [--backend wasm] [--loss a,b]
// Prints per loss and input the relative value difference and the gradient difference relative to the largest
// gradient entry. Numbers only (for commit messages and reviews).
import { resolve } from 'node:path';
import { lossAndGrad } from '../../src/compute';
import { GroundTruthContext } from '../../src/engine/gt-context';
import { benchInputs } from '../../src/golden/bench';
import { IMPLEMENTED_LOSSES } from '../../src/registry';
import { tf } from '../../src/tf';
import type { LossDefinition } from '../../src/types';
import { selectNodeBackend } from '../lib/node-backend';
import { cliOption } from './cli-option';
import { loadOldCheckout } from './old-checkout';

const oldRoot = resolve(cliOption('--old', ''));
await selectNodeBackend(cliOption('--backend', 'wasm') as 'cpu' | 'wasm');
const oldRegistry = await loadOldCheckout(oldRoot);

function disc(size: number) {
  const logits = new Float32Array(size * size * 2);
  const target = new Int32Array(size * size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const inPred = Math.hypot(x - size * 0.45, y - size * 0.5) < size * 0.3;
      target[i] = Math.hypot(x - size * 0.5, y - size * 0.5) < size * 0.3 ? 1 : 0;
      logits[i * 2] = inPred ? -20 : 20;
      logits[i * 2 + 1] = inPred ? 20 : -20;
    }
  return { logits, target };
}
const inputs = [
  { name: 'noisy 256', size: 256, ...benchInputs(256, 2) },
  { name: 'noisy 200', size: 200, ...benchInputs(200, 2) },
  { name: 'disc 256', size: 256, ...disc(256) },
  { name: 'disc 200', size: 200, ...disc(200) },
];
const only = cliOption('--loss', '');
const ids = only ? only.split(',') : IMPLEMENTED_LOSSES.map((d) => d.id);
for (const id of ids) {
  const now = IMPLEMENTED_LOSSES.find((d) => d.id === id) as LossDefinition;
  const old = oldRegistry.getLoss(id);
  for (const inp of inputs) {
    const { size } = inp;
    const logits = tf.tensor4d(inp.logits, [1, size, size, 2]);
    const target = tf.tensor3d(Int32Array.from(inp.target), [1, size, size], 'int32');
    const run = (def: LossDefinition) => {
      const ctx = GroundTruthContext.fromLabels(inp.target, [1, size, size], 2);
      const { value, grad } = lossAndGrad(def, logits, target, {}, ctx);
      const out = { v: value.dataSync()[0] as number, g: grad.dataSync().slice() };
      tf.dispose([value, grad]);
      ctx.dispose();
      return out;
    };
    const a = run(old);
    const b = run(now);
    let gmax = 0;
    let gerr = 0;
    for (let i = 0; i < a.g.length; i++) {
      gmax = Math.max(gmax, Math.abs(a.g[i] as number));
      gerr = Math.max(gerr, Math.abs((a.g[i] as number) - (b.g[i] as number)));
    }
    const verr = Math.abs(a.v - b.v) / Math.max(Math.abs(a.v), 1e-30);
    console.log(
      `${id.padEnd(28)} ${inp.name.padEnd(10)} value ${a.v.toPrecision(8)} rel.diff ${verr.toExponential(1)}  grad diff / max ${(gerr / (gmax || 1)).toExponential(1)}`,
    );
    tf.dispose([logits, target]);
  }
}
