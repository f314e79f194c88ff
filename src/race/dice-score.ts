// The race's Dice score of the argmax prediction (a small stand-in until src/metrics/ lands; to be unified).
import { tf } from '../tf';

/**
 * Mean foreground Dice score 2|P∩G| / (|P|+|G|) of argmax(logits) against the target, averaged over the classes
 * 1..C−1 that occur in the target (MONAI's ignore_empty: a class absent from the ground truth is left out).
 * NaN when no foreground class occurs in the target. Returns a scalar tensor (no read-back).
 * logits [N, H, W, C], target [N, H, W] int32.
 */
export function diceScoreMeanForeground(logits: tf.Tensor4D, target: tf.Tensor3D): tf.Scalar {
  return tf.tidy(() => {
    const c = logits.shape[3];
    // int32 one-hot, then cast: the WASM backend's OneHot writes wrong bits for a float32 dtype.
    const pred = tf.cast(tf.oneHot(tf.reshape(tf.argMax(logits, 3), [-1]), c), 'float32');
    const gt = tf.cast(tf.oneHot(tf.reshape(tf.cast(target, 'int32'), [-1]), c), 'float32');
    const fg = [1, c - 1];
    const p = tf.slice(pred, [0, 1], [-1, fg[1] as number]);
    const g = tf.slice(gt, [0, 1], [-1, fg[1] as number]);
    const inter = tf.sum(tf.mul(p, g), 0);
    const sizes = tf.add(tf.sum(p, 0), tf.sum(g, 0));
    const present = tf.cast(tf.greater(tf.sum(g, 0), 0), 'float32');
    // Present classes have |G| ≥ 1, so sizes ≥ 1 there; the max only avoids 0/0 for absent ones.
    const dice = tf.div(tf.mul(inter, 2), tf.maximum(sizes, 1));
    const count = tf.sum(present);
    return tf.div(tf.sum(tf.mul(dice, present)), count) as tf.Scalar; // 0/0 = NaN when nothing is present
  });
}

/** The same on CPU arrays: argmax labels vs target labels (for tests and the UI's read-outs). */
export function diceScoreOfLabels(pred: ArrayLike<number>, target: ArrayLike<number>, numClasses: number): number {
  let sum = 0;
  let n = 0;
  for (let k = 1; k < numClasses; k++) {
    let inter = 0;
    let ps = 0;
    let gs = 0;
    for (let i = 0; i < target.length; i++) {
      const a = pred[i] === k;
      const b = target[i] === k;
      if (a) ps++;
      if (b) gs++;
      if (a && b) inter++;
    }
    if (gs === 0) continue;
    sum += (2 * inter) / (ps + gs);
    n++;
  }
  return n === 0 ? Number.NaN : sum / n;
}
