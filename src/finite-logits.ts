/**
 * The one input check that needs the logits' values: NaN or ±Infinity in the logits makes every loss NaN (or,
 * on some backends, a finite but meaningless number), so the library refuses them with a message that says how
 * many there are and where the first one is. The scan runs on the host over the float32 values, so the message
 * is the same on every backend.
 */
import { tf } from './tf';

/** The message for non-finite logits, or null when every value is finite. `shape` is [N, H, W, C]. */
export function nonFiniteLogitsMessage(
  data: ArrayLike<number>,
  shape: readonly [number, number, number, number],
): string | null {
  let nan = 0;
  let pos = 0;
  let neg = 0;
  let first = -1;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v - v === 0) continue; // finite (v − v is NaN for NaN and ±Infinity)
    if (first < 0) first = i;
    if (Number.isNaN(v)) nan++;
    else if (v > 0) pos++;
    else neg++;
  }
  if (first < 0) return null;
  const [, h, w, c] = shape;
  const ch = first % c;
  const x = Math.floor(first / c) % w;
  const y = Math.floor(first / (c * w)) % h;
  const n = Math.floor(first / (c * w * h));
  const parts = [nan ? `${nan} NaN` : '', pos ? `${pos} +Infinity` : '', neg ? `${neg} -Infinity` : ''].filter(Boolean);
  const counts = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0];
  const noun = nan + pos + neg === 1 ? 'value' : 'values';
  return `logits contain ${counts} ${noun} (first at n=${n}, y=${y}, x=${x}, class ${ch})`;
}

/** Throws `${prefix}logits contain …` when the host values are not all finite. */
export function assertFiniteLogitsData(
  data: ArrayLike<number>,
  shape: readonly [number, number, number, number],
  prefix = '',
): void {
  const msg = nonFiniteLogitsMessage(data, shape);
  if (msg) throw new Error(prefix + msg);
}

/**
 * Same check for a tensor, used by computeLoss / lossAndGrad (the multi-loss engine folds a device-side flag into
 * its single read-back instead, src/engine/evaluate.ts). Finite logits cost one scalar read-back (allFinite);
 * only when that fails are the logits read back and scanned for the message. The full read-back and scan took
 * ≈ 0.55 ms per call at [1, 256, 256, 2] on Node wasm, the scalar one 0.14 ms — a sixth of a small loss's value +
 * gradient (issue 11).
 */
export function assertFiniteLogits(logits: tf.Tensor4D, prefix = ''): void {
  // Under a gradient tape (computeLoss inside the caller's tf.grad) the device check would be recorded, and the
  // copies the tape keeps of its inputs would never be freed if the loss then threw (a bad parameter): there the
  // values are scanned on the host, which records nothing.
  if (!tf.engine().isTapeOn() && allFinite(logits)) return;
  assertFiniteLogitsData(logits.dataSync() as Float32Array, logits.shape, prefix);
}

/**
 * Whether every value is finite, from one scalar read-back. On cpu and wasm (IEEE 754 arithmetic in JavaScript
 * and WebAssembly) Σ (x − x) is exactly 0 when every x is finite and NaN otherwise (NaN − NaN and ∞ − ∞ are NaN,
 * and NaN survives every sum): two kernels. Elsewhere (WebGL shaders need not propagate NaN) it counts with
 * isFinite, as the engine does. A false "no" (float16 WebGL overflowing a large finite value) only costs the
 * full scan, which then finds nothing.
 */
export function allFinite(logits: tf.Tensor): boolean {
  const ieee = tf.getBackend() === 'cpu' || tf.getBackend() === 'wasm';
  const flag = ieee ? tf.tidy(() => tf.sum(tf.sub(logits, logits))) : nonFiniteCount(logits);
  try {
    return (flag.dataSync()[0] as number) === 0;
  } finally {
    flag.dispose();
  }
}

/** Number of non-finite entries, as a kept float32 scalar on the device (for a batched read-back). */
export function nonFiniteCount(logits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.logicalNot(tf.isFinite(logits)), 'float32')) as tf.Scalar);
}
