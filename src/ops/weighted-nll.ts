import { tf } from '../tf';
import { complementProbabilities } from './complement';
import { equalMask } from './equal-mask';
import { logSoftmax, softmaxTwoClassFast } from './probabilities';
import { powScalar } from './scalar-power';
import { stagedSum } from './staged-sum';

/**
 * Weighted negative log-likelihood of softmax probabilities with an exact closed-form gradient: the shared
 * kernel of the cross-entropy-like terms (Exp-Log's cross part, distance-map CE).
 *
 * Σ_{n,i} w_i f(−ln p_{i,t_i}) with f(u) = max(u, floor)^γ (γ = null: f(u) = u), given yw = y ⊙ w (the pixel
 * weight on the target channel, 0 on the others), as Σ over every class of yw_c f(−ln p_c) (the other classes add
 * exact zeros; staged sums, class axis first). Gradient (tf.customGrad): with Z = yw f'(−ln p) per class
 * (f' = γ m^γ / m, m = max(u, floor), 0 where the floor binds),
 *   ∂/∂x_j = Σ_c Z_c (p_j − δ_cj) = p_j (J − I)Z_j − q_j Z_j,   q = 1 − p by the complement (no cancellation).
 */
export function weightedNllSum(
  logits: tf.Tensor4D,
  yw: tf.Tensor4D,
  gamma: number | null = null,
  floor = 1e-30,
): tf.Scalar {
  // wasm-friendly kernels: p from the forward's softmax (memoised per engine update) instead of exp(log p) in the
  // backward, the floor a clip (not Maximum), the clip's gradient 1[m = u] by equalMask (not Equal), x^γ by
  // products or Sqrt where exact (ops/scalar-power.ts)
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor4D;
    const nll = tf.neg(logSoftmax(x));
    const p = softmaxTwoClassFast(x);
    const m = gamma === null ? null : tf.clipByValue(nll, floor, Number.POSITIVE_INFINITY);
    const mg = m && gamma !== null ? powScalar(m, gamma) : null;
    (args[1] as tf.GradSaveFunc)(m && mg ? [p, yw, nll, m, mg] : [p, yw]);
    return {
      value: stagedSum(tf.mul(yw, mg ?? nll)) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [ps, ys, nl, ms, mgs] = saved as tf.Tensor4D[];
        const z =
          ms && mgs && nl && gamma !== null
            ? tf.mul(ys as tf.Tensor, tf.mul(tf.div(tf.mul(mgs, gamma), ms), equalMask(ms, nl)))
            : (ys as tf.Tensor);
        const p = ps as tf.Tensor;
        const g = tf.sub(tf.mul(p, complementProbabilities(z)), tf.mul(complementProbabilities(p), z));
        return tf.mul(g, dy);
      },
    };
  });
  return f(logits) as tf.Scalar;
}
