/**
 * Per-pixel products with a small matrix: x [..., k] · M [k, n] → [..., n], the way the two-class losses mix
 * channels (margins x₀ − x₁, the complement's swap, the softmax backward, affine maps of [y | 1]).
 *
 * Why not a plain tf.matMul on [pixels, k]: on wasm, XNNPACK's GEMM spends its time per row when k and n are
 * about 2 — a [65 536, 2] × [2, 2] product takes ≈ 0.30 ms, ten times a same-shape Add. Four pixels per row
 * with the block-diagonal matrix I₄ ⊗ M ([4k, 4n]) take ≈ 0.145 ms ([65 536, 3] × [3, 2]: 0.33 → 0.17 ms;
 * Node wasm, scripts/bench/pixel-matmul.ts). Every output is the same sum of the same products as before plus
 * exact zeros, so the values are unchanged, except that a NaN or ±∞ in one pixel of x also makes the three
 * other pixels of its row NaN (0 · ∞).
 *
 * Only on wasm and outside a gradient tape: elsewhere (cpu, webgl, or where the tape would differentiate the
 * product) it is the plain product, as the callers had it.
 */
import { tf } from '../tf';

/** Pixels per row of the blocked product: 4 where it divides the pixel count and the block stays small. */
export function blockFactor(k: number, n: number, rows: number): number {
  if (tf.getBackend() !== 'wasm' || tf.engine().isTapeOn()) return 1;
  for (const b of [4, 2]) if (rows % b === 0 && b * Math.max(k, n) <= 16) return b;
  return 1;
}

/** I_b ⊗ M for M [k, n] row-major, as a [b·k, b·n] row-major array. */
function blockDiagonal(m: ArrayLike<number>, k: number, n: number, b: number): Float32Array {
  const out = new Float32Array(b * k * b * n);
  for (let r = 0; r < b; r++)
    for (let i = 0; i < k; i++)
      for (let j = 0; j < n; j++) out[(r * k + i) * b * n + r * n + j] = m[i * n + j] as number;
  return out;
}

/** x [..., k] times the constant M [k, n] (row-major numbers) along the last axis → [..., n]. */
export function pixelMatMul(x: tf.Tensor, m: ArrayLike<number>, k: number, n: number): tf.Tensor {
  if (x.shape[x.rank - 1] !== k || m.length !== k * n)
    throw new Error(`pixelMatMul: x [${x.shape}] and a ${k}×${n} matrix of ${m.length} entries do not fit`);
  const shape = [...x.shape.slice(0, -1), n];
  return tf.tidy(() => {
    const b = blockFactor(k, n, x.size / k);
    const mat = tf.tensor2d(b === 1 ? Float32Array.from(m) : blockDiagonal(m, k, n, b), [b * k, b * n]);
    return tf.reshape(tf.matMul(tf.reshape(x, [-1, b * k]) as tf.Tensor2D, mat), shape);
  });
}

/** x [B, P, k] times per-image matrices [B, k, n] (a tensor; B = 1 is tiled over the images) → [B, P, n]. */
export function pixelMatMulBatched(x: tf.Tensor3D, mats: tf.Tensor3D): tf.Tensor3D {
  const [batch, pixels, k] = x.shape;
  const [mb, mk, n] = mats.shape;
  if (mk !== k || (mb !== batch && mb !== 1))
    throw new Error(`pixelMatMulBatched: x [${x.shape}] and matrices [${mats.shape}] do not fit`);
  return tf.tidy(() => {
    const full = mb === batch ? mats : (tf.tile(mats, [batch, 1, 1]) as tf.Tensor3D);
    const b = blockFactor(k, n, pixels);
    if (b === 1) return tf.matMul(x, full);
    // I_b ⊗ M per image: M tiled b × b times a constant 0/1 block mask (exact: each entry is M's or a zero)
    const ones = new Float32Array(k * n).fill(1);
    const mask = tf.tensor2d(blockDiagonal(ones, k, n, b), [b * k, b * n]);
    const blocked = tf.mul(tf.tile(full, [1, b, b]), mask) as tf.Tensor3D;
    const out = tf.matMul(tf.reshape(x, [batch, pixels / b, b * k]) as tf.Tensor3D, blocked);
    return tf.reshape(out, [batch, pixels, n]) as tf.Tensor3D;
  });
}

/**
 * x [B, P, k] times per-image matrices given on the host (`mats`: `mb` matrices [k, n] row-major, mb = B or 1
 * for one matrix tiled over the images) → [B, P, n]. As pixelMatMulBatched, with the block-diagonal matrices
 * built here instead of by a tile and a mask on the tape.
 */
export function pixelMatMulBatchedHost(
  x: tf.Tensor3D,
  mats: Float32Array,
  mb: number,
  k: number,
  n: number,
): tf.Tensor3D {
  const [batch, pixels, kx] = x.shape;
  if (kx !== k || (mb !== batch && mb !== 1) || mats.length !== mb * k * n)
    throw new Error(`pixelMatMulBatchedHost: x [${x.shape}] and ${mb} matrices ${k}×${n} (${mats.length}) do not fit`);
  return tf.tidy(() => {
    const b = blockFactor(k, n, pixels);
    const size = b * k * b * n;
    const blocked = new Float32Array(batch * size);
    for (let i = 0; i < batch; i++) {
      const at = (mb === 1 ? 0 : i) * k * n;
      blocked.set(blockDiagonal(mats.subarray(at, at + k * n), k, n, b), i * size);
    }
    const m = tf.tensor3d(blocked, [batch, b * k, b * n]);
    const out = tf.matMul(tf.reshape(x, [batch, pixels / b, b * k]) as tf.Tensor3D, m);
    return tf.reshape(out, [batch, pixels, n]) as tf.Tensor3D;
  });
}
