// node --import tsx --import ./scripts/lib/register-hooks.mjs scripts/bench/profile.ts [--backend wasm] [--size 256]
//   [--classes 2] [--loss a,b]
// tf.profile of one warm value + gradient per loss: kernel launches, new bytes, and the kernels that take the
// most time (kernelTimeMs as the backend reports it; on wasm and cpu it is wall time per kernel). For finding
// what to fuse; numbers only, nothing asserts on them.
import { lossAndGrad } from '../../src/compute';
import { GroundTruthContext } from '../../src/engine/gt-context';
import { benchInputs } from '../../src/golden/bench';
import { loadInverseFormNetFromFile } from '../../src/inverseform/load-node';
import { IMPLEMENTED_LOSSES } from '../../src/registry';
import { tf } from '../../src/tf';
import { selectNodeBackend } from '../lib/node-backend';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] as string) : dflt;
};
const backend = opt('--backend', 'wasm') as 'cpu' | 'wasm';
const size = Number(opt('--size', '256'));
const classes = Number(opt('--classes', '2'));
const only = opt('--loss', '');
const top = Number(opt('--top', '8'));

await selectNodeBackend(backend);
await loadInverseFormNetFromFile().catch(() => {});
const ids = only ? only.split(',') : IMPLEMENTED_LOSSES.map((d) => d.id);
const { logits: l, target: t } = benchInputs(size, classes);
const logits = tf.tensor4d(l, [1, size, size, classes]);
const target = tf.tensor3d(t, [1, size, size], 'int32');
for (const id of ids) {
  const ctx = GroundTruthContext.fromLabels(t, [1, size, size], classes);
  const call = async () => {
    const { value, grad } = lossAndGrad(id, logits, target, {}, ctx);
    await value.data();
    await grad.data();
    value.dispose();
    grad.dispose();
  };
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
