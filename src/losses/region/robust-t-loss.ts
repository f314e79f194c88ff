// Robust T-Loss: not implemented yet (see the open issue for the region-level losses).
import { comingLoss } from '../define';

export const robustTLossLoss = comingLoss('robust-t-loss');
