/**
 * Turning a decoded upload into new masks (DOM-free). Each function either returns the new masks (and a notice for
 * the user) or throws an UploadError; it never changes the current masks, so a failed upload leaves them as they were.
 */
import type { Masks } from '../editing/grid';
import { maxLabel } from '../editing/labels';
import { MAX_CLASSES } from '../editing/palette';
import { resizeClasses, uniformLogits } from '../editing/prediction';
import { fitWithin, resampleLabelsNearest, resampleLogits, type Size } from '../editing/resample';
import { MAX_SIDE, UploadError } from './errors';
import type { LabelMap } from './labelmap';
import type { PredictionArray } from './prediction-image';

export interface UploadResult {
  masks: Masks;
  /** Something the user should know (downsampling, a reset prediction, the reading that was used). */
  notice?: string;
}

export class TooLargeError extends UploadError {
  constructor(
    readonly size: Size,
    readonly suggested: Size,
    what: string,
    method: string,
  ) {
    super(
      'too-large',
      `The ${what} is ${size.width}×${size.height} px; the explorer handles at most ${MAX_SIDE} px a side. ` +
        `Downsample it to ${suggested.width}×${suggested.height} (${method})?`,
    );
  }
}

const sizeText = (s: Size) => `${s.width}×${s.height}`;

export function applyTargetUpload(current: Masks, map: LabelMap, opts: { downsample?: boolean } = {}): UploadResult {
  let { labels } = map;
  let size: Size = { width: map.width, height: map.height };
  const notes: string[] = [];
  if (size.width > MAX_SIDE || size.height > MAX_SIDE) {
    const to = fitWithin(size, MAX_SIDE);
    if (!opts.downsample) throw new TooLargeError(size, to, 'ground truth', 'nearest neighbour, labels are kept');
    labels = resampleLabelsNearest(labels, size, to);
    notes.push(`Downsampled the ground truth from ${sizeText(size)} to ${sizeText(to)} (nearest neighbour).`);
    size = to;
  }
  const used = maxLabel(labels) + 1;
  if (used > MAX_CLASSES) {
    throw new UploadError(
      'too-many-classes',
      `The ground truth uses ${used} classes; the explorer supports at most ${MAX_CLASSES}.`,
    );
  }
  const sameGrid = size.width === current.width && size.height === current.height;
  let numClasses: number;
  let logits: Float32Array;
  if (sameGrid) {
    numClasses = Math.max(current.numClasses, used, 2);
    logits = resizeClasses(current.logits, current.numClasses, numClasses);
  } else {
    numClasses = Math.max(used, 2);
    logits = uniformLogits(size.width * size.height, numClasses);
    notes.push(
      `The grid changed from ${current.width}×${current.height} to ${sizeText(size)}, so the prediction was reset to ` +
        'uniform probabilities; upload or derive a prediction of the same size.',
    );
  }
  return {
    masks: { width: size.width, height: size.height, numClasses, target: labels, logits },
    notice: notes.join(' ') || undefined,
  };
}

export function applyPredictionUpload(
  current: Masks,
  pred: PredictionArray,
  opts: { downsample?: boolean } = {},
): UploadResult {
  let size: Size = { width: pred.width, height: pred.height };
  let logits = pred.logits;
  const notes: string[] = [];
  if (pred.numClasses > MAX_CLASSES || pred.numClasses < 2) {
    throw new UploadError(
      'too-many-classes',
      `The prediction has ${pred.numClasses} classes; the explorer supports 2 to ${MAX_CLASSES}.`,
    );
  }
  if (size.width > MAX_SIDE || size.height > MAX_SIDE) {
    const to = fitWithin(size, MAX_SIDE);
    if (!opts.downsample) throw new TooLargeError(size, to, 'prediction', 'area average of the probabilities');
    logits = resampleLogits(logits, size, to, pred.numClasses);
    notes.push(`Downsampled the prediction from ${sizeText(size)} to ${sizeText(to)} (area average).`);
    size = to;
  }
  if (size.width !== current.width || size.height !== current.height) {
    throw new UploadError(
      'size-mismatch',
      `The prediction is ${sizeText(size)} but the ground truth is ${current.width}×${current.height}. ` +
        'Both must have the same size: upload a matching ground truth first.',
    );
  }
  const used = maxLabel(current.target) + 1;
  if (used > pred.numClasses) {
    throw new UploadError(
      'too-many-classes',
      `The prediction has ${pred.numClasses} classes but the ground truth uses class ${used - 1}.`,
    );
  }
  notes.push(`Read as ${pred.interpretation}, ${pred.numClasses} classes.`);
  return {
    masks: { ...current, numClasses: pred.numClasses, logits },
    notice: notes.join(' '),
  };
}
