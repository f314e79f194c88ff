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

/**
 * The values of the state `version` (each result carries the version it was computed for): a loss whose shown
 * value belongs to an older state has none here, so a history entry never records a stale value as this state's.
 */
export function valuesOfState(
  results: Partial<Record<LossId, { value: number | null; version: number }>>,
  version: number,
): Partial<Record<LossId, number | null>> {
  const out: Partial<Record<LossId, number | null>> = {};
  for (const [id, r] of Object.entries(results) as [LossId, { value: number | null; version: number } | undefined][])
    if (r && r.version === version) out[id] = r.value;
  return out;
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
