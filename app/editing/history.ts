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
/** Memory budget of the undo stack (arrays shared between snapshots count once): 256 MB. */
export const HISTORY_BYTES = 256 * 1024 * 1024;

export const emptyHistory: History = { past: [], future: [] };

/**
 * Records `before` as an undo step and clears redo. Drops the oldest entries beyond `limit` entries or beyond
 * `maxBytes` of distinct arrays (large multi-class grids would otherwise hold hundreds of MB).
 */
export function pushHistory(h: History, before: Snapshot, limit = HISTORY_LIMIT, maxBytes = HISTORY_BYTES): History {
  const past = [...h.past, before];
  if (past.length > limit) past.splice(0, past.length - limit);
  const seen = new Set<ArrayBufferView>();
  let bytes = 0;
  for (let i = past.length - 1; i >= 0; i--) {
    const s = past[i]!;
    for (const a of [s.target, s.logits]) {
      if (!seen.has(a)) {
        seen.add(a);
        bytes += a.byteLength;
      }
    }
    if (bytes > maxBytes && i < past.length - 1) {
      past.splice(0, i + 1);
      break;
    }
  }
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
