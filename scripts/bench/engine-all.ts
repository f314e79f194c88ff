// node --import tsx --import ./scripts/lib/register-hooks.mjs scripts/bench/engine-all.ts [SIZE]
// Times the engine's evaluateLosses on all 25 losses (value + every gradient, one packed read-back) at SIZE²
// (default 256), C = 2, Node wasm: 9 updates, then the median update and the median of each loss's own time.
import { evaluateLosses } from '../../src/engine/evaluate';
import { IMPLEMENTED_LOSSES } from '../../src/registry';
import { nodeBenchInputs } from './node-bench-inputs';

const size = Number(process.argv[2] ?? 256);
const { hostLogits: l, logits, target, context } = await nodeBenchInputs('wasm', size, 2);
const ctx = context();
const reqs = IMPLEMENTED_LOSSES.map((d) => ({ id: d.id }));
const times: number[] = [];
const per: Record<string, number[]> = {};
for (let k = 0; k < 9; k++) {
  const t0 = performance.now();
  const r = evaluateLosses(logits, target, reqs, ctx, { hostLogits: l });
  times.push(performance.now() - t0);
  for (const x of r.results) {
    per[x.id] = per[x.id] ?? [];
    per[x.id]?.push(x.ms);
  }
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
console.log('all 25 engine ms', times.map((x) => x.toFixed(0)).join(' '), 'median', med(times.slice(2)).toFixed(1));
const rows = Object.entries(per)
  .map(([id, a]) => [id, med(a.slice(2))] as const)
  .sort((a, b) => b[1] - a[1]);
for (const [id, m] of rows) console.log(id.padEnd(30), m.toFixed(1));
