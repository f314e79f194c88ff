// The order in which a state's results land: the focused loss, then the compared ones (small multiples),
// then the table's order. Shared by the compute bridge and the table's progress line.

import type { LossId } from '../../src';
import { isImplemented, LOSSES } from '../../src';
import type { AppState } from '../store';

type OrderInputs = Pick<AppState, 'enabled' | 'focusedLoss' | 'multiples'>;

/** Enabled, implemented losses in the order they should land: focused, compared, then the table's order. */
export function lossOrder(s: OrderInputs): LossId[] {
  const on = LOSSES.filter((d) => s.enabled[d.id] && isImplemented(d)).map((d) => d.id);
  const rank = (id: LossId) => (id === s.focusedLoss ? 0 : s.multiples.includes(id) ? 1 : 2);
  return on
    .map((id, i) => ({ id, i }))
    .sort((a, b) => rank(a.id) - rank(b.id) || a.i - b.i)
    .map((x) => x.id);
}

/** How many of the enabled losses show a result of the state now in the store. */
export function currentCount(s: OrderInputs & Pick<AppState, 'results' | 'stateVersion'>): number {
  return lossOrder(s).filter((id) => s.results[id]?.version === s.stateVersion).length;
}

/** True while the results of the state now in the store are still landing (and nothing failed). */
export function liveUpdateLanding(
  s: OrderInputs & Pick<AppState, 'results' | 'stateVersion' | 'computeError' | 'backendStatus'>,
): boolean {
  return s.computeError === null && s.backendStatus !== 'failed' && currentCount(s) < lossOrder(s).length;
}
