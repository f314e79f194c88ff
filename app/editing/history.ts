/**
 * Bounded undo/redo history of mask snapshots. Snapshots hold references to immutable typed arrays, so pushing one
 * costs no copy. One entry per gesture: callers push the state BEFORE a gesture starts changing things.
 */
import type { Masks } from './grid';

export type Snapshot = Masks;

export interface History {
  past: readonly Snapshot[];
  future: readonly Snapshot[];
}

export const HISTORY_LIMIT = 50;

export const emptyHistory: History = { past: [], future: [] };

/** Records `before` as an undo step (dropping the oldest beyond the limit) and clears redo. */
export function pushHistory(h: History, before: Snapshot, limit = HISTORY_LIMIT): History {
  const past = [...h.past, before];
  if (past.length > limit) past.splice(0, past.length - limit);
  return { past, future: [] };
}

export function undoHistory(h: History, current: Snapshot): { history: History; snapshot: Snapshot } | null {
  if (h.past.length === 0) return null;
  const snapshot = h.past[h.past.length - 1]!;
  return { history: { past: h.past.slice(0, -1), future: [current, ...h.future] }, snapshot };
}

export function redoHistory(h: History, current: Snapshot): { history: History; snapshot: Snapshot } | null {
  if (h.future.length === 0) return null;
  const snapshot = h.future[0]!;
  return { history: { past: [...h.past, current], future: h.future.slice(1) }, snapshot };
}
