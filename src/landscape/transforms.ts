/**
 * Named transformations of a prediction, the axes of a "named-axis" landscape (see README, "Landscapes along
 * named axes"). Each maps a probability map P [1, H, W, C] (softmax of the logits) and a coordinate t in its unit
 * to another probability map, and every one is the identity at t = 0:
 *
 * - 'shift-x' (px): P'(y, x) = P(y, x − t), i.e. the prediction moves right for t > 0. Sub-pixel by linear
 *   interpolation of the probabilities between the two nearest whole shifts; pixels that come in from outside
 *   repeat the edge column (edge clamp).
 * - 'shift-y' (px): the same along the rows; t > 0 moves the prediction down.
 * - 'blur' (σ, px, t ≥ 0): each class's probability map convolved with a normalised Gaussian of standard
 *   deviation t (separable, radius ⌈3t⌉, symmetric edge padding). Sums to 1 per pixel still.
 * - 'dilate' (radius, px, signed): t > 0 grey-dilates every foreground class's probability (max over a
 *   (2r+1)² square, r = t), t < 0 grey-erodes it (min over the square, r = −t); the background takes what is
 *   left, 1 − Σ_fg, and a pixel whose foreground sums past 1 is renormalised. Fractional radii interpolate
 *   linearly between the two whole radii around |t|.
 * - 'temperature' (log₂ T): the logits log P are divided by T = 2^t and the softmax is taken again: t > 0 is
 *   less confident (T = 2 at t = 1), t < 0 more confident (T = ½ at t = −1).
 * - 'fn-mass' (fraction, 0 ≤ t ≤ 1): on every ground-truth foreground pixel (class k ≥ 1) the fraction t of the
 *   true class's probability moves to the background: P'_k = (1 − t)·P_k, P'_0 = P_0 + t·P_k (false-negative mass).
 * - 'fp-mass' (fraction, 0 ≤ t ≤ 1): on every ground-truth background pixel the fraction t of the background
 *   probability moves to the foreground classes, shared equally: P'_0 = (1 − t)·P_0, P'_c = P_c + t·P_0/(C − 1)
 *   (false-positive mass).
 *
 * Everything is pure TF.js (no read-back), deterministic, and batched: `transformBatch` applies one transform at
 * k coordinates and returns [k, H, W, C]; row i equals `applyTransform` at coordinate i.
 */
import { tf } from '../tf';

export const NAMED_TRANSFORMS = ['shift-x', 'shift-y', 'blur', 'dilate', 'temperature', 'fn-mass', 'fp-mass'] as const;
export type NamedTransform = (typeof NAMED_TRANSFORMS)[number];

export interface TransformInfo {
  /** Menu name. */
  name: string;
  /** Unit of the coordinate, for the axis label. */
  unit: string;
  /** Axis title: name and unit. */
  axisLabel: string;
  /** Allowed coordinates (inclusive). */
  min: number;
  max: number;
  /** A sensible default range for the explorer. */
  defaultRange: [number, number];
  definition: string;
}

export const TRANSFORM_INFO: Record<NamedTransform, TransformInfo> = {
  'shift-x': {
    name: 'shift x',
    unit: 'px',
    axisLabel: 'shift x (px, + = right)',
    min: -256,
    max: 256,
    defaultRange: [-8, 8],
    definition: 'the prediction moved right by t pixels (bilinear on probabilities, edge clamp)',
  },
  'shift-y': {
    name: 'shift y',
    unit: 'px',
    axisLabel: 'shift y (px, + = down)',
    min: -256,
    max: 256,
    defaultRange: [-8, 8],
    definition: 'the prediction moved down by t pixels (bilinear on probabilities, edge clamp)',
  },
  blur: {
    name: 'blur σ',
    unit: 'px',
    axisLabel: 'Gaussian blur σ (px)',
    min: 0,
    max: 16,
    defaultRange: [0, 4],
    definition: 'each class probability blurred with a Gaussian of σ = t pixels',
  },
  dilate: {
    name: 'dilate / erode radius',
    unit: 'px',
    axisLabel: 'dilate (+) / erode (−) radius (px)',
    min: -16,
    max: 16,
    defaultRange: [-4, 4],
    definition: 'foreground probabilities grey-dilated (t > 0) or eroded (t < 0) by a square of radius |t|',
  },
  temperature: {
    name: 'confidence / temperature',
    unit: 'log₂ T',
    axisLabel: 'temperature log₂ T (+ = less confident)',
    min: -6,
    max: 6,
    defaultRange: [-2, 2],
    definition: 'logits divided by T = 2^t (t > 0 softer, t < 0 sharper)',
  },
  'fn-mass': {
    name: 'false-negative mass removed',
    unit: 'fraction',
    axisLabel: 'FN mass removed (fraction of the true-class probability on GT foreground)',
    min: 0,
    max: 1,
    defaultRange: [0, 1],
    definition: 'fraction t of the true-class probability on GT-foreground pixels moved to the background',
  },
  'fp-mass': {
    name: 'false-positive mass added',
    unit: 'fraction',
    axisLabel: 'FP mass added (fraction of the background probability on GT background)',
    min: 0,
    max: 1,
    defaultRange: [0, 1],
    definition: 'fraction t of the background probability on GT-background pixels moved to the foreground',
  },
};

export function isNamedTransform(v: unknown): v is NamedTransform {
  return typeof v === 'string' && (NAMED_TRANSFORMS as readonly string[]).includes(v);
}

/** Throws a message naming the transform, the value and the allowed range. */
export function checkTransformCoordinate(kind: NamedTransform, t: number): void {
  const info = TRANSFORM_INFO[kind];
  if (!Number.isFinite(t) || t < info.min || t > info.max) {
    throw new Error(`${kind}: coordinate must be a finite number in ${info.min}…${info.max} ${info.unit}, got ${t}`);
  }
}

/** Probabilities below this are floored before taking logs (log P is what the losses get). */
export const PROB_FLOOR = 1e-7;

/** Logits whose softmax is P (up to the floor). */
export function probsToLogits(p: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.log(tf.clipByValue(p, PROB_FLOOR, 1)));
}

/** Integer shift along `axis` (1 rows, 2 cols) with edge clamp: out[i] = in[clamp(i − s)]. */
function shiftWhole(p: tf.Tensor4D, s: number, axis: 1 | 2): tf.Tensor4D {
  const n = p.shape[axis];
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = Math.min(n - 1, Math.max(0, i - s));
  return tf.gather(p, tf.tensor1d(idx, 'int32'), axis) as tf.Tensor4D;
}

function shift(p: tf.Tensor4D, t: number, axis: 1 | 2): tf.Tensor4D {
  const lo = Math.floor(t);
  const f = t - lo;
  const a = shiftWhole(p, lo, axis);
  if (f === 0) return a;
  return tf.add(tf.mul(a, 1 - f), tf.mul(shiftWhole(p, lo + 1, axis), f));
}

function gaussianKernel(sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    k[i + r] = v;
    sum += v;
  }
  for (let i = 0; i < k.length; i++) k[i] = (k[i] as number) / sum;
  return k;
}

function blur(p: tf.Tensor4D, sigma: number): tf.Tensor4D {
  if (sigma === 0) return tf.clone(p);
  const [, h, w, c] = p.shape;
  const k = gaussianKernel(sigma);
  const r = (k.length - 1) / 2;
  const rows = Math.min(r, h - 1);
  const cols = Math.min(r, w - 1);
  // mirrorPad 'symmetric' needs pad ≤ size; a kernel wider than the image is clipped to it (and renormalised).
  const kr = k.slice(r - rows, r + rows + 1);
  const kc = k.slice(r - cols, r + cols + 1);
  const norm = (a: Float32Array) => a.map((v) => v / a.reduce((s, x) => s + x, 0));
  const kRows = tf.tile(tf.tensor4d(norm(kr), [kr.length, 1, 1, 1]), [1, 1, c, 1]) as tf.Tensor4D;
  const kCols = tf.tile(tf.tensor4d(norm(kc), [1, kc.length, 1, 1]), [1, 1, c, 1]) as tf.Tensor4D;
  const padded = tf.mirrorPad(
    p,
    [
      [0, 0],
      [rows, rows],
      [cols, cols],
      [0, 0],
    ],
    'symmetric',
  );
  const v = tf.depthwiseConv2d(padded, kRows, 1, 'valid');
  return tf.depthwiseConv2d(v, kCols, 1, 'valid');
}

/** Foreground classes grey-dilated (s = +1) or eroded (s = −1) by a (2r+1)² square, background refilled. */
function morphWhole(p: tf.Tensor4D, r: number, s: 1 | -1): tf.Tensor4D {
  const c = p.shape[3];
  const fg = tf.slice(p, [0, 0, 0, 1], [-1, -1, -1, c - 1]);
  if (r === 0) return tf.clone(p);
  const k = 2 * r + 1;
  const pooled = s > 0 ? tf.maxPool(fg, k, 1, 'same') : tf.neg(tf.maxPool(tf.neg(fg), k, 1, 'same'));
  const total = tf.sum(pooled, 3, true);
  const scale = tf.maximum(total, 1);
  const fgOut = tf.div(pooled, scale);
  const bg = tf.relu(tf.sub(1, tf.sum(fgOut, 3, true)));
  return tf.concat([bg, fgOut], 3) as tf.Tensor4D;
}

function morph(p: tf.Tensor4D, t: number): tf.Tensor4D {
  const s = t >= 0 ? 1 : -1;
  const a = Math.abs(t);
  const lo = Math.floor(a);
  const f = a - lo;
  const base = morphWhole(p, lo, s);
  if (f === 0) return base;
  return tf.add(tf.mul(base, 1 - f), tf.mul(morphWhole(p, lo + 1, s), f));
}

function temperature(p: tf.Tensor4D, t: number): tf.Tensor4D {
  if (t === 0) return tf.clone(p);
  return tf.softmax(tf.div(probsToLogits(p), 2 ** t)) as tf.Tensor4D;
}

/** `oneHot`: the ground truth one-hot [1, H, W, C]. */
function fnMass(p: tf.Tensor4D, oneHot: tf.Tensor4D, t: number): tf.Tensor4D {
  const c = p.shape[3];
  // True-class probability on foreground pixels only (class 0's column of the one-hot is dropped).
  const fgMask = tf.concat(
    [
      tf.zerosLike(tf.slice(oneHot, [0, 0, 0, 0], [-1, -1, -1, 1])),
      tf.slice(oneHot, [0, 0, 0, 1], [-1, -1, -1, c - 1]),
    ],
    3,
  );
  const moved = tf.mul(tf.mul(p, fgMask), t);
  const toBg = tf.sum(moved, 3, true);
  const bgOnly = tf.concat(
    [tf.onesLike(toBg), tf.zeros([...toBg.shape.slice(0, 3), c - 1] as [number, number, number, number])],
    3,
  );
  return tf.add(tf.sub(p, moved), tf.mul(bgOnly, toBg));
}

function fpMass(p: tf.Tensor4D, oneHot: tf.Tensor4D, t: number): tf.Tensor4D {
  const c = p.shape[3];
  const gtBg = tf.slice(oneHot, [0, 0, 0, 0], [-1, -1, -1, 1]);
  const p0 = tf.slice(p, [0, 0, 0, 0], [-1, -1, -1, 1]);
  const moved = tf.mul(tf.mul(p0, gtBg), t); // [1, H, W, 1]
  const share = tf.concat([tf.fill([1, 1, 1, 1], -1), tf.fill([1, 1, 1, c - 1], 1 / (c - 1))], 3);
  return tf.add(p, tf.mul(moved, share));
}

/**
 * One transform at one coordinate: P [N, H, W, C] → P' [N, H, W, C] (each of the N maps transformed alike).
 * `oneHot` [1, H, W, C] (the ground truth) is used by 'fn-mass' and 'fp-mass' only. Returns a new tensor; the
 * inputs are not disposed.
 */
export function applyTransform(kind: NamedTransform, p: tf.Tensor4D, t: number, oneHot: tf.Tensor4D): tf.Tensor4D {
  checkTransformCoordinate(kind, t);
  if (p.rank !== 4 || p.shape[3] < 2) {
    throw new Error(`${kind}: probabilities must be [N, H, W, C ≥ 2], got [${p.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    switch (kind) {
      case 'shift-x':
        return shift(p, t, 2);
      case 'shift-y':
        return shift(p, t, 1);
      case 'blur':
        return blur(p, t);
      case 'dilate':
        return morph(p, t);
      case 'temperature':
        return temperature(p, t);
      case 'fn-mass':
        return fnMass(p, oneHot, t);
      case 'fp-mass':
        return fpMass(p, oneHot, t);
    }
  });
}

/** The transform at every coordinate in `ts`: [k, H, W, C]; row i equals applyTransform(kind, p, ts[i]). */
export function transformBatch(
  kind: NamedTransform,
  p: tf.Tensor4D,
  ts: readonly number[],
  oneHot: tf.Tensor4D,
): tf.Tensor4D {
  if (ts.length === 0) throw new Error(`${kind}: give at least one coordinate`);
  return tf.tidy(() => tf.concat(ts.map((t) => applyTransform(kind, p, t, oneHot))) as tf.Tensor4D);
}

/** What the named axes start from: the current prediction, or the perfect one derived from the ground truth. */
export type TransformBase = 'prediction' | 'ground-truth';

/** Base probabilities: softmax(logits), or softmax of ±margin logits from the ground truth (margin 4: p ≈ 0.9997 for C = 2). */
export function baseProbabilities(
  base: TransformBase,
  logits: tf.Tensor4D,
  oneHot: tf.Tensor4D,
  margin: number,
): tf.Tensor4D {
  return tf.tidy(() =>
    base === 'prediction'
      ? (tf.softmax(logits) as tf.Tensor4D)
      : (tf.softmax(tf.mul(tf.sub(tf.mul(oneHot, 2), 1), margin)) as tf.Tensor4D),
  );
}
