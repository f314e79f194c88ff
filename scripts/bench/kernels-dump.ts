// node --import tsx --import ./scripts/lib/register-hooks.mjs scripts/bench/kernels-dump.ts [LOSS] [SIZE]
// tf.profile of one warm value + gradient of one loss (default inverseform, 256², C = 2, Node wasm): every kernel
// over 0.15 ms in order, with its input and output shapes and time ("unnamed scope" = a custom-gradient op, which
// includes the kernels listed before it). Numbers only.
import { lossAndGrad } from '../../src/compute';
import { GroundTruthContext } from '../../src/engine/gt-context';
import { benchInputs } from '../../src/golden/bench';
import { loadInverseFormNetFromFile } from '../../src/inverseform/load-node';
import { tf } from '../../src/tf';
import { selectNodeBackend } from '../lib/node-backend';

const id = process.argv[2] ?? 'inverseform';
const size = Number(process.argv[3] ?? 256);
await selectNodeBackend('wasm');
await loadInverseFormNetFromFile();
const { logits: l, target: t } = benchInputs(size, 2);
const logits = tf.tensor4d(l, [1, size, size, 2]);
const target = tf.tensor3d(t, [1, size, size], 'int32');
const ctx = GroundTruthContext.fromLabels(t, [1, size, size], 2);
const call = async () => {
  const { value, grad } = lossAndGrad(id, logits, target, {}, ctx);
  await value.data();
  await grad.data();
  value.dispose();
  grad.dispose();
};
for (let i = 0; i < 3; i++) await call();
const info = await tf.profile(call);
let tot = 0;
for (const k of info.kernels) {
  const ms = (await k.kernelTimeMs) as number;
  if (k.name !== 'unnamed scope') tot += ms;
  if (ms > 0.15)
    console.log(
      k.name.padEnd(24),
      ms.toFixed(2).padStart(7),
      JSON.stringify(k.inputShapes),
      '->',
      JSON.stringify(k.outputShapes),
    );
}
console.log('kernel total (no scopes)', tot.toFixed(1));
