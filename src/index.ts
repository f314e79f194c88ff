/**
 * SegLoss Explorer's loss library: the 25 losses of Azad et al. (arXiv 2312.05391) on TensorFlow.js.
 * Inputs: logits [N, H, W, C] float32 (softmax taken inside), target [N, H, W] int32 class indices.
 */

export { computeLoss, lossAndGrad } from './compute';
export { GroundTruthContext } from './engine/gt-context';
// InverseForm needs its frozen network loaded once (browser: URL; Node: src/inverseform/load-node.ts).
export {
  InverseFormNotLoadedError,
  isInverseFormNetLoaded,
  loadInverseFormNet,
  setInverseFormNet,
} from './inverseform/loader';
// Loss landscapes: the loss on a line or grid of perturbed logits around the current prediction.
export {
  DEFAULT_MARGIN,
  directionInfo,
  LANDSCAPE_DIRECTIONS,
  type LandscapeDirection,
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
export { logSoftmax, oneHot, softmax } from './ops/probabilities';
export { defaultParams, ParamError, resolveParams } from './params';
// The loss race: gradient descent under several losses from the same start (free logits or a tiny network).
export { diceScoreMeanForeground, diceScoreOfLabels } from './race/dice-score';
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
