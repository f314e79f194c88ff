// Unified Focal Loss: not implemented yet (see the open issue for the combination-level losses).
import { comingLoss } from '../define';

export const unifiedFocalLoss = comingLoss('unified-focal');
