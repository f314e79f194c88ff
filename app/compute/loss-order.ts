// The order in which a state's results land: the focused loss, then the compared ones (small multiples),
// then the table's order. Shared by the compute bridge and the table's progress line.

import type { LossId } from '../../src';
import { isImplemented, LOSSES } from '../../src';
import type { AppState } from '../store';

type OrderInputs = Pick<AppState, 'enabled' | 'focusedLoss' | 'multiples'>;

/**
 * The last inputs and their order: every store update runs the table's selectors (and the bridge's plan), each
 * of which asks for the order, while its inputs change only when a loss is switched, focused or compared.
 */
let last: {
  enabled: OrderInputs['enabled'];
  focusedLoss: LossId;
  multiples: OrderInputs['multiples'];
  order: LossId[];
} | null = null;

/**
 * Enabled, implemented losses in the order they should land: focused, compared, then the table's order. The
 * same inputs (by identity) give the same array: callers must not modify it.
 */
export function lossOrder(s: OrderInputs): readonly LossId[] {
  if (last && last.enabled === s.enabled && last.focusedLoss === s.focusedLoss && last.multiples === s.multiples)
    return last.order;
  const on = LOSSES.filter((d) => s.enabled[d.id] && isImplemented(d)).map((d) => d.id);
  const rank = (id: LossId) => (id === s.focusedLoss ? 0 : s.multiples.includes(id) ? 1 : 2);
  const order = on
    .map((id, i) => ({ id, i }))
    .sort((a, b) => rank(a.id) - rank(b.id) || a.i - b.i)
    .map((x) => x.id);
  last = { enabled: s.enabled, focusedLoss: s.focusedLoss, multiples: s.multiples, order };
  return order;
}

/** How many of the enabled losses show a result of the state now in the store. */
export function currentCount(s: OrderInputs & Pick<AppState, 'results' | 'stateVersion'>): number {
  let n = 0;
  for (const id of lossOrder(s)) if (s.results[id]?.version === s.stateVersion) n++;
  return n;
}

/** True while the results of the state now in the store are still landing (and nothing failed). */
export function liveUpdateLanding(
  s: OrderInputs & Pick<AppState, 'results' | 'stateVersion' | 'computeError' | 'backendStatus'>,
): boolean {
  return s.computeError === null && s.backendStatus !== 'failed' && currentCount(s) < lossOrder(s).length;
}
