/**
 * Per-pixel curves: how one pixel's probability of its TRUE class drives each loss, everything else held fixed
 * (the Focal-vs-CE figure of Lin et al. 2017, for any loss and any prediction).
 *
 * For pixel (y, x) with ground-truth class k, the pixel's class probabilities are set to
 *   q(p) = p·e_k + (1 − p)·r,
 * where r is the pixel's current distribution over the other classes renormalised (uniform when it is ~0), and
 * its logits to log q(p); every other pixel keeps its logits. With N = H·W pixels:
 *   contribution(p) = N·(L(p) − L(p_ref)),  p_ref = 1 − 1e-4 (the pixel made right),
 *   gradient(p)     = N·dL/dp  (tf.grad through log q(p)).
 * For a loss that is a mean of per-pixel terms ℓ(p) this is exactly ℓ(p) − ℓ(p_ref): −log p for cross-entropy,
 * −α(1 − p)^γ·log p for focal. For region losses (Dice, …) it is the pixel's share scaled to a per-pixel unit.
 */
import { computeLoss } from '../compute';
import { GroundTruthContext } from '../engine/gt-context';
import { errorMessage } from '../error-message';
import { tf } from '../tf';
import type { LossId, Params } from '../types';

export const PIXEL_P_REF = 1 - 1e-4;

export interface PixelCurveOptions {
  /** Probabilities of the true class to evaluate at (default 41 points from 0.01 to 0.99). */
  ps?: readonly number[];
  ctx?: GroundTruthContext;
}

export interface PixelCurve {
  lossId: LossId;
  contribution: Float32Array | null;
  gradient: Float32Array | null;
  error: string | null;
}

export interface PixelCurvesResult {
  y: number;
  x: number;
  trueClass: number;
  /** The pixel's current probability of its true class. */
  current: number;
  ps: Float64Array;
  curves: PixelCurve[];
}

export function defaultPixelPs(n = 41): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.01 + (0.98 * i) / (n - 1);
  return out;
}

export async function evaluatePixelCurves(
  losses: readonly { id: LossId; params?: Params }[],
  logits: tf.Tensor4D,
  target: tf.Tensor3D,
  y: number,
  x: number,
  options: PixelCurveOptions = {},
): Promise<PixelCurvesResult> {
  const [, h, w, c] = logits.shape;
  if (!Number.isInteger(y) || !Number.isInteger(x) || y < 0 || x < 0 || y >= h || x >= w) {
    throw new Error(`pixel curves: pixel (${x}, ${y}) is outside the ${w}×${h} grid`);
  }
  const ps = options.ps ? Float64Array.from(options.ps) : defaultPixelPs();
  for (const p of ps)
    if (!(p > 0 && p < 1)) throw new Error(`pixel curves: probabilities must lie in (0, 1), got ${p}`);
  const ctx = options.ctx ?? GroundTruthContext.fromTensor(target, c);
  const kept: tf.Tensor[] = [];
  const errors = new Map<number, string>();
  try {
    const [trueClass, current, others] = tf.tidy(() => {
      const k = tf.reshape(tf.slice(target, [0, y, x], [1, 1, 1]), [1]);
      const q = tf.softmax(tf.reshape(tf.slice(logits, [0, y, x, 0], [1, 1, 1, -1]), [c]));
      return [k, q, q];
    });
    // One small read-back of the pixel's label and distribution: they decide the path q(p).
    const kArr = (await trueClass.data()) as Int32Array;
    const qArr = (await current.data()) as Float32Array;
    tf.dispose([trueClass, current, others]);
    const k = kArr[0] as number;
    const rest = Array.from(qArr, (v, i) => (i === k ? 0 : v));
    const restSum = rest.reduce((s, v) => s + v, 0);
    const r = restSum > 1e-6 ? rest.map((v) => v / restSum) : rest.map((_, i) => (i === k ? 0 : 1 / (c - 1)));
    const ek = Array.from({ length: c }, (_, i) => (i === k ? 1 : 0));
    const N = h * w;
    const mask = tf.tidy(() => tf.reshape(tf.oneHot(tf.tensor1d([y * w + x], 'int32'), N), [1, h, w, 1]));
    kept.push(mask);
    const withPixel = (p: tf.Scalar) => {
      const q = tf.add(tf.mul(tf.tensor1d(ek), p), tf.mul(tf.tensor1d(r), tf.sub(1, p)));
      const lq = tf.reshape(tf.log(tf.maximum(q, 1e-12)), [1, 1, 1, c]);
      return tf.add(tf.mul(logits, tf.sub(1, mask)), tf.mul(mask, lq)) as tf.Tensor4D;
    };
    for (const [li, l] of losses.entries()) {
      try {
        const out = tf.tidy(() => {
          const f = (p: tf.Scalar) => computeLoss(l.id, withPixel(p), target, l.params ?? {}, ctx) as tf.Scalar;
          const vg = tf.valueAndGrad(f);
          const ref = f(tf.scalar(PIXEL_P_REF));
          const vals: tf.Tensor[] = [];
          const grads: tf.Tensor[] = [];
          for (const p of ps) {
            const { value, grad } = vg(tf.scalar(p));
            vals.push(tf.mul(tf.sub(value, ref), N));
            grads.push(tf.mul(grad, N));
          }
          return tf.concat([tf.stack(vals), tf.stack(grads)]);
        });
        kept.push(out);
      } catch (e) {
        errors.set(li, errorMessage(e));
      }
    }
    const outs = kept.slice(1);
    let flat: Float32Array = new Float32Array(0);
    if (outs.length > 0) {
      const packed = tf.tidy(() => tf.concat(outs.map((o) => tf.reshape(o, [-1]))));
      try {
        flat = (await packed.data()) as Float32Array;
      } finally {
        packed.dispose();
      }
    }
    let off = 0;
    const n = ps.length;
    const curves: PixelCurve[] = losses.map((l, i) => {
      if (errors.has(i)) return { lossId: l.id, contribution: null, gradient: null, error: errors.get(i) ?? 'failed' };
      const contribution = Float32Array.from(flat.subarray(off, off + n));
      const gradient = Float32Array.from(flat.subarray(off + n, off + 2 * n));
      off += 2 * n;
      return { lossId: l.id, contribution, gradient, error: null };
    });
    return { y, x, trueClass: k, current: qArr[k] as number, ps, curves };
  } finally {
    tf.dispose(kept);
    if (!options.ctx) ctx.dispose();
  }
}
