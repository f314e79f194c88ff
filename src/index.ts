/**
 * SegLoss Explorer's loss library: the 25 losses of Azad et al. (arXiv 2312.05391) on TensorFlow.js.
 * Inputs: logits [N, H, W, C] float32 (softmax taken inside), target [N, H, W] int32 class indices.
 */

export { computeLoss, lossAndGrad } from './compute';
export { GroundTruthContext } from './engine/gt-context';
export { INTUITION, intuitionOf } from './intuition';
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
export { getLoss, IMPLEMENTED_LOSSES, isImplemented, isLossId, LOSSES } from './registry';
export { CATEGORIES, SURVEY, TAXONOMY, taxonomyEntry } from './taxonomy';
export { tf } from './tf';
export * from './types';
