// The segmentation metrics of the current masks (Dice, IoU, HD95, HD, ASSD; src/metrics), computed where the
// maths runs: the argmax of the logits on the active backend, then the metrics on the label maps.
import { type MetricSummary, segmentationMetrics, tf } from '../../src';

export interface MetricsRequest {
  width: number;
  height: number;
  numClasses: number;
  target: Int32Array;
  logits: Float32Array;
}

export interface MetricsReply {
  summary: MetricSummary;
  /** Time of the argmax and the metrics where they ran (ms). */
  engineMs: number;
}

export function computeMetrics(req: MetricsRequest): MetricsReply {
  const t0 = performance.now();
  const x = tf.tensor4d(req.logits, [1, req.height, req.width, req.numClasses]);
  try {
    return { summary: segmentationMetrics(x, req.target), engineMs: performance.now() - t0 };
  } finally {
    x.dispose();
  }
}
