// node --import tsx --import ./scripts/lib/register-hooks.mjs scripts/bench/pixel-matmul.ts [SIZE]
// Why src/ops/pixel-matmul.ts blocks pixels: a per-pixel product with a small matrix on Node wasm, as a plain
// [pixels, k] × [k, n] MatMul and with 2 and 4 pixels per row (block-diagonal matrix), median ms of 60.
// Numbers only, nothing asserts on them.
import { tf } from '../../src/tf';
import { selectNodeBackend } from '../lib/node-backend';

const size = Number(process.argv[2] ?? 256);
await selectNodeBackend('wasm');
const pixels = size * size;

function blockDiagonal(m: number[], k: number, n: number, b: number): Float32Array {
  const out = new Float32Array(b * k * b * n);
  for (let r = 0; r < b; r++)
    for (let i = 0; i < k; i++)
      for (let j = 0; j < n; j++) out[(r * k + i) * b * n + r * n + j] = m[i * n + j] as number;
  return out;
}

const shapes: [string, number, number, number[]][] = [
  ['2×2 (margins)', 2, 2, [1, -1, -1, 1]],
  ['3×2 ([y | 1] affine)', 3, 2, [0.5, -1, 2, 3, -0.25, 1]],
];
for (const [label, k, n, m] of shapes) {
  const x = tf.randomNormal([pixels, k]);
  const cells: string[] = [];
  for (const b of [1, 2, 4]) {
    const xr = tf.reshape(x, [-1, b * k]) as tf.Tensor2D;
    const run = () => tf.tidy(() => tf.matMul(xr, tf.tensor2d(blockDiagonal(m, k, n, b), [b * k, b * n])));
    for (let i = 0; i < 5; i++) run().dispose();
    const ms: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t0 = performance.now();
      const y = run();
      ms.push(performance.now() - t0);
      y.dispose();
    }
    ms.sort((a, c) => a - c);
    cells.push(`${b} per row ${(ms[30] as number).toFixed(3)} ms`);
    xr.dispose();
  }
  console.log(`${label}, ${pixels} pixels: ${cells.join(', ')}`);
  x.dispose();
}
