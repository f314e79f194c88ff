// node --import tsx --import ./scripts/lib/register-hooks.mjs scripts/bench/profile.ts [--backend wasm] [--size 256]
//   [--classes 2] [--loss a,b]
// tf.profile of one warm value + gradient per loss: kernel launches, new bytes, and the kernels that take the
// most time (kernelTimeMs as the backend reports it; on wasm and cpu it is wall time per kernel). For finding
// what to fuse; numbers only, nothing asserts on them.
import { IMPLEMENTED_LOSSES } from '../../src/registry';
import { tf } from '../../src/tf';
import { cliOption } from './cli-option';
import { lossAndGradSettled, nodeBenchInputs } from './node-bench-inputs';

const backend = cliOption('--backend', 'wasm') as 'cpu' | 'wasm';
const size = Number(cliOption('--size', '256'));
const classes = Number(cliOption('--classes', '2'));
const only = cliOption('--loss', '');
const top = Number(cliOption('--top', '8'));

const inputs = await nodeBenchInputs(backend, size, classes);
const ids = only ? only.split(',') : IMPLEMENTED_LOSSES.map((d) => d.id);
for (const id of ids) {
  const ctx = inputs.context();
  const call = () => lossAndGradSettled(id, inputs, ctx);
  await call();
  await call();
  const t0 = performance.now();
  await call();
  const wall = performance.now() - t0;
  const info = await tf.profile(call);
  const byName = new Map<string, { n: number; ms: number }>();
  for (const k of info.kernels) {
    const e = byName.get(k.name) ?? { n: 0, ms: 0 };
    e.n++;
    e.ms += (await k.kernelTimeMs) as number;
    byName.set(k.name, e);
  }
  const sorted = [...byName.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, top);
  // kernels with an output of at least one value per pixel: the ones whose count matters (the rest work on [N, C]
  // sums and scalars and cost microseconds each)
  const pixels = size * size;
  const fullSize = info.kernels.filter((k) =>
    k.outputShapes.some((s) => (s ?? []).reduce((a, b) => a * b, 1) >= pixels),
  ).length;
  console.log(
    `${id}: ${wall.toFixed(1)} ms, ${info.kernels.length} kernels (${fullSize} full-size), ${(info.newBytes / 2 ** 20).toFixed(1)} MiB new, peak ${(info.peakBytes / 2 ** 20).toFixed(1)} MiB`,
  );
  console.log(`   ${sorted.map(([k, e]) => `${k}×${e.n} ${e.ms.toFixed(1)}`).join(', ')}`);
  ctx.dispose();
}
