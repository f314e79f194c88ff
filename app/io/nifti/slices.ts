/**
 * From NIfTI volumes to what the explorer computes on: a ground-truth label slice, a prediction slice (labels,
 * foreground probabilities, or per-class probabilities/logits in a 4-D volume) and a windowed underlay slice.
 * Volumes are checked once when loaded (classVolume, predictionVolume); slices are then cheap to take.
 */
import type { Masks } from '../../editing/grid';
import { MAX_CLASSES } from '../../editing/palette';
import { logitsFromProbabilities, perfectLogits } from '../../editing/prediction';
import { MAX_SIDE } from '../errors';
import { type Orientation, orientationOf, type Plane, sliceGeometry } from './orient';
import { NiftiError, type NiftiVolume } from './read';

/** Probabilities read from files are clamped here (as greyscale prediction images are). */
const P_CLAMP = 1e-4;

export interface LabelVolume {
  volume: NiftiVolume;
  orientation: Orientation;
  /** The distinct label values, ascending: class k is labels[k]. */
  labels: number[];
}

export function classVolume(volume: NiftiVolume, name: string): LabelVolume {
  if (volume.dims[3] !== 1) throw new NiftiError(`${name} is 4-D; a ground truth must be a 3-D label volume`);
  if (!volume.integer) throw new NiftiError(`${name} holds non-integer values; a ground truth must hold class labels`);
  const seen = new Set<number>();
  for (const v of volume.data) {
    if (v < 0) throw new NiftiError(`${name} holds the negative label ${v}`);
    seen.add(v);
    if (seen.size > MAX_CLASSES)
      throw new NiftiError(
        `${name} holds more than ${MAX_CLASSES} labels; the explorer supports at most ${MAX_CLASSES} classes`,
      );
  }
  const labels = [...seen].sort((a, b) => a - b);
  if (labels[0] !== 0) labels.unshift(0); // background is class 0 even where a volume has none
  if (labels.length < 2) labels.push(1);
  checkSliceSizes(orientationOf(volume.affine, volume.dims), name);
  return { volume, orientation: orientationOf(volume.affine, volume.dims), labels };
}

export type PredictionKind = 'labels' | 'foreground probability' | 'class probabilities' | 'class logits';

export interface PredictionVolume {
  volume: NiftiVolume;
  orientation: Orientation;
  kind: PredictionKind;
  /** Number of classes the prediction has (2 for a foreground probability). */
  numClasses: number;
}

export function predictionVolume(volume: NiftiVolume, name: string): PredictionVolume {
  const orientation = orientationOf(volume.affine, volume.dims);
  checkSliceSizes(orientation, name);
  const c = volume.dims[3];
  if (c > 1) {
    if (c > MAX_CLASSES)
      throw new NiftiError(`${name} has ${c} class channels; the explorer supports at most ${MAX_CLASSES}`);
    let inUnit = true;
    for (const v of volume.data)
      if (v < 0 || v > 1) {
        inUnit = false;
        break;
      }
    return { volume, orientation, kind: inUnit ? 'class probabilities' : 'class logits', numClasses: c };
  }
  if (volume.integer) {
    let max = 0;
    for (const v of volume.data) {
      if (v < 0) throw new NiftiError(`${name} holds the negative label ${v}`);
      if (v > max) max = v;
    }
    if (max > 1 || volume.datatype !== 'float32') {
      if (max + 1 > MAX_CLASSES)
        throw new NiftiError(`${name} holds label ${max}; the explorer supports at most ${MAX_CLASSES} classes`);
      return { volume, orientation, kind: 'labels', numClasses: Math.max(2, max + 1) };
    }
  }
  for (const v of volume.data)
    if (v < 0 || v > 1)
      throw new NiftiError(
        `${name} is 3-D with values outside [0, 1] (e.g. ${v}): neither labels nor a foreground probability`,
      );
  return { volume, orientation, kind: 'foreground probability', numClasses: 2 };
}

function checkSliceSizes(o: Orientation, name: string): void {
  const [x, y, z] = o.size;
  if (Math.max(x, y, z) > MAX_SIDE)
    throw new NiftiError(`${name} is ${x}×${y}×${z}; the explorer computes on slices of at most ${MAX_SIDE} px a side`);
}

/** Same grid in the same world orientation (after reorientation), or a message saying what differs. */
export function sameGrid(a: Orientation, b: Orientation, what: string): void {
  if (a.size.some((v, i) => v !== b.size[i]))
    throw new NiftiError(
      `${what} is ${b.size.join('×')} voxels but the ground truth is ${a.size.join('×')} (after orienting both to RAS)`,
    );
}

/** Ground truth and prediction of one slice as explorer masks. */
export function maskSlice(gt: LabelVolume, pred: PredictionVolume | null, plane: Plane, index: number): Masks {
  const g = sliceGeometry(gt.orientation, gt.volume.dims, plane, index);
  const classOf = new Map(gt.labels.map((v, k) => [v, k]));
  const target = new Int32Array(g.voxels.length);
  for (let i = 0; i < target.length; i++) target[i] = classOf.get(gt.volume.data[g.voxels[i]!]!) ?? 0;
  let numClasses = gt.labels.length;
  let logits: Float32Array;
  if (!pred) {
    logits = perfectLogits(target, numClasses, 0.9);
  } else {
    const p = sliceGeometry(pred.orientation, pred.volume.dims, plane, index);
    numClasses = Math.max(numClasses, pred.numClasses);
    logits = predictionLogits(pred, p.voxels, numClasses);
  }
  return { width: g.width, height: g.height, numClasses, target, logits };
}

function predictionLogits(pred: PredictionVolume, voxels: Int32Array, numClasses: number): Float32Array {
  const { data, dims } = pred.volume;
  const n = voxels.length;
  const frame = dims[0] * dims[1] * dims[2];
  if (pred.kind === 'labels') {
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) labels[i] = data[voxels[i]!]!;
    return perfectLogits(labels, numClasses, 0.9);
  }
  const probs = new Float32Array(n * numClasses);
  if (pred.kind === 'foreground probability') {
    for (let i = 0; i < n; i++) {
      const p = Math.min(1 - P_CLAMP, Math.max(P_CLAMP, data[voxels[i]!]!));
      probs[i * numClasses] = 1 - p;
      probs[i * numClasses + 1] = p;
    }
    return logitsFromProbabilities(probs, numClasses);
  }
  const c = dims[3];
  const out = new Float32Array(n * numClasses).fill(pred.kind === 'class logits' ? -20 : 0);
  for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) out[i * numClasses + k] = data[voxels[i]! + k * frame]!;
  if (pred.kind === 'class logits') return out;
  for (let i = 0; i < out.length; i++) out[i] = Math.min(1 - P_CLAMP, Math.max(P_CLAMP, out[i]!));
  return logitsFromProbabilities(out, numClasses);
}

/** CT windows (Hounsfield units) and the MR default (1st–99th percentile of the volume). */
export const WINDOW_PRESETS = {
  'soft tissue': { level: 40, width: 400 },
  lung: { level: -600, width: 1500 },
  bone: { level: 400, width: 1800 },
} as const;

export function autoWindow(volume: NiftiVolume): { level: number; width: number } {
  const step = Math.max(1, Math.floor(volume.data.length / 200_000));
  const sample: number[] = [];
  for (let i = 0; i < volume.data.length; i += step) sample.push(volume.data[i]!);
  sample.sort((a, b) => a - b);
  const lo = sample[Math.floor(sample.length * 0.01)] ?? 0;
  const hi = sample[Math.floor(sample.length * 0.99)] ?? 1;
  return { level: (lo + hi) / 2, width: Math.max(hi - lo, 1e-6) };
}

/** The underlay slice as greyscale bytes under a level/width window. */
export function windowedSlice(
  volume: NiftiVolume,
  orientation: Orientation,
  plane: Plane,
  index: number,
  window: { level: number; width: number },
): { width: number; height: number; grey: Uint8ClampedArray } {
  const g = sliceGeometry(orientation, volume.dims, plane, index);
  const lo = window.level - window.width / 2;
  const grey = new Uint8ClampedArray(g.voxels.length);
  for (let i = 0; i < grey.length; i++) grey[i] = Math.round((255 * (volume.data[g.voxels[i]!]! - lo)) / window.width);
  return { width: g.width, height: g.height, grey };
}
