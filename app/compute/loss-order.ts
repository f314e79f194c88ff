// The order in which a state's results land: the focused loss, then the compared ones (small multiples),
// then the table's order. Shared by the compute bridge and the table's progress line.

import type { LossId } from '../../src';
import { isImplemented, LOSSES } from '../../src';
import type { AppState } from '../store';

/** Enabled, implemented losses in the order they should land: focused, compared, then the table's order. */
export function lossOrder(s: Pick<AppState, 'enabled' | 'focusedLoss' | 'multiples'>): LossId[] {
  const on = LOSSES.filter((d) => s.enabled[d.id] && isImplemented(d)).map((d) => d.id);
  const rank = (id: LossId) => (id === s.focusedLoss ? 0 : s.multiples.includes(id) ? 1 : 2);
  return on
    .map((id, i) => ({ id, i }))
    .sort((a, b) => rank(a.id) - rank(b.id) || a.i - b.i)
    .map((x) => x.id);
}
