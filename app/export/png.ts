// Pixels for the PNG exports: the masks and the gradient heatmap as opaque RGBA at grid resolution, and an
// integer nearest-neighbour upscaler (crisp pixels at 2× and 3×). Pure: no DOM.
import { classColor } from '../editing/palette';
import { probabilitiesFromLogits } from '../editing/prediction';
import { paintDiverging } from '../render/heatmap';

/** Light background of the exports: class 0 (background) and nothing else is painted in it. */
export const EXPORT_BACKGROUND: readonly [number, number, number] = [255, 255, 255];
export const EXPORT_SCALES = [1, 2, 3] as const;

function colorOf(k: number): readonly [number, number, number] {
  return k === 0 ? EXPORT_BACKGROUND : classColor(k);
}

/** Ground truth: each class in its palette colour, class 0 as the light background. */
export function labelsRgba(labels: Int32Array): Uint8ClampedArray {
  const out = new Uint8ClampedArray(labels.length * 4);
  for (let i = 0; i < labels.length; i++) {
    const [r, g, b] = colorOf(labels[i]!);
    out.set([r, g, b, 255], i * 4);
  }
  return out;
}

/** Prediction: the probability-weighted mix of the class colours (class 0 = the light background). */
export function predictionRgba(logits: Float32Array, numClasses: number): Uint8ClampedArray {
  const p = probabilitiesFromLogits(logits, numClasses);
  const n = logits.length / numClasses;
  const out = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    let r = 0;
    let g = 0;
    let b = 0;
    for (let c = 0; c < numClasses; c++) {
      const w = p[i * numClasses + c]!;
      const col = colorOf(c);
      r += w * col[0];
      g += w * col[1];
      b += w * col[2];
    }
    out.set([Math.round(r), Math.round(g), Math.round(b), 255], i * 4);
  }
  return out;
}

/** Gradient map on the diverging colour map [−max, max] (white at 0), as the heatmap panel draws it. */
export function heatmapRgba(values: Float32Array, max: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(values.length * 4);
  paintDiverging(values, max, out);
  return out;
}

/** Each pixel becomes a k×k block (nearest neighbour: no smoothing between pixels). */
export function upscaleNearest(rgba: Uint8ClampedArray, width: number, height: number, k: number): Uint8ClampedArray {
  if (!Number.isInteger(k) || k < 1) throw new Error(`scale must be a positive integer, got ${k}`);
  if (k === 1) return rgba.slice();
  const W = width * k;
  const out = new Uint8ClampedArray(W * height * k * 4);
  for (let y = 0; y < height; y++) {
    const row = new Uint8ClampedArray(W * 4);
    for (let x = 0; x < width; x++) {
      const px = rgba.subarray((y * width + x) * 4, (y * width + x) * 4 + 4);
      for (let j = 0; j < k; j++) row.set(px, (x * k + j) * 4);
    }
    for (let j = 0; j < k; j++) out.set(row, (y * k + j) * W * 4);
  }
  return out;
}
