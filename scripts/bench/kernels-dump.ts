// node --import tsx --import ./scripts/lib/register-hooks.mjs scripts/bench/kernels-dump.ts [LOSS] [SIZE]
// tf.profile of one warm value + gradient of one loss (default inverseform, 256², C = 2, Node wasm): every kernel
// over 0.15 ms in order, with its input and output shapes and time ("unnamed scope" = a custom-gradient op, which
// includes the kernels listed before it). Numbers only.
import { tf } from '../../src/tf';
import { lossAndGradSettled, nodeBenchInputs } from './node-bench-inputs';

const id = process.argv[2] ?? 'inverseform';
const size = Number(process.argv[3] ?? 256);
const inputs = await nodeBenchInputs('wasm', size, 2);
const ctx = inputs.context();
const call = () => lossAndGradSettled(id, inputs, ctx);
for (let i = 0; i < 3; i++) await call();
const info = await tf.profile(call);
let tot = 0;
for (const k of info.kernels) {
  const ms = (await k.kernelTimeMs) as number;
  if (k.name !== 'unnamed scope') tot += ms;
  if (ms > Number(process.env.MIN_MS ?? 0.15))
    console.log(
      k.name.padEnd(24),
      ms.toFixed(2).padStart(7),
      JSON.stringify(k.inputShapes),
      '->',
      JSON.stringify(k.outputShapes),
    );
}
console.log('kernel total (no scopes)', tot.toFixed(1));
