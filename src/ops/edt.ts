/**
 * Exact 2-D Euclidean distance transform on the CPU, with the definition of
 * `scipy.ndimage.distance_transform_edt` (SciPy 1.10, the version the goldens were made with).
 *
 * API (all masks are row-major H×W; a pixel is "in" the mask when its entry is truthy / non-zero):
 *
 *   edt(mask, h, w): Float64Array
 *     For every pixel of the mask, the Euclidean distance to the nearest pixel NOT in the mask; 0 on pixels
 *     outside the mask.
 *     - all-false mask → all zeros;
 *     - all-true mask  → SciPy's artifact (SPEC §1.1): the distance to a virtual background point at index
 *       (−1, 0), i.e. sqrt((i+1)² + j²). References call EDT on such masks and the goldens depend on it.
 *       Use `hasBackground(mask)` first if you want to treat that case yourself.
 *   squaredEdt(mask, h, w): Float64Array
 *     The same, squared (exact integers; the all-true artifact gives (i+1)² + j²).
 *   edtBatch(masks, n, h, w): Float64Array
 *     `edt` applied to each of the n images of a row-major [n, h, w] mask stack (one call counted per image).
 *   edtCallCount(): number, resetEdtCallCount(): void, onEdt(listener): () => void
 *     Instrumentation: every single-image transform (edt, squaredEdt, each image of edtBatch) increments a
 *     global counter and notifies listeners with (h, w). Tests use it to show that ground-truth distance maps
 *     are cached and not recomputed when only the prediction changes.
 *
 * Algorithm: Felzenszwalb & Huttenlocher, "Distance Transforms of Sampled Functions" (Theory of Computing
 * 2012): a 1-D pass down each column (distance to the nearest background pixel in that column, exact
 * integers), then the lower envelope of parabolas along each row. Everything is float64 and integer-valued
 * until the final square root, so the result equals SciPy's bit for bit (SciPy also takes sqrt of the exact
 * integer squared distance). O(H·W).
 */

import { reusable } from './reusable';

export type MaskLike = ArrayLike<number | boolean>;

// squaredInto's work arrays: every element is written before it is read (see src/ops/reusable.ts for why).
const columnWork = reusable((n) => new Float64Array(n));
const envelopeColumns = reusable((n) => new Int32Array(n));
const envelopeBounds = reusable((n) => new Float64Array(n));

let calls = 0;
const listeners = new Set<(h: number, w: number) => void>();

/** Number of single-image distance transforms computed since the last reset (all callers together). */
export function edtCallCount(): number {
  return calls;
}
export function resetEdtCallCount(): void {
  calls = 0;
}
/** Calls `listener(h, w)` on every single-image transform; returns an unsubscribe function. */
export function onEdt(listener: (h: number, w: number) => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
function count(h: number, w: number): void {
  calls++;
  for (const l of listeners) l(h, w);
}

/** True when the mask has at least one pixel outside it (a "background" pixel for the EDT). */
export function hasBackground(mask: MaskLike, offset = 0, size = mask.length - offset): boolean {
  for (let i = 0; i < size; i++) if (!mask[offset + i]) return true;
  return false;
}

function checkShape(mask: MaskLike, offset: number, h: number, w: number): void {
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) {
    throw new Error(`edt: image size must be positive integers, got ${h}×${w}`);
  }
  if (mask.length < offset + h * w) throw new Error(`edt: mask of length ${mask.length} is too short for ${h}×${w}`);
}

/**
 * Squared EDT of the image stored at `mask[offset .. offset + h·w)` into `out[outOffset ..]`.
 * Not counted (the public wrappers count).
 */
function squaredInto(mask: MaskLike, offset: number, h: number, w: number, out: Float64Array, outOffset: number): void {
  const hw = h * w;
  if (!hasBackground(mask, offset, hw)) {
    // SciPy 1.10 artifact for a mask without background: virtual background point at (−1, 0).
    for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) out[outOffset + i * w + j] = (i + 1) * (i + 1) + j * j;
    return;
  }
  const INF = Number.POSITIVE_INFINITY;
  // Pass 1, columns: g[i, j] = squared distance to the nearest background pixel in column j (INF if none).
  const g = columnWork(hw);
  for (let j = 0; j < w; j++) {
    let last = -1; // row of the last background pixel seen going down
    for (let i = 0; i < h; i++) {
      if (!mask[offset + i * w + j]) last = i;
      g[i * w + j] = last < 0 ? INF : i - last;
    }
    last = -1;
    for (let i = h - 1; i >= 0; i--) {
      if (!mask[offset + i * w + j]) last = i;
      if (last >= 0) {
        const d = last - i;
        if (d < (g[i * w + j] as number)) g[i * w + j] = d;
      }
    }
    for (let i = 0; i < h; i++) {
      const d = g[i * w + j] as number;
      g[i * w + j] = d * d;
    }
  }
  // Pass 2, rows: lower envelope of the parabolas (q − j)² + g[i, q] over the columns q with finite g.
  // Some column has a background pixel (checked above), so every row has at least one finite parabola.
  const v = envelopeColumns(w); // columns of the parabolas in the envelope
  const z = envelopeBounds(w + 1); // boundaries between consecutive parabolas
  for (let i = 0; i < h; i++) {
    const row = i * w;
    let k = -1;
    for (let q = 0; q < w; q++) {
      const fq = g[row + q] as number;
      if (fq === INF) continue;
      if (k < 0) {
        k = 0;
        v[0] = q;
        z[0] = -INF;
        z[1] = INF;
        continue;
      }
      let s = 0;
      for (;;) {
        const p = v[k] as number;
        s = (fq + q * q - ((g[row + p] as number) + p * p)) / (2 * (q - p));
        if (s <= (z[k] as number)) {
          k--;
          if (k < 0) break;
        } else break;
      }
      k++;
      v[k] = q;
      z[k] = k === 0 ? -INF : s;
      z[k + 1] = INF;
    }
    let e = 0;
    for (let q = 0; q < w; q++) {
      while ((z[e + 1] as number) < q) e++;
      const p = v[e] as number;
      out[outOffset + row + q] = (q - p) * (q - p) + (g[row + p] as number);
    }
  }
  // Pixels outside the mask are exactly 0 already (g = 0 there and the envelope minimum is ≤ 0).
}

/** Squared Euclidean distance transform (exact integers), SciPy's definition; counts one call. */
export function squaredEdt(mask: MaskLike, h: number, w: number): Float64Array {
  checkShape(mask, 0, h, w);
  count(h, w);
  const out = new Float64Array(h * w);
  squaredInto(mask, 0, h, w, out, 0);
  return out;
}

/** `edt` written into `out[0 .. h·w)` (for callers that reuse their output arrays); counts one call. */
export function edtInto(mask: MaskLike, h: number, w: number, out: Float64Array): Float64Array {
  checkShape(mask, 0, h, w);
  if (out.length < h * w) throw new Error(`edtInto: output of length ${out.length} is too short for ${h}×${w}`);
  count(h, w);
  squaredInto(mask, 0, h, w, out, 0);
  for (let i = 0; i < h * w; i++) out[i] = Math.sqrt(out[i] as number);
  return out;
}

/** Euclidean distance transform of one H×W mask (SciPy's definition, all-true artifact included). */
export function edt(mask: MaskLike, h: number, w: number): Float64Array {
  return edtInto(mask, h, w, new Float64Array(h * w));
}

/** `edt` of each image of a row-major [n, h, w] mask stack, as one [n, h, w] array. */
export function edtBatch(masks: MaskLike, n: number, h: number, w: number): Float64Array {
  const hw = h * w;
  if (masks.length !== n * hw) throw new Error(`edtBatch: ${masks.length} entries do not fill [${n}, ${h}, ${w}]`);
  const out = new Float64Array(n * hw);
  for (let b = 0; b < n; b++) {
    checkShape(masks, b * hw, h, w);
    count(h, w);
    squaredInto(masks, b * hw, h, w, out, b * hw);
  }
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(out[i] as number);
  return out;
}
