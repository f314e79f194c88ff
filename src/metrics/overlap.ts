/**
 * Dice score and IoU of one class on label maps, MONAI's `compute_dice` / `compute_iou` with
 * `include_background=True, ignore_empty=False`: 2|P∩T| / (|P| + |T|) and |P∩T| / |P∪T|; when the class is
 * absent from both, MONAI returns 1 (a perfect empty prediction), so these two metrics are always defined.
 */
import { type MetricValue, value } from './types';

export interface OverlapCounts {
  pred: number;
  target: number;
  intersection: number;
}

/** Pixel counts of class `c` in one image of two [h·w] label maps starting at `offset`. */
export function overlapCounts(
  pred: ArrayLike<number>,
  target: ArrayLike<number>,
  c: number,
  offset: number,
  size: number,
): OverlapCounts {
  let p = 0;
  let t = 0;
  let both = 0;
  for (let i = offset; i < offset + size; i++) {
    const inP = pred[i] === c;
    const inT = target[i] === c;
    if (inP) p++;
    if (inT) t++;
    if (inP && inT) both++;
  }
  return { pred: p, target: t, intersection: both };
}

export function diceFromCounts({ pred, target, intersection }: OverlapCounts): MetricValue {
  const denom = pred + target;
  return value(denom === 0 ? 1 : (2 * intersection) / denom);
}

export function iouFromCounts({ pred, target, intersection }: OverlapCounts): MetricValue {
  const union = pred + target - intersection;
  return value(union === 0 ? 1 : intersection / union);
}
