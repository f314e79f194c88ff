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
export { nonFiniteLogitsMessage } from './finite-logits';
// InverseForm needs its frozen network loaded once (browser: URL; Node: src/inverseform/load-node.ts).
export {
  InverseFormNotLoadedError,
  isInverseFormNetLoaded,
  loadInverseFormNet,
  setInverseFormNet,
} from './inverseform/loader';
export {
  evaluateLandscapeLines,
  type LandscapeLineLoss,
  type LandscapeLinesResult,
} from './landscape/compare';
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
// Seeded random numbers (the editors' noise derivation and the landscape's random direction use the same).
export { mulberry32 } from './ops/random';
export { defaultParams, ParamError, resolveParams } from './params';
export { getLoss, IMPLEMENTED_LOSSES, isImplemented, isLossId, LOSSES } from './registry';
export { CATEGORIES, SURVEY, TAXONOMY, taxonomyEntry } from './taxonomy';
export { tf } from './tf';
export * from './types';
