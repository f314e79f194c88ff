// Interleaved before/after timing of loss implementations, for a machine whose load drifts (shared CPUs):
//   git archive <old-commit> | tar -x -C /tmp/old && ln -s $PWD/node_modules /tmp/old/node_modules
//   node --import tsx --import ./scripts/lib/register-hooks.mjs scripts/bench/ab.ts --old /tmp/old \
//     [--backend wasm] [--size 256] [--classes 2] [--loss a,b] [--reps 7] [--json FILE]
// Loads the old checkout's registry next to this one (same TF.js instance), then times old and new value +
// gradient alternately, call by call, on the same inputs: both medians see the same load. Numbers only.
import { writeFileSync } from 'node:fs';
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
import { machineInfo } from './report';

const oldRoot = resolve(cliOption('--old', ''));
const backend = cliOption('--backend', 'wasm') as 'cpu' | 'wasm';
const size = Number(cliOption('--size', '256'));
const classes = Number(cliOption('--classes', '2'));
const reps = Number(cliOption('--reps', '7'));
const only = cliOption('--loss', '');
const json = cliOption('--json', '');

await selectNodeBackend(backend);
const oldRegistry = await loadOldCheckout(oldRoot);

const { logits: l, target: t } = benchInputs(size, classes);
const logits = tf.tensor4d(l, [1, size, size, classes]);
const target = tf.tensor3d(t, [1, size, size], 'int32');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const rows: { loss: string; classes: number; size: number; backend: string; oldMs: number; newMs: number }[] = [];
const ids = only ? only.split(',') : IMPLEMENTED_LOSSES.map((d) => d.id);
for (const id of ids) {
  const defs = { old: oldRegistry.getLoss(id), now: IMPLEMENTED_LOSSES.find((d) => d.id === id) as LossDefinition };
  const ctxs = {
    old: GroundTruthContext.fromLabels(t, [1, size, size], classes),
    now: GroundTruthContext.fromLabels(t, [1, size, size], classes),
  };
  const call = async (which: 'old' | 'now') => {
    const t0 = performance.now();
    const { value, grad } = lossAndGrad(defs[which], logits, target, {}, ctxs[which]);
    await value.data();
    await grad.data();
    value.dispose();
    grad.dispose();
    return performance.now() - t0;
  };
  for (let i = 0; i < 2; i++) {
    await call('old');
    await call('now');
  }
  const times = { old: [] as number[], now: [] as number[] };
  for (let i = 0; i < reps; i++) {
    const first = i % 2 === 0 ? 'old' : 'now';
    const second = first === 'old' ? 'now' : 'old';
    times[first].push(await call(first));
    times[second].push(await call(second));
  }
  const row = {
    loss: id,
    classes,
    size,
    backend: `node-${backend}`,
    oldMs: median(times.old),
    newMs: median(times.now),
  };
  rows.push(row);
  console.log(`| ${id} | ${row.oldMs.toFixed(1)} | ${row.newMs.toFixed(1)} | ${(row.newMs / row.oldMs).toFixed(2)}× |`);
  ctxs.old.dispose();
  ctxs.now.dispose();
}
const sum = (k: 'oldMs' | 'newMs') => rows.reduce((a, r) => a + r[k], 0);
console.log(
  `| **total** | ${sum('oldMs').toFixed(0)} | ${sum('newMs').toFixed(0)} | ${(sum('newMs') / sum('oldMs')).toFixed(2)}× |`,
);
if (json) writeFileSync(json, `${JSON.stringify({ machine: machineInfo(), old: oldRoot, rows }, null, 2)}\n`);
