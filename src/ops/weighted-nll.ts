import { tf } from '../tf';
import { complementProbabilities } from './complement';
import { equalMask } from './equal-mask';
import { pixelMatMul } from './pixel-matmul';
import { logSoftmax, softmax } from './probabilities';
import { powScalar } from './scalar-power';
import { oneHotPair } from './softmax-class-sums';
import { stagedSum } from './staged-sum';

/** The one-hot y, 1 − y and, for two classes, [y_1, −y_0] (what targetLogProbGradient needs), memoised per ground truth. */
export interface TargetOneHot {
  y: tf.Tensor4D;
  notY: tf.Tensor4D;
  /** [y_1, −y_0] per pixel, only for C = 2. */
  signed?: tf.Tensor4D;
}

export function targetOneHot(ctx: { oneHot(): tf.Tensor4D; memo<T>(key: string, make: () => T): T }): TargetOneHot {
  const { y, notY } = oneHotPair(ctx);
  if (y.shape[3] !== 2) return { y, notY };
  const signed = ctx.memo('one-hot:two-class-signed', () =>
    tf.tidy(() => pixelMatMul(y, [0, -1, 1, 0], 2, 2)),
  ) as tf.Tensor4D;
  return { y, notY, signed };
}

/** The tensors of a TargetOneHot as a list (to save for a backward pass) and back. */
export function targetOneHotList(gt: TargetOneHot): tf.Tensor4D[] {
  return gt.signed ? [gt.signed] : [gt.y, gt.notY];
}
function fromList(list: tf.Tensor[]): TargetOneHot {
  const [a, b] = list as tf.Tensor4D[];
  return b ? { y: a as tf.Tensor4D, notY: b } : { y: a as tf.Tensor4D, notY: a as tf.Tensor4D, signed: a };
}

/**
 * z ⊙ (p − y) without cancellation where p_t → 1, for a per-pixel factor z [N, H, W, 1]: the gradient with
 * respect to the logits of a loss whose pixel term depends on the logits only through log p_t, with
 * ∂L/∂log p_t = −z. No broadcasting kernel (20 times a same-shape one on wasm):
 * - two classes: z (p_0 y_1 − p_1 y_0) = z (p_0 − y_0) on class 0 (one of the two terms is 0) and its negative
 *   on class 1, from the memoised [y_1, −y_0]: one product, a sum over the classes and one MatMul;
 * - otherwise z ⊙ (p ⊙ (1 − y) − q ⊙ y) (q = 1 − p by the complement), z repeated over the classes by a MatMul.
 */
export function targetLogProbGradient(z: tf.Tensor, p: tf.Tensor4D, gt: TargetOneHot | tf.Tensor[]): tf.Tensor4D {
  const { y, notY, signed } = Array.isArray(gt) ? fromList(gt) : gt;
  return tf.tidy(() => {
    if (signed) {
      const g0 = tf.mul(z, tf.sum(tf.mul(p, signed), -1, true));
      return tf.reshape(pixelMatMul(g0, [1, -1], 1, 2), p.shape) as tf.Tensor4D;
    }
    const c = p.shape[3];
    const perClass = tf.reshape(
      pixelMatMul(tf.reshape(z, [...p.shape.slice(0, 3), 1]), new Float32Array(c).fill(1), 1, c),
      p.shape,
    );
    return tf.mul(perClass, tf.sub(tf.mul(p, notY), tf.mul(complementProbabilities(p), y))) as tf.Tensor4D;
  });
}

/**
 * Weighted negative log-likelihood of softmax probabilities with an exact closed-form gradient: the shared
 * kernel of the cross-entropy-like terms (Exp-Log's cross part, distance-map CE).
 *
 * Σ_{n,i} w_i f(−ln p_{i,t_i}) with f(u) = max(u, floor)^γ (γ = null: f(u) = u), given the one-hot (targetOneHot)
 * and the pixel weights w [N, H, W, 1]. −ln p_t = −Σ_c y_c ln p_c (the other classes add exact zeros), so f runs on
 * one value per pixel, not per class; staged sums. Gradient (tf.customGrad): with z = w f'(−ln p_t)
 * (f' = γ m^γ / m, m = max(u, floor), 0 where the floor binds), ∂/∂x = z ⊙ (p − y) (targetLogProbGradient).
 * wasm-friendly kernels: p from the forward's softmax (memoised per engine update), the floor a clip (not
 * Maximum), the clip's gradient by equalMask (not Equal), x^γ by products or Sqrt where exact (powScalar).
 */
export function weightedNllSum(
  logits: tf.Tensor4D,
  gt: TargetOneHot,
  w: tf.Tensor4D,
  gamma: number | null = null,
  floor = 1e-30,
): tf.Scalar {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor4D;
    const nll = tf.neg(tf.sum(tf.mul(gt.y, logSoftmax(x)), -1, true));
    const m = gamma === null ? null : tf.clipByValue(nll, floor, Number.POSITIVE_INFINITY);
    const mg = m && gamma !== null ? powScalar(m, gamma) : null;
    const p = softmax(x);
    const oneHot = targetOneHotList(gt);
    (args[1] as tf.GradSaveFunc)([p, w, ...(m && mg ? [nll, m, mg] : []), ...oneHot]);
    return {
      value: stagedSum(tf.mul(w, mg ?? nll)) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [ps, ws, ...rest] = saved as tf.Tensor4D[];
        const wd = tf.mul(ws as tf.Tensor, dy);
        if (gamma === null) return targetLogProbGradient(wd, ps as tf.Tensor4D, rest);
        const [nl, ms, mgs, ...oneHotSaved] = rest as tf.Tensor4D[];
        const z = tf.mul(
          wd,
          tf.mul(tf.div(tf.mul(mgs as tf.Tensor, gamma), ms as tf.Tensor), equalMask(ms as tf.Tensor, nl as tf.Tensor)),
        );
        return targetLogProbGradient(z, ps as tf.Tensor4D, oneHotSaved);
      },
    };
  });
  return f(logits) as tf.Scalar;
}
