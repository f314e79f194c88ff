// The metrics row's own zustand store: the last metrics of the masks (src/metrics via the compute host), the
// masks they belong to (so the row can mark itself stale while an update is pending) and its actions.
import { create } from 'zustand';
import type { MetricSummary } from '../../src';

export interface MetricsInputs {
  target: Int32Array;
  logits: Float32Array;
}

export interface MetricsState {
  summary: MetricSummary | null;
  /** The masks `summary` was computed from (compare with the store's to tell stale from current). */
  inputs: MetricsInputs | null;
  error: string | null;
  engineMs: number | null;
  landed(summary: MetricSummary, inputs: MetricsInputs, engineMs: number): void;
  failed(error: string, inputs: MetricsInputs): void;
}

export const useMetrics = create<MetricsState>()((set) => ({
  summary: null,
  inputs: null,
  error: null,
  engineMs: null,
  landed: (summary, inputs, engineMs) => set({ summary, inputs, engineMs, error: null }),
  failed: (error, inputs) => set({ error, inputs }),
}));

/** True while the metrics shown belong to other masks than those in the store (an update is pending). */
export function metricsStale(m: Pick<MetricsState, 'inputs'>, s: MetricsInputs): boolean {
  return !m.inputs || m.inputs.target !== s.target || m.inputs.logits !== s.logits;
}
