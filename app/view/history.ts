// Recent values of each loss for the live list's sparklines: one entry per update, the last HISTORY_LENGTH kept.
import type { LossId } from '../../src';

export const HISTORY_LENGTH = 24;

export type ValueHistory = Partial<Record<LossId, number[]>>;

/** Appends this update's finite values; a loss without a finite value keeps its history unchanged. */
export function pushHistory(
  history: ValueHistory,
  values: Partial<Record<LossId, number | null>>,
  length = HISTORY_LENGTH,
): ValueHistory {
  const next: ValueHistory = { ...history };
  for (const [id, v] of Object.entries(values) as [LossId, number | null][]) {
    if (v === null || !Number.isFinite(v)) continue;
    next[id] = [...(history[id] ?? []), v].slice(-length);
  }
  return next;
}

/** Polyline points for a sparkline of `values` in a width × height box (min at the bottom, max at the top). */
export function sparklinePoints(values: readonly number[], width: number, height: number): string {
  if (values.length === 0) return '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  return values
    .map((v, i) => {
      const x = values.length > 1 ? i * step : width / 2;
      const y = max === min ? height / 2 : height - ((v - min) / span) * height;
      return `${round(x)},${round(y)}`;
    })
    .join(' ');
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
