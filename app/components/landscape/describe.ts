// The words the landscape view shows: one sentence on what is plotted, and number formatting.
import type { LandscapeResult } from '../../../src';

/** One sentence saying what the chart plots, in the units of its axes. */
export function describeLandscape(r: LandscapeResult, lossName: string): string {
  const [a, b] = r.axes;
  if (!a) return '';
  if (r.dims === 1 || !b) {
    return `${lossName} at the logits z + a·d for ${r.cols} values of a from ${fmt(a.coords[0])} to ${fmt(a.coords[r.cols - 1])}; ${a.definition}; a = 0 is the current prediction.`;
  }
  return `${lossName} at the logits z + a·d₁ + b·d₂ on a ${r.cols}×${r.rows} grid; d₁ (horizontal, a): ${a.definition}; d₂ (vertical, b): ${b.definition}; (0, 0) is the current prediction.`;
}

function fmt(v: number | undefined): string {
  return v === undefined ? '?' : String(Number(v.toPrecision(4)));
}
