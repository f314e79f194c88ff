// Exports must not pass off old values as current (issue 14 §1.5): before writing the loss table or the heatmap,
// wait until every enabled loss has a result for the inputs now in the store; whatever is still not current when
// the wait ends (a slow backend, a failed update) is written as "stale", never as a plain value. DOM-free.
import { isImplemented, LOSSES, type LossId } from '../../src';

export interface FreshnessView {
  stateVersion: number;
  enabled: Partial<Record<LossId, boolean>>;
  results: Partial<Record<LossId, { version: number } | undefined>>;
  computeError: string | null;
}

/** Enabled, implemented losses whose result is missing or belongs to an older state. */
export function notCurrent(s: FreshnessView): LossId[] {
  return LOSSES.filter((d) => isImplemented(d) && s.enabled[d.id] && s.results[d.id]?.version !== s.stateVersion).map(
    (d) => d.id,
  );
}

export interface StoreLike<S> {
  getState(): S;
  subscribe(listener: (s: S) => void): () => void;
}

/**
 * Resolves true once every enabled loss is current, false when `timeoutMs` passes first or an update fails
 * (then waiting longer would not help).
 */
export function waitForCurrent<S extends FreshnessView>(store: StoreLike<S>, timeoutMs: number): Promise<boolean> {
  const done = (s: S) => (notCurrent(s).length === 0 ? true : s.computeError ? false : null);
  const now = done(store.getState());
  if (now !== null) return Promise.resolve(now);
  return new Promise((resolve) => {
    const finish = (v: boolean) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(v);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    const unsubscribe = store.subscribe((s) => {
      const d = done(s);
      if (d !== null) finish(d);
    });
  });
}
