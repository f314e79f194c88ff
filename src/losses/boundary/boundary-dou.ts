// Boundary Difference Over Union Loss: not implemented yet (see the open issue for the boundary-level losses).
import { comingLoss } from '../define';

export const boundaryDouLoss = comingLoss('boundary-dou');
