/**
 * Prediction recipes: a prediction described as steps applied to the ground truth (used by the preset files and
 * mirroring the one-click derivations of the editor). Steps run left to right on logits, starting from uniform.
 */
import type { EncodedLabels } from './encoding';
import { decodeLabels } from './encoding';
import type { Masks } from './grid';
import { dilateLabels, erodeLabels } from './labels';
import {
  addLogitNoise,
  argmaxLabels,
  blurPrediction,
  emptyLogits,
  perfectLogits,
  shiftPrediction,
  temperatureScale,
  uniformLogits,
} from './prediction';

export type RecipeStep =
  | { op: 'perfect'; confidence?: number }
  | { op: 'empty'; confidence?: number }
  | { op: 'uniform' }
  | { op: 'fromLabels'; labels: EncodedLabels; confidence?: number }
  | { op: 'shift'; dx: number; dy: number }
  | { op: 'blur'; sigma: number }
  | { op: 'erode'; radius: number; confidence?: number }
  | { op: 'dilate'; radius: number; confidence?: number }
  | { op: 'temperature'; t: number }
  | { op: 'noise'; sigma: number; seed: number };

export function applyRecipe(
  target: Int32Array,
  size: { width: number; height: number },
  numClasses: number,
  steps: readonly RecipeStep[],
): Float32Array {
  const n = size.width * size.height;
  const C = numClasses;
  let logits = uniformLogits(n, C);
  for (const s of steps) {
    switch (s.op) {
      case 'perfect':
        logits = perfectLogits(target, C, s.confidence ?? 0.99);
        break;
      case 'empty':
        logits = emptyLogits(n, C, s.confidence ?? 0.99);
        break;
      case 'uniform':
        logits = uniformLogits(n, C);
        break;
      case 'fromLabels': {
        const labels = decodeLabels(s.labels, n);
        if (labels.some((v) => v < 0 || v >= C)) throw new Error(`recipe labels outside 0..${C - 1}`);
        logits = perfectLogits(labels, C, s.confidence ?? 0.99);
        break;
      }
      case 'shift':
        logits = shiftPrediction(logits, size, C, s.dx, s.dy);
        break;
      case 'blur':
        logits = blurPrediction(logits, size, C, s.sigma);
        break;
      case 'erode':
        logits = perfectLogits(erodeLabels(argmaxLabels(logits, C), size, s.radius), C, s.confidence ?? 0.99);
        break;
      case 'dilate':
        logits = perfectLogits(dilateLabels(argmaxLabels(logits, C), size, s.radius), C, s.confidence ?? 0.99);
        break;
      case 'temperature':
        logits = temperatureScale(logits, s.t);
        break;
      case 'noise':
        logits = addLogitNoise(logits, s.sigma, s.seed);
        break;
      default:
        throw new Error(`unknown recipe step ${(s as { op: string }).op}`);
    }
  }
  return logits;
}

export type { Masks };
