/**
 * SegLoss Explorer's loss library: the 25 losses of Azad et al. (arXiv 2312.05391) on TensorFlow.js.
 * Inputs: logits [N, H, W, C] float32 (softmax taken inside), target [N, H, W] int32 class indices.
 */

export { computeLoss, computeLossOfFiniteLogits, lossAndGrad } from './compute';
// The multi-loss engine behind the explorer: many losses and gradients with one read-back per update.
export {
  type EvaluateOptions,
  type EvaluationResult,
  evaluateLosses,
  evaluateLossesAsync,
  GroundTruthCache,
  type LossEvaluation,
  type LossRequest,
} from './engine/evaluate';
export { GroundTruthContext } from './engine/gt-context';
export { errorMessage } from './error-message';
export { nonFiniteLogitsMessage } from './finite-logits';
export { INTUITION, intuitionOf } from './intuition';
// InverseForm needs its frozen network loaded once (browser: URL; Node: src/inverseform/load-node.ts).
export {
  InverseFormNotLoadedError,
  isInverseFormNetLoaded,
  loadInverseFormNet,
  setInverseFormNet,
} from './inverseform/loader';
export {
  evaluateLandscapeLines,
  type LandscapeLineEntry,
  type LandscapeLineLoss,
  type LandscapeLinesResult,
} from './landscape/compare';
// Loss landscapes: the loss on a line or grid of perturbed logits around the current prediction.
export {
  DEFAULT_MARGIN,
  directionInfo,
  LANDSCAPE_DIRECTIONS,
  type LandscapeDirection,
  linspace,
} from './landscape/directions';
export {
  evaluateLandscape,
  evaluateLandscapeAsync,
  type LandscapeAsyncOptions,
  type LandscapeAxis,
  type LandscapeAxisSpec,
  LandscapeCancelledError,
  type LandscapeOptions,
  type LandscapeResult,
} from './landscape/evaluate';
export {
  evaluateNamedLandscape,
  type NamedAxis,
  type NamedAxisSpec,
  type NamedLandscapeOptions,
  type NamedLandscapeResult,
  type NamedLoss,
  type NamedLossSeries,
  namedPointLogits,
  transformedProbabilities,
} from './landscape/named';
export {
  defaultPixelPs,
  evaluatePixelCurves,
  PIXEL_P_REF,
  type PixelCurve,
  type PixelCurvesResult,
} from './landscape/pixel-curves';
// Landscapes along named transformations of the prediction (shift, blur, dilate, temperature, FN/FP mass),
// the argmax Dice/IoU helper they plot beside the losses, and per-pixel curves.
export {
  applyTransform,
  baseProbabilities,
  isNamedTransform,
  NAMED_TRANSFORMS,
  type NamedTransform,
  probsToLogits,
  TRANSFORM_INFO,
  type TransformBase,
  type TransformInfo,
  transformBatch,
} from './landscape/transforms';
// Segmentation metrics (Dice, IoU, HD95, HD, ASSD) with MONAI's conventions, undefined values typed; the
// tensor-side argmax Dice/IoU (race, landscapes) with the same conventions.
export {
  argmaxDiceIoU,
  argmaxLabels,
  diceScoreMeanForeground,
  diceScoreOfLabels,
  type ForegroundMean,
  isDefined,
  labelMetrics,
  METRIC_NAMES,
  type MetricName,
  type MetricOptions,
  type MetricSummary,
  type MetricValue,
  segmentationMetrics,
  type UndefinedReason,
} from './metrics/index';
// Softmax and log-softmax computed once for many losses of one logits tensor (what evaluateLosses does).
export { predictionScope } from './ops/prediction-memo';
export { logSoftmax, oneHot, softmax } from './ops/probabilities';
// Seeded random numbers (the editors' noise derivation and the landscape's random direction use the same).
export { mulberry32 } from './ops/random';
export { defaultParams, ParamError, resolveParams } from './params';
// The loss race: gradient descent under several losses from the same start (free logits or a tiny network).
export {
  RaceCancelledError,
  type RaceInputs,
  RaceRun,
  type RacerTrajectory,
  type RaceTrajectory,
  runRace,
  snapshotIndexAt,
} from './race/race';
export {
  ADAM,
  defaultRate,
  MOMENTUM,
  RACE_MAX_LOSSES,
  RACE_MAX_STEPS,
  RACE_MIN_LOSSES,
  RACE_MIN_STEPS,
  RACE_MODES,
  RACE_OPTIMISERS,
  type RaceLearningRate,
  type RaceLoss,
  type RaceMode,
  type RaceOptimiser,
  type RaceSettings,
  validateRaceSettings,
} from './race/settings';
export { getLoss, IMPLEMENTED_LOSSES, isImplemented, isLossId, LOSSES } from './registry';
export { CATEGORIES, SURVEY, TAXONOMY, taxonomyEntry } from './taxonomy';
export { tf } from './tf';
export * from './types';
