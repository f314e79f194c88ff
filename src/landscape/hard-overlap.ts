/**
 * A tiny hard-overlap helper for the named-axis landscapes: the Dice score and IoU of the ARGMAX of a batch of
 * predictions against the ground truth, averaged over the foreground classes (1…C−1) present in the ground truth
 * or in the prediction. NaN when no foreground class is present in either (the score is undefined there).
 * Placeholder until src/metrics/ (MONAI-verified) is merged: the integrator can swap this for it.
 */
import { tf } from '../tf';

/** probs [k, H, W, C], oneHot [1, H, W, C] → [k, 2]: (mean Dice, mean IoU) of argmax(probs) per row. */
export function argmaxDiceIoU(probs: tf.Tensor4D, oneHot: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const c = probs.shape[3];
    const hard = tf.cast(tf.oneHot(tf.argMax(probs, 3), c), 'float32') as tf.Tensor4D;
    const fg = (x: tf.Tensor4D) => tf.slice(x, [0, 0, 0, 1], [-1, -1, -1, c - 1]);
    const a = fg(hard);
    const b = fg(oneHot);
    const inter = tf.sum(tf.mul(a, b), [1, 2]); // [k, C−1]
    const sa = tf.sum(a, [1, 2]);
    const sb = tf.sum(b, [1, 2]);
    const sum = tf.add(sa, sb);
    const present = tf.cast(tf.greater(sum, 0), 'float32');
    const nPresent = tf.sum(present, 1);
    const safe = tf.maximum(sum, 1e-12);
    const dice = tf.div(tf.mul(inter, 2), safe);
    const iou = tf.div(inter, tf.maximum(tf.sub(sum, inter), 1e-12));
    const mean = (m: tf.Tensor) => tf.div(tf.sum(tf.mul(m, present), 1), nPresent); // 0/0 = NaN: undefined
    return tf.stack([mean(dice), mean(iou)], 1) as tf.Tensor2D;
  });
}
