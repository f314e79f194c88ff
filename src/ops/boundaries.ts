/**
 * Boundary extraction on the CPU, one function per construction used by a reference implementation.
 * All work on row-major H×W typed arrays (or plain arrays) and return a new Uint8Array 0/1 mask of H×W.
 * They compute constants (ground truth or thresholded predictions): no gradient flows through them.
 * A pixel is "in" a mask when its entry is truthy / non-zero.
 *
 * API:
 *   labelChangeBoundary(labels, h, w, ignoreLabel?)
 *     Active Boundary Loss (wangchi95/active-boundary-loss abl.py::ABL.gt2boundary): pixel (i, j) is boundary
 *     when t(i+1, j) ≠ t(i, j) or t(i, j+1) ≠ t(i, j), i.e. the pixel above / left of a label change
 *     (forward differences, nothing marked past the last row/column). Pixels equal to `ignoreLabel`
 *     (default none; ABL uses 255) are boundary too.
 *   crossBoundary(mask, h, w)
 *     Boundary DoU (sunfan-bvb/BoundaryDoULoss utils.py::BoundaryDoULoss._adaptive_size): mask pixels with at
 *     least one 4-neighbour (up, down, left, right) outside the mask; outside the image counts as outside the
 *     mask, so objects touching the border have boundary pixels there. `crossBoundaryCount` returns only
 *     the count (the reference's C).
 *   erosion(mask, h, w, { size = 3, iterations = 1, outside = 'background' })
 *     Binary erosion with a size×size square, repeated `iterations` times. `outside: 'background'` treats
 *     pixels beyond the image as not in the mask (Boundary IoU's zero padding before cv2.erode);
 *     `'ignore'` leaves them out of the minimum (cv2.erode's default border, scipy's border_value=1).
 *   erosionBoundary(mask, h, w, opts)
 *     mask minus its erosion: the inner band of width `iterations·(size−1)/2` (Conditional Boundary Loss /
 *     Boundary IoU `mask_to_boundary`, which uses size 3 and outside 'background').
 *   boundaryIouIterations(h, w, dilationRatio = 0.02)
 *     The erosion iterations of Boundary IoU's mask_to_boundary: max(1, round(ratio · sqrt(h² + w²))).
 *   dilation(mask, h, w, size = 3)
 *     Binary dilation with a size×size square, zero padding (pixels beyond the image are not in the mask).
 *     `dilate3x3(mask, h, w)` is ABL's 3×3 dilation of the predicted boundary.
 *   forEachImage(data, n, h, w, fn)
 *     Applies a single-image function to each image of a row-major [n, h, w] stack, concatenating results.
 */

export type MaskLike = ArrayLike<number | boolean>;
export type LabelsLike = ArrayLike<number>;

function check(data: ArrayLike<unknown>, h: number, w: number, what: string): void {
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) {
    throw new Error(`${what}: image size must be positive integers, got ${h}×${w}`);
  }
  if (data.length !== h * w) throw new Error(`${what}: ${data.length} entries do not fill ${h}×${w}`);
}

/** ABL's ground-truth boundary: the pixel above / left of every label change (and ignored pixels). */
export function labelChangeBoundary(labels: LabelsLike, h: number, w: number, ignoreLabel?: number): Uint8Array {
  check(labels, h, w, 'labelChangeBoundary');
  const out = new Uint8Array(h * w);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const k = i * w + j;
      const v = labels[k];
      if (
        (i + 1 < h && labels[k + w] !== v) ||
        (j + 1 < w && labels[k + 1] !== v) ||
        (ignoreLabel !== undefined && v === ignoreLabel)
      )
        out[k] = 1;
    }
  }
  return out;
}

/** Boundary DoU's boundary: mask pixels with a 4-neighbour outside the mask (image border = outside). */
export function crossBoundary(mask: MaskLike, h: number, w: number): Uint8Array {
  check(mask, h, w, 'crossBoundary');
  const out = new Uint8Array(h * w);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const k = i * w + j;
      if (!mask[k]) continue;
      if (
        i === 0 ||
        i === h - 1 ||
        j === 0 ||
        j === w - 1 ||
        !mask[k - w] ||
        !mask[k + w] ||
        !mask[k - 1] ||
        !mask[k + 1]
      )
        out[k] = 1;
    }
  }
  return out;
}

/** Number of `crossBoundary` pixels (the reference's C). */
export function crossBoundaryCount(mask: MaskLike, h: number, w: number): number {
  const b = crossBoundary(mask, h, w);
  let c = 0;
  for (let i = 0; i < b.length; i++) c += b[i] as number;
  return c;
}

export interface ErosionOptions {
  /** Side of the square structuring element (odd, ≥ 1). Default 3. */
  size?: number;
  /** How often the erosion is applied. Default 1. */
  iterations?: number;
  /** Pixels beyond the image: 'background' (zero padding, default) or 'ignore' (left out of the minimum). */
  outside?: 'background' | 'ignore';
}

function checkSize(size: number, what: string): number {
  if (!Number.isInteger(size) || size < 1 || size % 2 === 0)
    throw new Error(`${what}: size must be an odd integer ≥ 1`);
  return (size - 1) / 2;
}

/** One pass of a separable square min (erode) or max (dilate) filter. */
function squarePass(src: Uint8Array, h: number, w: number, r: number, erode: boolean, padInside: boolean): Uint8Array {
  // Rows then columns: a square min/max filter is separable. `padInside`: out-of-image counts as "in".
  const tmp = new Uint8Array(h * w);
  const out = new Uint8Array(h * w);
  const want = erode ? 0 : 1; // value that decides the result when found in the window
  const pad = padInside ? 1 : 0;
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      let hit = false;
      for (let d = -r; d <= r && !hit; d++) {
        const q = j + d;
        const v = q < 0 || q >= w ? pad : (src[i * w + q] as number);
        if (v === want) hit = true;
      }
      tmp[i * w + j] = hit ? want : 1 - want;
    }
  }
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      let hit = false;
      for (let d = -r; d <= r && !hit; d++) {
        const q = i + d;
        const v = q < 0 || q >= h ? pad : (tmp[q * w + j] as number);
        if (v === want) hit = true;
      }
      out[i * w + j] = hit ? want : 1 - want;
    }
  }
  return out;
}

function toBinary(mask: MaskLike): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = mask[i] ? 1 : 0;
  return out;
}

/** Binary erosion with a square structuring element, `iterations` times. */
export function erosion(mask: MaskLike, h: number, w: number, opts: ErosionOptions = {}): Uint8Array {
  check(mask, h, w, 'erosion');
  const r = checkSize(opts.size ?? 3, 'erosion');
  const iterations = opts.iterations ?? 1;
  if (!Number.isInteger(iterations) || iterations < 0) throw new Error('erosion: iterations must be an integer ≥ 0');
  let cur = toBinary(mask);
  for (let k = 0; k < iterations; k++)
    cur = squarePass(cur, h, w, r, true, (opts.outside ?? 'background') === 'ignore');
  return cur;
}

/** mask minus its erosion (Boundary IoU / CBL inner boundary band). */
export function erosionBoundary(mask: MaskLike, h: number, w: number, opts: ErosionOptions = {}): Uint8Array {
  const eroded = erosion(mask, h, w, opts);
  const out = new Uint8Array(h * w);
  for (let i = 0; i < out.length; i++) out[i] = mask[i] && !eroded[i] ? 1 : 0;
  return out;
}

/** Boundary IoU's `mask_to_boundary` erosion count: max(1, round(dilationRatio · image diagonal)). */
export function boundaryIouIterations(h: number, w: number, dilationRatio = 0.02): number {
  // Python's round() is round-half-to-even; the diagonal times a ratio is never exactly .5 in practice.
  const x = dilationRatio * Math.sqrt(h * h + w * w);
  const f = Math.floor(x);
  const rounded = x - f === 0.5 ? (f % 2 === 0 ? f : f + 1) : Math.round(x);
  return Math.max(1, rounded);
}

/** Binary dilation with a size×size square, zero padding. */
export function dilation(mask: MaskLike, h: number, w: number, size = 3): Uint8Array {
  check(mask, h, w, 'dilation');
  return squarePass(toBinary(mask), h, w, checkSize(size, 'dilation'), false, false);
}

/** ABL's 3×3 dilation of a boundary mask (zero padding). */
export function dilate3x3(mask: MaskLike, h: number, w: number): Uint8Array {
  return dilation(mask, h, w, 3);
}

/** Applies a single-image function to each image of a row-major [n, h, w] stack. */
export function forEachImage<T extends ArrayLike<number | boolean>>(
  data: T,
  n: number,
  h: number,
  w: number,
  fn: (image: ArrayLike<number | boolean>, h: number, w: number) => Uint8Array,
): Uint8Array {
  const hw = h * w;
  if (data.length !== n * hw) throw new Error(`forEachImage: ${data.length} entries do not fill [${n}, ${h}, ${w}]`);
  const out = new Uint8Array(n * hw);
  for (let b = 0; b < n; b++) {
    const img = Array.prototype.slice.call(data, b * hw, (b + 1) * hw) as number[];
    out.set(fn(img, h, w), b * hw);
  }
  return out;
}
