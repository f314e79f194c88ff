// Which losses the presenter view shows big: the focused one first, then those ticked under "Compare", only
// enabled ones, at most four.
import type { LossId } from '../../src';

export const MAX_PRESENTED = 4;

export function presentedLosses(
  focused: LossId,
  compared: readonly LossId[],
  enabled: Partial<Record<LossId, boolean>>,
): LossId[] {
  const ids = [focused, ...compared.filter((id) => id !== focused)].filter((id) => enabled[id]);
  return ids.slice(0, MAX_PRESENTED);
}
