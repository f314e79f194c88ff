/**
 * 1 − p computed without cancellation. For softmax probabilities, 1 − p_c = Σ_{c' ≠ c} p_{c'}; summing the
 * other classes keeps full float32 relative precision when p_c → 1 (where `1 − p_c` would keep only
 * ~6e-8 absolute, i.e. a 1e-3 relative error at p = 0.9999). Used by the focal terms (1 − p_t)^γ and by the
 * false-negative sums Σ (1 − p) y of the Tversky family.
 *
 * Implemented as a product with the constant C×C matrix J − I (a MatMul, available with its gradient on cpu,
 * wasm and webgl).
 */
import { tf } from '../tf';
import { pixelMatMul } from './pixel-matmul';
import { memoOfPrediction } from './prediction-memo';

/** 1 − p along the last axis; of the update's memoised softmax, computed once per update. */
export function complementProbabilities<T extends tf.Tensor>(p: T): T {
  return memoOfPrediction(p, 'complement', () => complementOf(p));
}

function complementOf<T extends tf.Tensor>(p: T): T {
  const c = p.shape[p.rank - 1] as number;
  return tf.tidy(() => {
    const m = new Float32Array(c * c);
    for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) m[i * c + j] = i === j ? 0 : 1;
    return pixelMatMul(p, m, c, c) as T;
  });
}
