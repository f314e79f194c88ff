/**
 * Prediction from a greyscale image (DOM-free): the grey value v is the foreground probability p = v / 255 of a
 * 2-class problem (R, G, B may differ by up to GREY_TOLERANCE, their mean is used); p is clamped to [1e-4, 1 − 1e-4] and the logits are (0, log(p / (1 − p))).
 */
import { P_MIN } from '../editing/grid';
import { UploadError } from './errors';
import { GREY_TOLERANCE } from './labelmap';

export interface PredictionArray {
  width: number;
  height: number;
  numClasses: number;
  /** H×W×C, channels last. */
  logits: Float32Array;
  /** How the values were read, for the status line. */
  interpretation: 'probabilities' | 'logits';
}

export function foregroundLogit(p: number): number {
  const q = Math.min(1 - P_MIN, Math.max(P_MIN, p));
  return Math.log(q / (1 - q));
}

export function predictionFromGreyRGBA(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
): PredictionArray {
  const n = width * height;
  if (rgba.length !== n * 4)
    throw new UploadError('corrupt', `Image data has ${rgba.length} bytes, expected ${n * 4}.`);
  const logits = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const r = rgba[i * 4]!;
    const g = rgba[i * 4 + 1]!;
    const b = rgba[i * 4 + 2]!;
    if (Math.abs(r - g) > GREY_TOLERANCE || Math.abs(r - b) > GREY_TOLERANCE || Math.abs(g - b) > GREY_TOLERANCE) {
      throw new UploadError(
        'not-greyscale',
        'A prediction image must be greyscale (grey value = foreground probability × 255). ' +
          'For several classes, upload a .npy array of probabilities or logits instead.',
      );
    }
    logits[i * 2] = 0;
    const v = r === g && g === b ? r : (r + g + b) / 3; // lossy codecs tint greys slightly
    logits[i * 2 + 1] = foregroundLogit(v / 255);
  }
  return { width, height, numClasses: 2, logits, interpretation: 'probabilities' };
}
