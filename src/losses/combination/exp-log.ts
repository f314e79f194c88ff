// Exponential Logarithmic Loss: not implemented yet (see the open issue for the combination-level losses).
import { comingLoss } from '../define';

export const expLogLoss = comingLoss('exp-log');
