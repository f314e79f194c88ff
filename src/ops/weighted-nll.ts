import { tf } from '../tf';
import { complementProbabilities } from './complement';
import { equalMask } from './equal-mask';
import { logSoftmax, softmaxTwoClassFast } from './probabilities';
import { powScalar } from './scalar-power';
import { stagedSum } from './staged-sum';

/**
 * z ⊙ (p − y), computed as z ⊙ (p ⊙ (1 − y) − q ⊙ y) (q = 1 − p by the complement: no cancellation where
 * p_t → 1), for a per-pixel factor z [N, H, W, 1]: the gradient with respect to the logits of a loss whose pixel
 * term depends on the logits only through log p_t, with ∂L/∂log p_t = −z. z is repeated over the classes by a
 * MatMul with a row of ones (a broadcasting product from [N, H, W, 1] costs three times as much on wasm).
 */
export function targetLogProbGradient(z: tf.Tensor, p: tf.Tensor4D, y: tf.Tensor4D, notY: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const perClass = tf.reshape(tf.matMul(tf.reshape(z, [-1, 1]), tf.ones([1, p.shape[3]])), p.shape);
    return tf.mul(perClass, tf.sub(tf.mul(p, notY), tf.mul(complementProbabilities(p), y))) as tf.Tensor4D;
  });
}

/**
 * Weighted negative log-likelihood of softmax probabilities with an exact closed-form gradient: the shared
 * kernel of the cross-entropy-like terms (Exp-Log's cross part, distance-map CE).
 *
 * Σ_{n,i} w_i f(−ln p_{i,t_i}) with f(u) = max(u, floor)^γ (γ = null: f(u) = u), given the one-hot y, 1 − y and
 * the pixel weights w [N, H, W, 1]. −ln p_t = −Σ_c y_c ln p_c (the other classes add exact zeros), so f runs on
 * one value per pixel, not per class; staged sums. Gradient (tf.customGrad): with z = w f'(−ln p_t)
 * (f' = γ m^γ / m, m = max(u, floor), 0 where the floor binds), ∂/∂x = z ⊙ (p − y) (targetLogProbGradient).
 * wasm-friendly kernels: p from the forward's softmax (memoised per engine update), the floor a clip (not
 * Maximum), the clip's gradient by equalMask (not Equal), x^γ by products or Sqrt where exact (powScalar).
 */
export function weightedNllSum(
  logits: tf.Tensor4D,
  gt: { y: tf.Tensor4D; notY: tf.Tensor4D },
  w: tf.Tensor4D,
  gamma: number | null = null,
  floor = 1e-30,
): tf.Scalar {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor4D;
    const nll = tf.neg(tf.sum(tf.mul(gt.y, logSoftmax(x)), -1, true));
    const m = gamma === null ? null : tf.clipByValue(nll, floor, Number.POSITIVE_INFINITY);
    const mg = m && gamma !== null ? powScalar(m, gamma) : null;
    const p = softmaxTwoClassFast(x);
    (args[1] as tf.GradSaveFunc)(m && mg ? [p, gt.y, gt.notY, w, nll, m, mg] : [p, gt.y, gt.notY, w]);
    return {
      value: stagedSum(tf.mul(w, mg ?? nll)) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [ps, ys, nys, ws, nl, ms, mgs] = saved as tf.Tensor4D[];
        const wd = tf.mul(ws as tf.Tensor, dy);
        const z =
          ms && mgs && nl && gamma !== null
            ? tf.mul(wd, tf.mul(tf.div(tf.mul(mgs, gamma), ms), equalMask(ms, nl)))
            : wd;
        return targetLogProbGradient(z, ps as tf.Tensor4D, ys as tf.Tensor4D, nys as tf.Tensor4D);
      },
    };
  });
  return f(logits) as tf.Scalar;
}
