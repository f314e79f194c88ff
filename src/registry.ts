import { activeBoundaryLoss } from './losses/boundary/active-boundary';
import { boundaryAwareLoss } from './losses/boundary/boundary-aware';
import { boundaryDouLoss } from './losses/boundary/boundary-dou';
import { boundaryLoss } from './losses/boundary/boundary-loss';
import { conditionalBoundaryLoss } from './losses/boundary/conditional-boundary';
import { hausdorffDistanceLoss } from './losses/boundary/hausdorff-distance';
import { inverseformLoss } from './losses/boundary/inverseform';
import { regionWiseLoss } from './losses/boundary/region-wise';
import { comboLoss } from './losses/combination/combo';
import { expLogLoss } from './losses/combination/exp-log';
import { unifiedFocalLoss } from './losses/combination/unified-focal';
import { crossEntropyLoss } from './losses/pixel/cross-entropy';
import { distanceMapCeLoss } from './losses/pixel/distance-map-ce';
import { focalLoss } from './losses/pixel/focal';
import { topkLoss } from './losses/pixel/topk';
import { diceLoss } from './losses/region/dice';
import { focalTverskyLoss } from './losses/region/focal-tversky';
import { generalisedWassersteinDiceLoss } from './losses/region/generalised-wasserstein-dice';
import { iouLoss } from './losses/region/iou';
import { logCoshDiceLoss } from './losses/region/log-cosh-dice';
import { lovaszSoftmaxLoss } from './losses/region/lovasz-softmax';
import { regionMutualInformationLoss } from './losses/region/region-mutual-information';
import { robustTLoss } from './losses/region/robust-t-loss';
import { sensitivitySpecificityLoss } from './losses/region/sensitivity-specificity';
import { tverskyLoss } from './losses/region/tversky';
import { resolveParams } from './params';
import type { LossDefinition, LossId } from './types';

/**
 * THE list of losses: one line per loss file, in the survey's taxonomy order. Ids (the LossId union),
 * taxonomy placement and registration all derive from it; adding a loss is its file, one line here and its
 * test file (README, Contributing).
 */
export const LOSS_LIST = [
  crossEntropyLoss,
  topkLoss,
  focalLoss,
  distanceMapCeLoss,
  diceLoss,
  logCoshDiceLoss,
  generalisedWassersteinDiceLoss,
  iouLoss,
  lovaszSoftmaxLoss,
  tverskyLoss,
  focalTverskyLoss,
  sensitivitySpecificityLoss,
  regionMutualInformationLoss,
  robustTLoss,
  boundaryLoss,
  hausdorffDistanceLoss,
  boundaryAwareLoss,
  activeBoundaryLoss,
  inverseformLoss,
  conditionalBoundaryLoss,
  boundaryDouLoss,
  regionWiseLoss,
  comboLoss,
  expLogLoss,
  unifiedFocalLoss,
] as const;

/** Every loss of the survey, in taxonomy order; `status` says whether it is implemented. */
export const LOSSES: readonly LossDefinition[] = LOSS_LIST;

/** The 25 ids, in taxonomy order. */
export const LOSS_IDS: readonly LossId[] = LOSS_LIST.map((d) => d.id);

const byId = new Map<string, LossDefinition>(LOSSES.map((l) => [l.id, l]));
if (byId.size !== LOSSES.length) throw new Error('registry: a loss id is listed twice');

export function getLoss(id: string): LossDefinition {
  const def = byId.get(id);
  if (!def) throw new Error(`unknown loss '${id}' (known: ${LOSS_IDS.join(', ')})`);
  return def;
}

export function isLossId(id: string): id is LossId {
  return byId.has(id);
}

export function isImplemented(
  def: LossDefinition,
): def is LossDefinition & { compute: NonNullable<LossDefinition['compute']> } {
  return def.status === 'implemented' && typeof def.compute === 'function';
}

/** The implemented losses, in taxonomy order (all 25 today). */
export const IMPLEMENTED_LOSSES: readonly LossDefinition[] = LOSSES.filter(isImplemented);

export { resolveParams };
