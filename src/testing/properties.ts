// Shared property checks for losses: finite differences, descent, no leaked tensors.
import { computeLoss, lossAndGrad } from '../compute';
import { GroundTruthContext } from '../engine/gt-context';
import { mulberry32 } from '../ops/random';
import { tf } from '../tf';
import type { Params } from '../types';

/** Deterministic pseudo-random numbers, so property tests are reproducible. */
export const rng = mulberry32;

/** Standard normal draws from `rand` (Box–Muller). */
export function normal(rand: () => number, n: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = Math.max(rand(), 1e-12);
    out[i] = scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  }
  return out;
}

/** Logits that put probability ≈ 1 − (C−1)e^{−margin} on the target class. */
export function confidentLogits(
  labels: Int32Array,
  shape: [number, number, number, number],
  margin = 12,
): Float32Array {
  const c = shape[3];
  const out = new Float32Array(labels.length * c);
  for (let i = 0; i < labels.length; i++) out[i * c + (labels[i] as number)] = margin;
  return out;
}

export function lossValue(
  id: string,
  logits: Float32Array,
  labels: Int32Array,
  shape: [number, number, number, number],
  params: Params = {},
): number {
  const [n, h, w, c] = shape;
  return tf.tidy(() => {
    const x = tf.tensor4d(logits, [n, h, w, c]);
    const t = tf.tensor3d(labels, [n, h, w], 'int32');
    return computeLoss(id, x, t, params).dataSync()[0] as number;
  });
}

/**
 * Largest |analytic − central finite difference| over `probes` logit entries, relative to max(|fd|, 1e-3).
 * Run on the cpu backend with a step suited to float32 (h ≈ 1e-2 keeps round-off below truncation error).
 */
export function finiteDifferenceError(
  id: string,
  logits: Float32Array,
  labels: Int32Array,
  shape: [number, number, number, number],
  params: Params = {},
  probes = 12,
  h = 1e-2,
): number {
  const [n, hh, w, c] = shape;
  const ctx = GroundTruthContext.fromLabels(labels, [n, hh, w], c);
  const t = tf.tensor3d(labels, [n, hh, w], 'int32');
  const f = (x: Float32Array) =>
    tf.tidy(() => computeLoss(id, tf.tensor4d(x, [n, hh, w, c]), t, params, ctx).dataSync()[0] as number);
  const grad = tf.tidy(() => {
    const { value, grad } = lossAndGrad(id, tf.tensor4d(logits, [n, hh, w, c]), t, params, ctx);
    value.dispose();
    return grad.dataSync() as Float32Array;
  });
  let worst = 0;
  const step = Math.max(1, Math.floor(logits.length / probes));
  for (let k = 0; k < logits.length; k += step) {
    const plus = Float32Array.from(logits);
    const minus = Float32Array.from(logits);
    plus[k] = (plus[k] as number) + h;
    minus[k] = (minus[k] as number) - h;
    const fd = (f(plus) - f(minus)) / (2 * h);
    worst = Math.max(worst, Math.abs(fd - (grad[k] as number)) / Math.max(Math.abs(fd), 1e-3));
  }
  t.dispose();
  ctx.dispose();
  return worst;
}

/** Loss before and after `steps` of plain gradient descent on the logits. */
export function descend(
  id: string,
  logits: Float32Array,
  labels: Int32Array,
  shape: [number, number, number, number],
  params: Params = {},
  steps = 50,
  lr = 1,
): { before: number; after: number } {
  const [n, h, w, c] = shape;
  const ctx = GroundTruthContext.fromLabels(labels, [n, h, w], c);
  const t = tf.tensor3d(labels, [n, h, w], 'int32');
  let x = tf.tensor4d(logits, [n, h, w, c]);
  let before = Number.NaN;
  let after = Number.NaN;
  for (let s = 0; s <= steps; s++) {
    const { value, grad } = lossAndGrad(id, x, t, params, ctx);
    const v = value.dataSync()[0] as number;
    if (s === 0) before = v;
    after = v;
    const next = tf.tidy(() => tf.sub(x, tf.mul(lr, grad)) as tf.Tensor4D);
    value.dispose();
    grad.dispose();
    x.dispose();
    x = next;
  }
  x.dispose();
  t.dispose();
  ctx.dispose();
  return { before, after };
}

/** Softmax probabilities of [P, C] logits in float64, for checking a loss's value by hand. */
export function softmaxByHand(logits: Float32Array, c: number): Float64Array {
  const out = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i += c) {
    let m = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < c; k++) m = Math.max(m, logits[i + k] as number);
    let s = 0;
    for (let k = 0; k < c; k++) s += Math.exp((logits[i + k] as number) - m);
    for (let k = 0; k < c; k++) out[i + k] = Math.exp((logits[i + k] as number) - m) / s;
  }
  return out;
}
