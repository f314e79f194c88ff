/**
 * Distance-derived maps of the distance-based losses, built on the CPU from integer labels with the exact EDT
 * of ./edt.ts (SciPy semantics). Every function works on one image (row-major H×W labels, a view from
 * GroundTruthContext.image(n) for ground truth) and returns a Float64Array; `perClassMaps` / `perImageMap`
 * stack them into channels-last [N, H, W, C] / [N, H, W] arrays for a constant tensor.
 * Losses cache the results through ctx.memo (keys name the map and its parameters), so they are computed once
 * per ground-truth version.
 *
 * API (M is a boolean mask; EDT(M) = distance of each pixel of M to the nearest pixel outside M):
 *   signedDistance(labels, h, w, c, rounding)            boundary loss (LIVIAETS one_hot2dist):
 *       M = {t = c}; 0 if M is empty, else EDT(¬M)[¬M] − (EDT(M) − 1)[M]; rounding 'trunc' truncates toward 0
 *       (the official int32 store), 'none' keeps float64. A full class uses the all-true artifact (SPEC §1.1).
 *   boundaryPenaltyWeights(labels, h, w)                  distance-map CE (SegLoss compute_edts_forPenalizedLoss):
 *       Φ = φ_F / max φ_F + φ_B / max φ_B with F = {t > 0}, B = ¬F, φ_S = (max EDT(S) − EDT(S))[S].
 *       Holes of the reference (0/0 → NaN) get a defined value: a side whose max φ is 0 contributes 0, and
 *       an image without boundary (F or B empty) gets Φ = 0 (no artifact is used).
 *   distanceToOtherRegion(mask, h, w)                     Hausdorff DT (MONAI HausdorffDTLoss.distance_field):
 *       EDT(M) + EDT(¬M) when M has a pixel in and a pixel out, else 0 everywhere.
 *   rectifiedRegionWise(labels, h, w, c)                  region-wise loss (RegionWiseLoss RWLoss):
 *       d = EDT(t = c); Z = −d / (max d + 1e-15); entries equal to 0 (outside the class, or the whole map
 *       when the class is absent) become 1. A full class uses the all-true artifact.
 *   truncatedDistanceBins(labels, h, w, K, R)             boundary-aware (Hayder et al., SPEC §4.3):
 *       D = min(⌈EDT(t > 0)⌉, R) on the object, 0 off it; D = R on the object when it has no background
 *       pixel (explicit, no artifact); bin = ⌊D·K/(R+1)⌋ ∈ 0..K−1. Returns the bin per pixel (Int32Array).
 *   perClassMaps(ctxLike, make)                           [N, H, W, C] channels-last stack of make(image, c).
 *   perImageMap(ctxLike, make)                            [N, H, W] stack of make(image).
 */
import { edt, edtInto, hasBackground } from './edt';
import { reusable } from './reusable';

export type DistanceRounding = 'trunc' | 'none';

function maxOf(a: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < a.length; i++) if ((a[i] as number) > m) m = a[i] as number;
  return m;
}

function classMask(labels: ArrayLike<number>, c: number): Uint8Array {
  const m = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) m[i] = labels[i] === c ? 1 : 0;
  return m;
}

function complement(mask: Uint8Array): Uint8Array {
  const m = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) m[i] = mask[i] ? 0 : 1;
  return m;
}

/** Boundary-loss signed distance of class c: positive outside, ≤ 0 inside (innermost boundary at 0). */
export function signedDistance(
  labels: ArrayLike<number>,
  h: number,
  w: number,
  c: number,
  rounding: DistanceRounding = 'trunc',
): Float64Array {
  const pos = classMask(labels, c);
  const out = new Float64Array(h * w);
  if (!pos.includes(1)) return out; // absent class: φ = 0
  const neg = complement(pos);
  const dNeg = edt(neg, h, w); // all-false (class covers the image) → zeros
  const dPos = edt(pos, h, w); // all-true → SciPy's (−1, 0) artifact, as the reference
  for (let i = 0; i < out.length; i++) {
    const v = neg[i] ? (dNeg[i] as number) : -((dPos[i] as number) - 1);
    out[i] = (rounding === 'trunc' ? Math.trunc(v) : v) + 0; // + 0 turns −0 into 0
  }
  return out;
}

/** Distance-map CE weights Φ ∈ [0, 2) of one image (see the header for the defined holes). */
export function boundaryPenaltyWeights(labels: ArrayLike<number>, h: number, w: number): Float64Array {
  const fg = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) fg[i] = (labels[i] as number) > 0 ? 1 : 0;
  const out = new Float64Array(h * w);
  const bg = complement(fg);
  if (!fg.includes(1) || !bg.includes(1)) return out; // no boundary: Φ = 0 (reference: NaN)
  for (const side of [fg, bg]) {
    const e = edt(side, h, w);
    const m = maxOf(e);
    const phi = new Float64Array(h * w);
    for (let i = 0; i < phi.length; i++) phi[i] = side[i] ? m - (e[i] as number) : 0;
    const pm = maxOf(phi);
    if (pm === 0) continue; // every pixel of this side touches the other one: 0/0 in the reference → 0
    for (let i = 0; i < phi.length; i++) out[i] = (out[i] as number) + (phi[i] as number) / pm;
  }
  return out;
}

// distanceToOtherRegion's intermediates (the Hausdorff loss computes it for the prediction on every update)
const regionMask = reusable((n) => new Uint8Array(n));
const otherMask = reusable((n) => new Uint8Array(n));
const insideDistance = reusable((n) => new Float64Array(n));
const outsideDistance = reusable((n) => new Float64Array(n));

/**
 * MONAI's Hausdorff distance field: EDT(M) + EDT(¬M) for a non-degenerate mask, else zeros; written into `out`
 * when given (every element).
 */
export function distanceToOtherRegion(
  mask: ArrayLike<number | boolean>,
  h: number,
  w: number,
  out = new Float64Array(h * w),
): Float64Array {
  const n = mask.length;
  const pos = regionMask(n);
  const neg = otherMask(n);
  let anyIn = false;
  let anyOut = false;
  for (let i = 0; i < n; i++) {
    const inside = mask[i] ? 1 : 0;
    pos[i] = inside;
    neg[i] = 1 - inside;
    if (inside) anyIn = true;
    else anyOut = true;
  }
  if (!anyIn || !anyOut) return out.fill(0);
  const a = edtInto(pos, h, w, insideDistance(h * w));
  const b = edtInto(neg, h, w, outsideDistance(h * w));
  for (let i = 0; i < out.length; i++) out[i] = (a[i] as number) + (b[i] as number);
  return out;
}

/** Rectified region-wise map Z of class c: −d/max d inside (in [−1, 0)), 1 outside. */
export function rectifiedRegionWise(labels: ArrayLike<number>, h: number, w: number, c: number): Float64Array {
  const d = edt(classMask(labels, c), h, w); // absent → zeros; full → artifact (as the reference)
  const m = maxOf(d) + 1e-15;
  const out = new Float64Array(h * w);
  for (let i = 0; i < out.length; i++) {
    const z = -(d[i] as number) / m;
    out[i] = z === 0 ? 1 : z;
  }
  return out;
}

/** Boundary-aware bins of one image: ⌊min(⌈EDT(t>0)⌉, R)·K/(R+1)⌋ on the object, 0 off it. */
export function truncatedDistanceBins(
  labels: ArrayLike<number>,
  h: number,
  w: number,
  K: number,
  R: number,
): Int32Array {
  if (!Number.isInteger(K) || K < 1) throw new Error(`truncatedDistanceBins: K must be a positive integer, got ${K}`);
  if (!Number.isInteger(R) || R < 1) throw new Error(`truncatedDistanceBins: R must be a positive integer, got ${R}`);
  const obj = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) obj[i] = (labels[i] as number) > 0 ? 1 : 0;
  const out = new Int32Array(h * w);
  const binOf = (d: number) => Math.floor((d * K) / (R + 1));
  if (!obj.includes(1)) return out;
  if (!hasBackground(obj)) return out.fill(binOf(R)); // no boundary: D = R everywhere on the object
  const d = edt(obj, h, w);
  for (let i = 0; i < out.length; i++) out[i] = obj[i] ? binOf(Math.min(Math.ceil(d[i] as number), R)) : 0;
  return out;
}

/** The parts of a GroundTruthContext the stacking helpers need. */
export interface LabelSource {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly numClasses: number;
  image(n: number): Int32Array;
}

/** Channels-last [N, H, W, C] stack of make(labels of image n, class c); classes not in `classes` stay 0. */
export function perClassMaps(
  src: LabelSource,
  make: (labels: Int32Array, c: number) => Float64Array,
  classes: readonly number[] = Array.from({ length: src.numClasses }, (_, c) => c),
): Float32Array {
  const { n, h, w, numClasses: C } = src;
  const hw = h * w;
  const out = new Float32Array(n * hw * C);
  for (let b = 0; b < n; b++) {
    const img = src.image(b);
    for (const c of classes) {
      const m = make(img, c);
      for (let i = 0; i < hw; i++) out[(b * hw + i) * C + c] = m[i] as number;
    }
  }
  return out;
}

/** [N, H, W] stack of make(labels of image n). */
export function perImageMap(src: LabelSource, make: (labels: Int32Array) => ArrayLike<number>): Float32Array {
  const { n, h, w } = src;
  const hw = h * w;
  const out = new Float32Array(n * hw);
  for (let b = 0; b < n; b++) out.set(make(src.image(b)), b * hw);
  return out;
}
