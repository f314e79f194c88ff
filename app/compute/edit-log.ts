// "Δ since edit": which values each state's results are compared with. An edit is a whole stroke (every state
// of one gesture of the masks slice), or one other change of the masks or parameters (upload, derivation,
// undo, preset, parameter). Its baseline is the state just before it started; a change that cannot alter any
// value (a loss switched on or off, a recompute on another backend) keeps the baseline.
import type { LossId } from '../../src';

export type VersionChange = 'edit' | 'same-values' | 'recompute';

export class EditLog {
  private values = new Map<number, Map<LossId, number | null>>();
  private baseOf = new Map<number, number | null>();
  private gesture: unknown = null;

  constructor(first: number) {
    this.baseOf.set(first, null);
    this.values.set(first, new Map());
  }

  /**
   * State `next` replaces `prev`. `gesture` is the masks slice's `gestureBase` (one object per stroke, null
   * outside strokes): every state of one stroke shares the baseline taken before its first change.
   */
  bump(prev: number, next: number, change: VersionChange, gesture: unknown): void {
    const prevBase = this.baseOf.get(prev) ?? null;
    if (change === 'edit') {
      const sameStroke = gesture !== null && gesture === this.gesture;
      this.baseOf.set(next, sameStroke ? prevBase : prev);
      this.gesture = gesture;
    } else this.baseOf.set(next, prevBase);
    // Same inputs, same values: both versions share one table.
    this.values.set(next, change === 'same-values' ? (this.values.get(prev) ?? new Map()) : new Map());
  }

  record(version: number, id: LossId, value: number | null): void {
    this.values.get(version)?.set(id, value);
  }

  /** The value before the edit `version` belongs to, or null when it was never computed. */
  previous(version: number, id: LossId): number | null {
    const base = this.baseOf.get(version);
    if (base === undefined || base === null) return null;
    return this.values.get(base)?.get(id) ?? null;
  }

  /** Forgets every version except `keep` and their baselines. */
  prune(keep: readonly number[]): void {
    const wanted = new Set<number>();
    for (const v of keep) {
      wanted.add(v);
      const b = this.baseOf.get(v);
      if (b !== undefined && b !== null) wanted.add(b);
    }
    for (const v of [...this.values.keys()]) if (!wanted.has(v)) this.values.delete(v);
    for (const v of [...this.baseOf.keys()]) if (!keep.includes(v)) this.baseOf.delete(v);
  }
}
