// Canvas painters for the editors: label maps and probability maps to RGBA ImageData (no React).
import { classColor } from '../../editing/palette';

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
  paintProbabilities(logits, width * height, numClasses, opts, img.data);
  return img;
}

/**
 * The pixels of logitsToImageData into `out` (RGBA, n pixels). The softmax is fused into the colour mix: the
 * same numbers as mixing probabilitiesFromLogits' float32 probabilities (each p = fround(fround(e)/Σe)), without
 * its full-size array; this runs on the page's thread on every edit of the prediction (2–3 ms at 128² before).
 */
export function paintProbabilities(
  logits: Float32Array,
  n: number,
  numClasses: number,
  opts: { transparentBackground?: boolean; alpha?: number },
  out: Uint8ClampedArray,
): void {
  const C = numClasses;
  const colors = new Float64Array(3 * C);
  for (let c = 0; c < C; c++) colors.set(classColor(c), 3 * c);
  const e = new Float64Array(C);
  const a = opts.alpha ?? 1;
  const opaque = Math.round(255 * a);
  const transparent = opts.transparentBackground === true;
  for (let i = 0; i < n; i++) {
    const o = i * C;
    let m = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < C; c++) m = Math.max(m, logits[o + c]!);
    let s = 0;
    for (let c = 0; c < C; c++) {
      const v = Math.exp(logits[o + c]! - m);
      e[c] = Math.fround(v);
      s += v;
    }
    let r = 0;
    let g = 0;
    let b = 0;
    let p0 = 0;
    for (let c = 0; c < C; c++) {
      const p = Math.fround(e[c]! / s);
      if (c === 0) p0 = p;
      r += p * colors[3 * c]!;
      g += p * colors[3 * c + 1]!;
      b += p * colors[3 * c + 2]!;
    }
    const q = i * 4;
    if (transparent) {
      const fg = 1 - p0;
      // un-mix the black background so the colour stays saturated; opacity carries the probability
      out[q] = fg > 1e-6 ? Math.min(255, r / fg) : 0;
      out[q + 1] = fg > 1e-6 ? Math.min(255, g / fg) : 0;
      out[q + 2] = fg > 1e-6 ? Math.min(255, b / fg) : 0;
      out[q + 3] = Math.round(255 * a * fg);
    } else {
      out[q] = r;
      out[q + 1] = g;
      out[q + 2] = b;
      out[q + 3] = opaque;
    }
  }
}
