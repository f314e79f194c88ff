// Canvas painters for the editors: label maps and probability maps to RGBA ImageData (no React).
import { classColor } from '../../editing/palette';
import { probabilitiesFromLogits } from '../../editing/prediction';

/** Label map → RGBA. With `transparentBackground`, class 0 is fully transparent and others use `alpha`. */
export function labelsToImageData(
  labels: Int32Array,
  width: number,
  height: number,
  opts: { transparentBackground?: boolean; alpha?: number } = {},
): ImageData {
  const img = new ImageData(width, height);
  const d = img.data;
  const a = Math.round(255 * (opts.alpha ?? 1));
  for (let i = 0; i < labels.length; i++) {
    const k = labels[i]!;
    const [r, g, b] = classColor(k);
    d[i * 4] = r;
    d[i * 4 + 1] = g;
    d[i * 4 + 2] = b;
    d[i * 4 + 3] = k === 0 && opts.transparentBackground ? 0 : a;
  }
  return img;
}

/** Logits → softmax → class colours mixed by probability. With `transparentBackground`, alpha = a·(1 − p₀). */
export function logitsToImageData(
  logits: Float32Array,
  width: number,
  height: number,
  numClasses: number,
  opts: { transparentBackground?: boolean; alpha?: number } = {},
): ImageData {
  const img = new ImageData(width, height);
  const d = img.data;
  const C = numClasses;
  const colors = Array.from({ length: C }, (_, k) => classColor(k));
  const probs = probabilitiesFromLogits(logits, C);
  const a = opts.alpha ?? 1;
  for (let i = 0; i < width * height; i++) {
    let r = 0;
    let g = 0;
    let b = 0;
    for (let c = 0; c < C; c++) {
      const p = probs[i * C + c]!;
      const col = colors[c]!;
      r += p * col[0];
      g += p * col[1];
      b += p * col[2];
    }
    if (opts.transparentBackground) {
      const fg = 1 - probs[i * C]!;
      // un-mix the black background so the colour stays saturated; opacity carries the probability
      d[i * 4] = fg > 1e-6 ? Math.min(255, r / fg) : 0;
      d[i * 4 + 1] = fg > 1e-6 ? Math.min(255, g / fg) : 0;
      d[i * 4 + 2] = fg > 1e-6 ? Math.min(255, b / fg) : 0;
      d[i * 4 + 3] = Math.round(255 * a * fg);
    } else {
      d[i * 4] = r;
      d[i * 4 + 1] = g;
      d[i * 4 + 2] = b;
      d[i * 4 + 3] = Math.round(255 * a);
    }
  }
  return img;
}

/** FNV-1a-style hash over the 32-bit words of a typed array, for tests and debugging (data attributes). */
export function hashArray(a: Int32Array | Float32Array): string {
  const words = new Uint32Array(a.buffer, a.byteOffset, a.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) {
    h ^= words[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
