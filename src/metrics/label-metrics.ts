/**
 * All five metrics from label maps (prediction already an argmax): per image and class, per class (mean over
 * the images), and the mean over the classes present. Plain CPU code on integers; the TF.js part (argmax of
 * the logits on the active backend) is in segmentation-metrics.ts.
 */
import { diceFromCounts, iouFromCounts, overlapCounts } from './overlap';
import { surfaceMetrics } from './surface';
import { type ClassMetrics, METRIC_NAMES, type MetricName, type MetricSummary, type MetricValue, value } from './types';

export interface MetricOptions {
  /** Let class 0 take part in the mean over classes (per-class values always include it). Default false. */
  includeBackground?: boolean;
}

function checkLabels(labels: ArrayLike<number>, size: number, numClasses: number, what: string): void {
  if (labels.length !== size) throw new Error(`metrics: ${what} has ${labels.length} entries, expected ${size}`);
  for (let i = 0; i < size; i++) {
    const v = labels[i] as number;
    if (!Number.isInteger(v) || v < 0 || v >= numClasses)
      throw new Error(`metrics: ${what}[${i}] = ${v} is not a class index in [0, ${numClasses - 1}]`);
  }
}

/** Per class, the metrics of one image (index `b` of a row-major [n, h, w] stack). */
export function imageMetrics(
  pred: ArrayLike<number>,
  target: ArrayLike<number>,
  b: number,
  h: number,
  w: number,
  numClasses: number,
): ClassMetrics {
  const hw = h * w;
  const out: ClassMetrics = { dice: [], iou: [], hd95: [], hd: [], assd: [] };
  const pMask = new Uint8Array(hw);
  const tMask = new Uint8Array(hw);
  for (let c = 0; c < numClasses; c++) {
    const counts = overlapCounts(pred, target, c, b * hw, hw);
    out.dice.push(diceFromCounts(counts));
    out.iou.push(iouFromCounts(counts));
    for (let i = 0; i < hw; i++) {
      pMask[i] = pred[b * hw + i] === c ? 1 : 0;
      tMask[i] = target[b * hw + i] === c ? 1 : 0;
    }
    const s = surfaceMetrics(pMask, tMask, h, w);
    out.hd95.push(s.hd95);
    out.hd.push(s.hd);
    out.assd.push(s.assd);
  }
  return out;
}

/** The mean of several values; undefined (naming the first undefined entry) if any entry is undefined. */
export function meanOf(values: MetricValue[], labels: string[]): MetricValue {
  if (values.length === 0)
    return { kind: 'undefined', reason: 'no-class-present', monai: 'nan', message: 'no class to average over' };
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as MetricValue;
    if (v.kind === 'undefined') {
      return {
        kind: 'undefined',
        reason: 'undefined-class',
        monai: v.monai,
        message: `${labels[i]} is undefined: ${v.message}`,
      };
    }
    sum += v.value;
  }
  return value(sum / values.length);
}

/**
 * Metrics of label maps `pred` and `target`, both row-major [n, h, w] class indices in [0, numClasses).
 * Throws a clear message on mismatched sizes or labels out of range.
 */
export function labelMetrics(
  pred: ArrayLike<number>,
  target: ArrayLike<number>,
  shape: readonly [number, number, number],
  numClasses: number,
  opts: MetricOptions = {},
): MetricSummary {
  const [n, h, w] = shape;
  if (![n, h, w, numClasses].every((x) => Number.isInteger(x) && x >= 1))
    throw new Error(`metrics: shape [${shape.join(', ')}] and ${numClasses} classes must be positive integers`);
  checkLabels(pred, n * h * w, numClasses, 'prediction');
  checkLabels(target, n * h * w, numClasses, 'target');

  const perImage: ClassMetrics[] = [];
  for (let b = 0; b < n; b++) perImage.push(imageMetrics(pred, target, b, h, w, numClasses));

  const present = new Uint8Array(numClasses);
  for (let i = 0; i < n * h * w; i++) {
    present[pred[i] as number] = 1;
    present[target[i] as number] = 1;
  }
  const meanClasses: number[] = [];
  for (let c = opts.includeBackground || numClasses === 1 ? 0 : 1; c < numClasses; c++)
    if (present[c]) meanClasses.push(c);

  const perClass = {} as ClassMetrics;
  const mean = {} as Record<MetricName, MetricValue>;
  for (const m of METRIC_NAMES) {
    perClass[m] = [];
    for (let c = 0; c < numClasses; c++) {
      const imgs = perImage.map((p) => p[m][c] as MetricValue);
      perClass[m].push(
        n === 1
          ? (imgs[0] as MetricValue)
          : meanOf(
              imgs,
              imgs.map((_, b) => `image ${b}`),
            ),
      );
    }
    mean[m] = meanOf(
      meanClasses.map((c) => perClass[m][c] as MetricValue),
      meanClasses.map((c) => `class ${c}`),
    );
  }
  return { perImage, perClass, mean, meanClasses, numClasses };
}
