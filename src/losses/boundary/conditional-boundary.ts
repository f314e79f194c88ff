// Conditional Boundary Loss: not implemented yet (see the open issue for the boundary-level losses).
import { comingLoss } from '../define';

export const conditionalBoundaryLoss = comingLoss('conditional-boundary');
