// IoU (Jaccard) Loss: not implemented yet (see the open issue for the region-level losses).
import { comingLoss } from '../define';

export const iouLoss = comingLoss('iou');
