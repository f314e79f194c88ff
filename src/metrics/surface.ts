/**
 * Surface-distance metrics of one class on one image, with MONAI's conventions (monai/metrics/utils.py
 * `get_mask_edges`, `get_surface_distance`; hausdorff_distance.py, surface_distance.py):
 *
 * - Surface: MONAI's edges are `binary_erosion(mask) ^ mask` with SciPy's default cross-shaped (4-neighbour)
 *   structure, on a crop padded by one zero pixel, so pixels on the image border are surface. That is exactly
 *   src/ops `crossBoundary`.
 * - Distances from every surface pixel of A to the nearest surface pixel of B: the exact Euclidean distance
 *   transform (src/ops `edt`, SciPy's definition) of "not a surface pixel of B", unit spacing.
 * - HD: the maximum over both directions of the largest distance; HD95: the maximum over both directions of
 *   the 95th percentile (linear interpolation, as torch.quantile / numpy.percentile); ASSD (symmetric=True):
 *   the mean of both directions' distances concatenated.
 * - Empty surfaces: if one mask is empty every distance of the other direction is inf (MONAI fills with inf),
 *   so HD and ASSD are inf and HD95 is NaN (the quantile of infs); if both are empty there are no distances
 *   and all three are NaN. These come back as `undefined` with the reason, never as numbers.
 */
import { crossBoundary } from '../ops/boundaries';
import { edt } from '../ops/edt';
import type { MetricValue } from './types';
import { value } from './types';

export interface SurfaceMetrics {
  hd95: MetricValue;
  hd: MetricValue;
  assd: MetricValue;
}

/** Linear-interpolation quantile (numpy.percentile / torch.quantile default) of sorted values. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo] as number;
  return a + (pos - lo) * ((sorted[hi] as number) - a);
}

/** Distances from each surface pixel of `from` to the nearest surface pixel of `to` (both non-empty). */
function directed(from: Uint8Array, to: Uint8Array, h: number, w: number): Float64Array {
  const notTo = new Uint8Array(h * w);
  for (let i = 0; i < notTo.length; i++) notTo[i] = to[i] ? 0 : 1;
  const dist = edt(notTo, h, w);
  const out: number[] = [];
  for (let i = 0; i < from.length; i++) if (from[i]) out.push(dist[i] as number);
  return Float64Array.from(out).sort();
}

const MESSAGES: Record<'empty-target' | 'empty-prediction' | 'both-empty', string> = {
  'empty-target': 'class absent from the target: no target surface to measure to',
  'empty-prediction': 'class absent from the prediction: no predicted surface to measure from',
  'both-empty': 'class absent from target and prediction: no surface points at all',
};

function undefinedValue(reason: keyof typeof MESSAGES, monai: 'nan' | 'inf'): MetricValue {
  return { kind: 'undefined', reason, monai, message: `${MESSAGES[reason]} (MONAI: ${monai})` };
}

/** HD95, HD and ASSD of two binary masks (one image, row-major h×w). */
export function surfaceMetrics(
  pred: ArrayLike<number>,
  target: ArrayLike<number>,
  h: number,
  w: number,
): SurfaceMetrics {
  let anyP = false;
  let anyT = false;
  for (let i = 0; i < h * w; i++) {
    if (pred[i]) anyP = true;
    if (target[i]) anyT = true;
  }
  if (!anyP || !anyT) {
    const reason = anyP ? 'empty-target' : anyT ? 'empty-prediction' : 'both-empty';
    const hdLike = reason === 'both-empty' ? 'nan' : 'inf';
    return {
      hd95: undefinedValue(reason, 'nan'),
      hd: undefinedValue(reason, hdLike),
      assd: undefinedValue(reason, hdLike),
    };
  }
  const ep = crossBoundary(pred, h, w);
  const et = crossBoundary(target, h, w);
  const pt = directed(ep, et, h, w);
  const tp = directed(et, ep, h, w);
  let sum = 0;
  for (const d of pt) sum += d;
  for (const d of tp) sum += d;
  return {
    hd95: value(Math.max(quantileSorted(pt, 0.95), quantileSorted(tp, 0.95))),
    hd: value(Math.max(pt[pt.length - 1] as number, tp[tp.length - 1] as number)),
    assd: value(sum / (pt.length + tp.length)),
  };
}
