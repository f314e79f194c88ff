/**
 * Predictions from NumPy .npy files (DOM-free). Parsing: npyjs. Interpretation:
 *  - dtype float32, float64 (float16 is widened by npyjs) or uint8 (divided by 255, i.e. read as probabilities × 255);
 *  - shape H×W (foreground probability or logit of a 2-class problem), H×W×C or C×H×W with 2 ≤ C ≤ 8; a leading 4-D
 *    batch axis of 1 and a channel axis of 1 are dropped. H×W×C vs C×H×W: the axis with ≤ 8 entries is the class
 *    axis; if both end axes qualify, the one that leaves the ground truth's H×W wins, else the shorter one
 *    (ties: H×W×C);
 *  - 'auto': probabilities if every value lies in [0, 1] and each pixel sums to 1 ± 1e-3 (for H×W: every value in
 *    [0, 1]), otherwise logits. The caller can force either reading.
 *  - probabilities → logits: clamp to [1e-4, 1 − 1e-4], log (H×W: (0, log(p/(1−p)))); logits are used as they are.
 */
import { parse } from 'npyjs';
import { P_MIN } from '../editing/grid';
import { MAX_CLASSES } from '../editing/palette';
import { UploadError } from './errors';
import { foregroundLogit, type PredictionArray } from './prediction-image';

export type NpyReading = 'auto' | 'probabilities' | 'logits';

export interface NpyLike {
  data: ArrayLike<number> | ArrayBufferView;
  shape: number[];
  dtype: string;
  fortranOrder: boolean;
}

export const SUM_TOLERANCE = 1e-3;

export function parseNpy(buf: ArrayBuffer): NpyLike {
  try {
    const arr = parse(buf);
    return { data: arr.data, shape: [...arr.shape], dtype: arr.dtype, fortranOrder: arr.fortranOrder };
  } catch (e) {
    // npyjs reports truncation/misalignment as raw TypedArray errors ("Invalid typed array length",
    // "start offset of Float32Array should be a multiple of 4"); say what they mean for the user's file instead.
    const msg = (e as Error).message;
    if (/typed array length|should be a multiple of|out of bounds|outside the bounds/i.test(msg)) {
      throw new UploadError(
        'corrupt',
        'This .npy file is truncated or damaged: its data section does not match the shape and dtype in its header.',
      );
    }
    throw new UploadError('corrupt', `This .npy file could not be read (${msg}).`);
  }
}

/** Row-major (C order) float64 copy of the data, whatever the dtype and order. */
function toCOrder(a: NpyLike): Float64Array {
  const src = a.data as ArrayLike<number>;
  const n = a.shape.reduce((x, y) => x * y, 1);
  if (src.length !== n)
    throw new UploadError('corrupt', `The .npy header says ${n} values but the file holds ${src.length}.`);
  const scale = a.dtype === 'u1' ? 1 / 255 : 1;
  const out = new Float64Array(n);
  if (!a.fortranOrder || a.shape.length < 2) {
    for (let i = 0; i < n; i++) out[i] = Number(src[i]) * scale;
    return out;
  }
  // Fortran order: the first axis varies fastest.
  const dims = a.shape;
  const cStrides = dims.map((_, k) => dims.slice(k + 1).reduce((x, y) => x * y, 1));
  const idx = new Array(dims.length).fill(0);
  for (let f = 0; f < n; f++) {
    let c = 0;
    for (let k = 0; k < dims.length; k++) c += idx[k] * cStrides[k]!;
    out[c] = Number(src[f]) * scale;
    for (let k = 0; k < dims.length; k++) {
      idx[k]++;
      if (idx[k] < dims[k]!) break;
      idx[k] = 0;
    }
  }
  return out;
}

export interface NpyInterpretation extends PredictionArray {
  layout: 'HxW' | 'HxWxC' | 'CxHxW';
}

export function interpretNpy(
  a: NpyLike,
  options: { reading?: NpyReading; expected?: { width: number; height: number } } = {},
): NpyInterpretation {
  const reading = options.reading ?? 'auto';
  if (!['f2', 'f4', 'f8', 'u1'].includes(a.dtype)) {
    throw new UploadError(
      'wrong-type',
      `The .npy array has dtype ${a.dtype}; the explorer reads float32, float64 or uint8 predictions.`,
    );
  }
  let shape = [...a.shape];
  const values = toCOrder(a);
  // Drop batch axes of 1 (only beyond 3 axes, so (1, 1, 2) stays a 1×1 image with 2 classes), then a channel axis of 1.
  while (shape.length > 3 && shape[0] === 1) shape = shape.slice(1);
  if (shape.length === 3 && shape[2] === 1) shape = shape.slice(0, 2);
  const lastIsClassAxis = shape.length === 3 && shape[2]! >= 2 && shape[2]! <= MAX_CLASSES;
  if (shape.length === 3 && shape[0] === 1 && !lastIsClassAxis) shape = shape.slice(1);
  if (shape.length === 2) return interpret2D(values, shape[0]!, shape[1]!, reading);
  if (shape.length !== 3) {
    throw new UploadError(
      'bad-values',
      `The .npy array has shape (${a.shape.join(', ')}); expected H×W, H×W×C or C×H×W.`,
    );
  }
  const [d0, d1, d2] = shape as [number, number, number];
  const lastOk = d2 >= 2 && d2 <= MAX_CLASSES;
  const firstOk = d0 >= 2 && d0 <= MAX_CLASSES;
  let layout: 'HxWxC' | 'CxHxW';
  if (lastOk && !firstOk) layout = 'HxWxC';
  else if (firstOk && !lastOk) layout = 'CxHxW';
  else if (firstOk && lastOk) {
    const e = options.expected;
    const chwFits = !!e && d1 === e.height && d2 === e.width;
    const hwcFits = !!e && d0 === e.height && d1 === e.width;
    if (chwFits !== hwcFits) layout = chwFits ? 'CxHxW' : 'HxWxC';
    else layout = d0 < d2 ? 'CxHxW' : 'HxWxC'; // the shorter end axis is the class axis; ties: H×W×C
  } else {
    const c = Math.min(d0, d2);
    throw new UploadError(
      'too-many-classes',
      `The .npy array has shape (${a.shape.join(', ')}): ${c} classes; the explorer supports 2 to ${MAX_CLASSES}.`,
    );
  }
  const C = layout === 'HxWxC' ? d2 : d0;
  const H = layout === 'HxWxC' ? d0 : d1;
  const W = layout === 'HxWxC' ? d1 : d2;
  const n = H * W;
  const hwc = new Float64Array(n * C);
  if (layout === 'HxWxC') hwc.set(values);
  else for (let c = 0; c < C; c++) for (let i = 0; i < n; i++) hwc[i * C + c] = values[c * n + i]!;
  for (let i = 0; i < hwc.length; i++) {
    if (!Number.isFinite(hwc[i]!))
      throw new UploadError('bad-values', 'The .npy array contains NaN or infinite values.');
  }
  let isProb = reading === 'probabilities';
  if (reading === 'auto') {
    isProb = true;
    const tol = a.dtype === 'u1' ? Math.max(SUM_TOLERANCE, C / 255) : SUM_TOLERANCE;
    for (let i = 0; i < n && isProb; i++) {
      let s = 0;
      for (let c = 0; c < C; c++) {
        const v = hwc[i * C + c]!;
        if (v < 0 || v > 1) isProb = false;
        s += v;
      }
      if (Math.abs(s - 1) > tol) isProb = false;
    }
  }
  const logits = new Float32Array(n * C);
  if (isProb) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.max(0, hwc[i * C + c]!);
      for (let c = 0; c < C; c++) {
        const p = s > 0 ? Math.max(0, hwc[i * C + c]!) / s : 1 / C;
        logits[i * C + c] = Math.log(Math.min(1 - P_MIN, Math.max(P_MIN, p)));
      }
    }
  } else {
    for (let i = 0; i < hwc.length; i++) logits[i] = hwc[i]!;
  }
  return { width: W, height: H, numClasses: C, logits, interpretation: isProb ? 'probabilities' : 'logits', layout };
}

function interpret2D(values: Float64Array, H: number, W: number, reading: NpyReading): NpyInterpretation {
  let isProb = reading === 'probabilities';
  if (reading === 'auto') {
    isProb = true;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) throw new UploadError('bad-values', 'The .npy array contains NaN or infinite values.');
      if (v < 0 || v > 1) {
        isProb = false;
        break;
      }
    }
  }
  const logits = new Float32Array(H * W * 2);
  for (let i = 0; i < H * W; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new UploadError('bad-values', 'The .npy array contains NaN or infinite values.');
    logits[i * 2] = 0;
    logits[i * 2 + 1] = isProb ? foregroundLogit(v) : v;
  }
  return {
    width: W,
    height: H,
    numClasses: 2,
    logits,
    interpretation: isProb ? 'probabilities' : 'logits',
    layout: 'HxW',
  };
}

/** A ground-truth label map from a .npy array: H×W (leading axes of 1 dropped) of integer class indices. */
export function labelsFromNpy(a: NpyLike): { width: number; height: number; labels: Int32Array; numClasses: number } {
  let shape = [...a.shape];
  while (shape.length > 2 && shape[0] === 1) shape = shape.slice(1);
  if (shape.length !== 2) {
    throw new UploadError(
      'bad-values',
      `A ground-truth .npy must be H×W class indices; got shape (${a.shape.join(', ')}).`,
    );
  }
  if (a.dtype === 'c8' || a.dtype === 'c16' || a.dtype.startsWith('U')) {
    throw new UploadError('wrong-type', `The .npy array has dtype ${a.dtype}; labels must be integers or floats.`);
  }
  // int64/uint64 arrive as BigInt arrays; toCOrder converts with Number(), exact for any class index that fits.
  const values = toCOrder({ ...a, dtype: a.dtype === 'u1' ? 'u1-raw' : a.dtype });
  const labels = new Int32Array(values.length);
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0) {
      throw new UploadError('bad-values', 'A ground-truth .npy must hold non-negative integer class indices.');
    }
    if (v >= MAX_CLASSES) {
      throw new UploadError(
        'too-many-classes',
        `The label map uses class ${v}; at most ${MAX_CLASSES} classes (0–${MAX_CLASSES - 1}) are supported.`,
      );
    }
    labels[i] = v;
    max = Math.max(max, v);
  }
  return { height: shape[0]!, width: shape[1]!, labels, numClasses: Math.max(2, max + 1) };
}
