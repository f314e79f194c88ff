// TopK Loss: not implemented yet (see the open issue for the pixel-level losses).
import { comingLoss } from '../define';

export const topkLoss = comingLoss('topk');
