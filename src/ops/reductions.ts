import { tf } from '../tf';

/**
 * Sums a channels-last [N, H, W, C] tensor over the pixels of each image → [N, C], or over the whole
 * batch → [1, C] when `batch` is true. The shared reduction of Dice-like region losses.
 */
export function sumPerClass(x: tf.Tensor4D, batch: boolean): tf.Tensor2D {
  return (batch ? tf.reshape(tf.sum(x, [0, 1, 2]), [1, -1]) : tf.sum(x, [1, 2])) as tf.Tensor2D;
}
