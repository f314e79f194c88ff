/**
 * Building blocks shared by the combination losses (Combo, Exp-Log), taken from the component losses' own
 * code rather than re-typed: the Dice sums come from region/dice.ts (diceSums) and region/tversky.ts
 * (tverskySums: TP, FP, FN), the probabilities from ops/probabilities.ts, and 1 − p from ops/complement.ts
 * (cancellation-free in float32).
 */
import { complementProbabilities } from '../../ops/complement';
import { classRange, selectClasses, softmax } from '../../ops/probabilities';
import type { OneHotPair } from '../../ops/softmax-class-sums';
import { tf } from '../../tf';
import { diceSums } from '../region/dice';
import { softmaxTverskySums } from '../region/tversky';

/**
 * One global Dice coefficient over the flattened selected channels of the whole batch (SPEC §3.2 / §5.1, the
 * Keras references' K.flatten):  D = (2 Σ p y + s) / (Σ y + Σ p + s), sums over n, i and c ∈ 𝒞.
 */
export function globalDice(logits: tf.Tensor4D, gt: OneHotPair, includeBackground: boolean, smooth: number): tf.Scalar {
  return tf.tidy(() => {
    const { inter, pred, truth } = diceSums(logits, gt, {
      includeBackground,
      squaredPred: false,
      smoothNr: 0,
      smoothDr: 0,
      batch: true,
    });
    return tf.div(
      tf.add(tf.mul(2, tf.sum(inter)), smooth),
      tf.add(tf.add(tf.sum(truth), tf.sum(pred)), smooth),
    ) as tf.Scalar;
  });
}

/**
 * −ln Dice_{n,c} per image and class [N, C] (all classes), with Dice = (2 TP + s) / (2 TP + FP + FN + s)
 * = (2 Σ p y + s) / (Σ y + Σ p + s). Evaluated as −log1p(−(FP + FN) / (2 TP + FP + FN + s)) from the Tversky
 * family's sums (region/tversky.ts softmaxTverskySums: closed-form gradient, FN with the cancellation-free 1 − p): no "1 − ratio"
 * cancellation, so −ln Dice ≈ 1e-4 near a perfect prediction keeps full float32 relative precision.
 */
export function negLogDice(logits: tf.Tensor4D, gt: OneHotPair, smooth: number): tf.Tensor2D {
  return tf.tidy(() => {
    const { tp, fp, fn } = softmaxTverskySums(logits, gt, classRange(logits.shape[3], true), 'image');
    const miss = tf.add(fp, fn);
    const den = tf.add(tf.add(tf.mul(2, tp), miss), smooth);
    return tf.neg(tf.log1p(tf.neg(tf.div(miss, den)))) as tf.Tensor2D;
  });
}

/**
 * Softmax probabilities of the selected classes and their complements 1 − p (= Σ of the other classes, so
 * exact in float32 when p → 1), both clipped to [ε, 1 − ε] as the Keras references clip before the log.
 */
export function clippedProbabilities(logits: tf.Tensor4D, classes: readonly number[], epsilon: number) {
  return tf.tidy(() => {
    const p = softmax(logits);
    const q = complementProbabilities(p);
    return {
      p: tf.clipByValue(selectClasses(p, classes), epsilon, 1 - epsilon) as tf.Tensor4D,
      q: tf.clipByValue(selectClasses(q, classes), epsilon, 1 - epsilon) as tf.Tensor4D,
    };
  });
}

export { classRange, selectClasses };
