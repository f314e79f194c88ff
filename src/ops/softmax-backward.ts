import { tf } from '../tf';
import { pixelMatMul } from './pixel-matmul';

/**
 * The softmax backward ∂L/∂x from p and d = ∂L/∂p (both [N, H, W, C]). Two classes with q = 1 − p given (the
 * complement, q₀ = p₁): p ⊙ q ⊙ (d D), D = [[1, −1], [−1, 1]], i.e. ∂L/∂x₀ = p₀ p₁ (d₀ − d₁) = −∂L/∂x₁, no
 * broadcast; else p ⊙ (d − Σ_c d p), the class sum broadcast by a MatMul with the all-ones matrix.
 */
export function softmaxBackwardOf(p: tf.Tensor4D, q: tf.Tensor4D | null, d: tf.Tensor): tf.Tensor4D {
  const c = p.shape[3];
  if (c === 2 && q) {
    return tf.mul(tf.mul(p, q), pixelMatMul(d, [1, -1, -1, 1], 2, 2)) as tf.Tensor4D;
  }
  const dotP = pixelMatMul(tf.mul(d, p), new Float32Array(c * c).fill(1), c, c);
  return tf.mul(p, tf.sub(d, dotP)) as tf.Tensor4D;
}
