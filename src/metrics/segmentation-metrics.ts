/**
 * Metrics of a prediction given as logits (or probabilities) [N, H, W, C]: the argmax runs on the active
 * TF.js backend, the label map is read back once, and the metrics are computed on the CPU (label-metrics.ts).
 * Argmax ties go to the lowest class index (tf.argMax, like torch.argmax / numpy.argmax).
 */
import { tf } from '../tf';
import { labelMetrics, type MetricOptions } from './label-metrics';
import type { MetricSummary } from './types';

/** Argmax over the class axis of [N, H, W, C] scores, as an Int32Array of N·H·W labels. */
export function argmaxLabels(scores: tf.Tensor4D): Int32Array {
  const labels = tf.tidy(() => tf.argMax(scores, -1));
  try {
    return Int32Array.from(labels.dataSync());
  } finally {
    labels.dispose();
  }
}

export function segmentationMetrics(
  scores: tf.Tensor4D,
  target: ArrayLike<number> | tf.Tensor3D,
  opts: MetricOptions = {},
): MetricSummary {
  if (scores.rank !== 4) throw new Error(`metrics: prediction must be [N, H, W, C], got rank ${scores.rank}`);
  const [n, h, w, c] = scores.shape;
  const labels = target instanceof tf.Tensor ? target.dataSync() : target;
  return labelMetrics(argmaxLabels(scores), labels, [n, h, w], c, opts);
}
