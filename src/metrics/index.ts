// Segmentation metrics (Dice, IoU, HD95, HD, ASSD) with MONAI's conventions; see README "Metrics".
export { labelMetrics, type MetricOptions, meanOf } from './label-metrics';
export { argmaxLabels, segmentationMetrics } from './segmentation-metrics';
export { quantileSorted, surfaceMetrics } from './surface';
export * from './types';
