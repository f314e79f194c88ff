/**
 * Building blocks shared by the combination losses (Combo, Exp-Log, Unified Focal), taken from the component
 * losses' own code rather than re-typed: the Tversky sums TP, FP, FN come from region/tversky.ts
 * (softmaxTverskySums, with 1 − p from ops/complement.ts, cancellation-free in float32).
 */
import { classRange, selectClasses } from '../../ops/probabilities';
import type { OneHotPair } from '../../ops/softmax-class-sums';
import { tf } from '../../tf';
import { softmaxTverskySums } from '../region/tversky';

/**
 * −ln Dice_{n,c} per image and class [N, C] (all classes), with Dice = (2 TP + s) / (2 TP + FP + FN + s)
 * = (2 Σ p y + s) / (Σ y + Σ p + s). Evaluated as −log1p(−(FP + FN) / (2 TP + FP + FN + s)) from the Tversky
 * family's sums (region/tversky.ts softmaxTverskySums: closed-form gradient, FN with the cancellation-free
 * 1 − p): no "1 − ratio" cancellation, so −ln Dice ≈ 1e-4 near a perfect prediction keeps full float32 relative precision.
 */
export function negLogDice(logits: tf.Tensor4D, gt: OneHotPair, smooth: number): tf.Tensor2D {
  return tf.tidy(() => {
    const { tp, fp, fn } = softmaxTverskySums(logits, gt, classRange(logits.shape[3], true), 'image');
    const miss = tf.add(fp, fn);
    const den = tf.add(tf.add(tf.mul(2, tp), miss), smooth);
    return tf.neg(tf.log1p(tf.neg(tf.div(miss, den)))) as tf.Tensor2D;
  });
}

export { classRange, selectClasses };
