// Normalising the lines of the "Compare losses" view so losses of very different scales share one axis.
import type { LandscapeResult } from '../../../src';

export type LineNormalisation = 'relative' | 'minmax';

export const NORMALISATIONS: Record<LineNormalisation, { label: string; axis: string; explain: string }> = {
  relative: {
    label: 'value / value at the current prediction',
    axis: 'L(a) / L(0)',
    explain: 'each loss divided by its value at the current prediction (a = 0), so every line passes through 1 there',
  },
  minmax: {
    label: 'min–max to [0, 1]',
    axis: '(L − min) / (max − min)',
    explain: 'each loss rescaled so its smallest value on the line is 0 and its largest 1',
  },
};

/** The normalised values (NaN where undefined), or why this line cannot be normalised. */
export function normaliseLine(r: LandscapeResult, how: LineNormalisation): { values: number[] } | { error: string } {
  const v = Array.from(r.values);
  if (how === 'relative') {
    if (!Number.isFinite(r.origin) || r.origin === 0) {
      return { error: `its value at the current prediction is ${r.origin}, so it cannot be divided by` };
    }
    return { values: v.map((x) => x / r.origin) };
  }
  if (!Number.isFinite(r.min)) return { error: 'it has no finite value on this line' };
  const span = r.max - r.min;
  // A flat line has no range to stretch: drawn at 0.
  return { values: v.map((x) => (Number.isFinite(x) ? (span > 0 ? (x - r.min) / span : 0) : Number.NaN)) };
}
