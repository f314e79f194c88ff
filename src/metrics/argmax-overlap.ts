/**
 * Dice score and IoU of the ARGMAX of a batch of predictions, as tensors (no read-back), with the same conventions
 * as the label-map metrics (overlap.ts, MONAI's compute_dice / compute_iou): per class 2|P∩T| / (|P| + |T|) and
 * |P∩T| / |P∪T|. The loss race (per step, inside its tf.tidy) and the named-axis landscapes (per point) use these,
 * so every Dice score in the explorer is the one of src/metrics. Foreground means (classes 1…C−1) over:
 * - 'present': classes present in the target or the prediction (labelMetrics' `mean`), NaN when none is;
 * - 'in-target': classes present in the target only (MONAI's ignore_empty=True), NaN when none is.
 */
import { tf } from '../tf';
import { diceFromCounts, overlapCounts } from './overlap';

export type ForegroundMean = 'present' | 'in-target';

/** scores [k, H, W, C], target one-hot [1 or k, H, W, C] → [k, 2]: (mean Dice, mean IoU) of argmax(scores). */
export function argmaxDiceIoU(
  scores: tf.Tensor4D,
  targetOneHot: tf.Tensor4D,
  over: ForegroundMean = 'present',
): tf.Tensor2D {
  return tf.tidy(() => {
    const c = scores.shape[3];
    // int32 one-hot, then cast: the WASM backend's OneHot writes wrong bits for a float32 dtype.
    const hard = tf.cast(tf.oneHot(tf.argMax(scores, 3), c), 'float32') as tf.Tensor4D;
    const fg = (x: tf.Tensor4D) => tf.slice(x, [0, 0, 0, 1], [-1, -1, -1, c - 1]);
    const a = fg(hard);
    const b = fg(targetOneHot);
    const inter = tf.sum(tf.mul(a, b), [1, 2]); // [k, C−1]
    const sa = tf.sum(a, [1, 2]);
    const sb = tf.sum(b, [1, 2]);
    const sum = tf.add(sa, sb);
    const present = tf.cast(tf.greater(over === 'present' ? sum : sb, 0), 'float32');
    const nPresent = tf.sum(present, 1);
    const dice = tf.div(tf.mul(inter, 2), tf.maximum(sum, 1e-12));
    const iou = tf.div(inter, tf.maximum(tf.sub(sum, inter), 1e-12));
    const mean = (m: tf.Tensor) => tf.div(tf.sum(tf.mul(m, present), 1), nPresent); // 0/0 = NaN: undefined
    return tf.stack([mean(dice), mean(iou)], 1) as tf.Tensor2D;
  });
}

/**
 * Mean foreground Dice score of argmax(logits) against the target over the classes present in the target
 * (MONAI's ignore_empty; the race's read-out). Scalar tensor, NaN when no foreground class is in the target.
 * logits [1, H, W, C], target [1, H, W] class indices.
 */
export function diceScoreMeanForeground(logits: tf.Tensor4D, target: tf.Tensor3D): tf.Scalar {
  return tf.tidy(() => {
    const oneHot = tf.cast(tf.oneHot(tf.cast(target, 'int32'), logits.shape[3]), 'float32') as tf.Tensor4D;
    return tf.reshape(tf.slice(argmaxDiceIoU(logits, oneHot, 'in-target'), [0, 0], [1, 1]), []) as tf.Scalar;
  });
}

/** The same on label maps (CPU), from src/metrics' overlap counts: NaN when no foreground class is in the target. */
export function diceScoreOfLabels(pred: ArrayLike<number>, target: ArrayLike<number>, numClasses: number): number {
  let sum = 0;
  let n = 0;
  for (let k = 1; k < numClasses; k++) {
    const counts = overlapCounts(pred, target, k, 0, target.length);
    if (counts.target === 0) continue;
    const d = diceFromCounts(counts);
    sum += d.kind === 'value' ? d.value : Number.NaN;
    n++;
  }
  return n === 0 ? Number.NaN : sum / n;
}
