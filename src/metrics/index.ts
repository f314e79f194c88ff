// Segmentation metrics (Dice, IoU, HD95, HD, ASSD) with MONAI's conventions; see README "Metrics".

export {
  argmaxDiceIoU,
  diceScoreMeanForeground,
  diceScoreOfLabels,
  type ForegroundMean,
} from './argmax-overlap';
export { labelMetrics, type MetricOptions, meanOf } from './label-metrics';
export { argmaxLabels, segmentationMetrics } from './segmentation-metrics';
export { quantileSorted, surfaceMetrics } from './surface';
export * from './types';
