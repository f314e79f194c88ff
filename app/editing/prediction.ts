/**
 * Pure prediction operations. A prediction is stored as logits (H×W×C, channels last); edits that are naturally
 * expressed on probabilities (soft brush, blur) go logits → softmax → edit → clamp to [P_MIN, 1 − P_MIN] → log.
 * All functions return new arrays.
 */

import { mulberry32 } from '../../src';
import { clampProb, P_MIN } from './grid';
import type { LabelGrid, Point } from './labels';
import { shiftLabels } from './labels';

/** Softmax per pixel (numerically stable). */
export function probabilitiesFromLogits(logits: Float32Array, numClasses: number): Float32Array {
  const C = numClasses;
  const out = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i += C) {
    let m = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < C; c++) m = Math.max(m, logits[i + c]!);
    let s = 0;
    for (let c = 0; c < C; c++) {
      const e = Math.exp(logits[i + c]! - m);
      out[i + c] = e;
      s += e;
    }
    for (let c = 0; c < C; c++) out[i + c] = out[i + c]! / s;
  }
  return out;
}

/**
 * Logits from probabilities: renormalise each pixel, clamp each probability to [P_MIN, 1 − P_MIN], take log.
 * softmax(log p) = p / Σp, so the round trip returns the clamped probabilities (up to float32 rounding).
 */
export function logitsFromProbabilities(probs: ArrayLike<number>, numClasses: number): Float32Array {
  const C = numClasses;
  const out = new Float32Array(probs.length);
  for (let i = 0; i < probs.length; i += C) {
    let s = 0;
    for (let c = 0; c < C; c++) s += Math.max(0, probs[i + c]!);
    for (let c = 0; c < C; c++) {
      const p = s > 0 ? Math.max(0, probs[i + c]!) / s : 1 / C;
      out[i + c] = Math.log(clampProb(p));
    }
  }
  return out;
}

/** Probabilities of a confident prediction of `labels`: `confidence` on the labelled class, the rest shared. */
export function confidentProbabilities(labels: Int32Array, numClasses: number, confidence: number): Float32Array {
  const C = numClasses;
  const hi = Math.min(1 - P_MIN, Math.max(1 / C, confidence));
  const lo = (1 - hi) / (C - 1);
  const out = new Float32Array(labels.length * C).fill(lo);
  for (let i = 0; i < labels.length; i++) out[i * C + labels[i]!] = hi;
  return out;
}

/** "Perfect prediction": logits of `confidence` on the ground-truth class. */
export function perfectLogits(labels: Int32Array, numClasses: number, confidence = 0.99): Float32Array {
  return logitsFromProbabilities(confidentProbabilities(labels, numClasses, confidence), numClasses);
}

/** "Empty prediction": everything confidently background. */
export function emptyLogits(size: number, numClasses: number, confidence = 0.99): Float32Array {
  return perfectLogits(new Int32Array(size), numClasses, confidence);
}

/** Uniform (uninformative) logits: all zeros. */
export function uniformLogits(size: number, numClasses: number): Float32Array {
  return new Float32Array(size * numClasses);
}

/** Confident prediction of the GT translated by (dx, dy). */
export function shiftedLogits(
  labels: Int32Array,
  g: LabelGrid,
  numClasses: number,
  dx: number,
  dy: number,
  confidence = 0.99,
): Float32Array {
  return perfectLogits(shiftLabels(labels, g, dx, dy), numClasses, confidence);
}

/** Separable Gaussian blur (σ in pixels, kernel radius ⌈3σ⌉, edge pixels replicated) of a channels-last map. */
export function gaussianBlur(values: Float32Array, g: LabelGrid, channels: number, sigma: number): Float32Array {
  if (!(sigma > 0)) return values.slice();
  const { width, height } = g;
  const R = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * R + 1);
  let ks = 0;
  for (let j = -R; j <= R; j++) {
    const v = Math.exp(-(j * j) / (2 * sigma * sigma));
    k[j + R] = v;
    ks += v;
  }
  for (let j = 0; j < k.length; j++) k[j] = k[j]! / ks;
  const tmp = new Float32Array(values.length);
  const out = new Float32Array(values.length);
  const C = channels;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let j = -R; j <= R; j++) {
          const xx = Math.min(width - 1, Math.max(0, x + j));
          s += k[j + R]! * values[(y * width + xx) * C + c]!;
        }
        tmp[(y * width + x) * C + c] = s;
      }
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let j = -R; j <= R; j++) {
          const yy = Math.min(height - 1, Math.max(0, y + j));
          s += k[j + R]! * tmp[(yy * width + x) * C + c]!;
        }
        out[(y * width + x) * C + c] = s;
      }
    }
  }
  return out;
}

/** Blurred ground truth: the one-hot GT (at `confidence`) blurred with a Gaussian of σ, as logits. */
export function blurredLogits(
  labels: Int32Array,
  g: LabelGrid,
  numClasses: number,
  sigma: number,
  confidence = 0.99,
): Float32Array {
  const p = confidentProbabilities(labels, numClasses, confidence);
  return logitsFromProbabilities(gaussianBlur(p, g, numClasses, sigma), numClasses);
}

/** Blurs an existing prediction's probabilities. */
export function blurPrediction(logits: Float32Array, g: LabelGrid, numClasses: number, sigma: number): Float32Array {
  const p = probabilitiesFromLogits(logits, numClasses);
  return logitsFromProbabilities(gaussianBlur(p, g, numClasses, sigma), numClasses);
}

/** Translates an existing prediction; uncovered pixels become confident background. */
export function shiftPrediction(
  logits: Float32Array,
  g: LabelGrid,
  numClasses: number,
  dx: number,
  dy: number,
): Float32Array {
  const { width, height } = g;
  const C = numClasses;
  const bg = perfectLogits(new Int32Array(1), C);
  const out = new Float32Array(logits.length);
  const sx = Math.round(dx);
  const sy = Math.round(dy);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const xx = x - sx;
      const yy = y - sy;
      const inside = xx >= 0 && yy >= 0 && xx < width && yy < height;
      for (let c = 0; c < C; c++) {
        out[(y * width + x) * C + c] = inside ? logits[(yy * width + xx) * C + c]! : bg[c]!;
      }
    }
  }
  return out;
}

/** Temperature scaling: logits / T (T < 1 sharpens = more confident, T > 1 softens). */
export function temperatureScale(logits: Float32Array, temperature: number): Float32Array {
  const t = Math.max(1e-3, temperature);
  const out = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = logits[i]! / t;
  return out;
}

/** A small seeded PRNG, so "add noise" is reproducible for a given seed. */
export { mulberry32 };

/** Standard normal samples from a seeded uniform source (Box–Muller). */
export function gaussianSource(seed: number): () => number {
  const u = mulberry32(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let a = u();
    while (a <= 1e-12) a = u();
    const b = u();
    const r = Math.sqrt(-2 * Math.log(a));
    spare = r * Math.sin(2 * Math.PI * b);
    return r * Math.cos(2 * Math.PI * b);
  };
}

/** Adds i.i.d. Gaussian noise of standard deviation σ to every logit (seeded). */
export function addLogitNoise(logits: Float32Array, sigma: number, seed: number): Float32Array {
  const n = gaussianSource(seed);
  const out = new Float32Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = logits[i]! + sigma * n();
  return out;
}

/** Smooth radial falloff: 1 at the centre, 0 at distance ≥ r, C¹-continuous ((1 − d²/r²)²). */
export function falloff(d: number, r: number): number {
  if (d >= r) return 0;
  const q = 1 - (d * d) / (r * r);
  return q * q;
}

export interface SoftBrush {
  /** Class whose probability the brush changes. */
  cls: number;
  /** Radius in pixels. */
  radius: number;
  /** 0..1: fraction of the way towards 1 (raise) or 0 (lower) at the centre per dab. */
  strength: number;
  mode: 'raise' | 'lower';
}

/**
 * One soft-brush dab on probabilities (mutates `probs` in place; callers pass a private copy):
 * p_k ← p_k + s·w(d)·(goal − p_k), the other classes rescaled so the pixel still sums to 1.
 */
function dabProbabilities(
  probs: Float32Array,
  g: LabelGrid,
  C: number,
  at: Point,
  b: SoftBrush,
  touched: Uint8Array,
): void {
  const r = Math.max(0.5, b.radius);
  const goal = b.mode === 'raise' ? 1 : 0;
  const x0 = Math.max(0, Math.floor(at.x - r));
  const x1 = Math.min(g.width - 1, Math.ceil(at.x + r));
  const y0 = Math.max(0, Math.floor(at.y - r));
  const y1 = Math.min(g.height - 1, Math.ceil(at.y + r));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const w = b.strength * falloff(Math.hypot(x - at.x, y - at.y), r + 0.5);
      if (w <= 0) continue;
      touched[y * g.width + x] = 1;
      const base = (y * g.width + x) * C;
      const pk = probs[base + b.cls]!;
      const nk = pk + w * (goal - pk);
      const rest = 1 - pk;
      const newRest = 1 - nk;
      for (let c = 0; c < C; c++) {
        if (c === b.cls) probs[base + c] = nk;
        else probs[base + c] = rest > 1e-12 ? (probs[base + c]! * newRest) / rest : newRest / (C - 1);
      }
    }
  }
}

/**
 * Applies soft-brush dabs along a polyline (spacing r/3) and returns new logits. Only the bounding box of the
 * stroke is converted to probabilities, and only the pixels the brush reached are written back, so a dab costs
 * O(r²·C) whatever the grid size and untouched pixels keep their exact logits.
 */
export function softBrushStroke(
  logits: Float32Array,
  g: LabelGrid,
  numClasses: number,
  points: readonly Point[],
  brush: SoftBrush,
): Float32Array {
  if (points.length === 0) return logits;
  const C = numClasses;
  const reach = Math.max(0.5, brush.radius) + 1;
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x);
    maxY = Math.max(maxY, p.y);
  }
  const x0 = Math.max(0, Math.floor(minX - reach));
  const y0 = Math.max(0, Math.floor(minY - reach));
  const x1 = Math.min(g.width - 1, Math.ceil(maxX + reach));
  const y1 = Math.min(g.height - 1, Math.ceil(maxY + reach));
  if (x0 > x1 || y0 > y1) return logits;
  const sub = { width: x1 - x0 + 1, height: y1 - y0 + 1 };
  const region = new Float32Array(sub.width * sub.height * C);
  for (let y = 0; y < sub.height; y++) {
    const from = ((y + y0) * g.width + x0) * C;
    region.set(logits.subarray(from, from + sub.width * C), y * sub.width * C);
  }
  const probs = probabilitiesFromLogits(region, C);
  const local = (p: Point): Point => ({ x: p.x - x0, y: p.y - y0 });
  const spacing = Math.max(0.5, brush.radius / 3);
  const touched = new Uint8Array(sub.width * sub.height);
  dabProbabilities(probs, sub, C, local(points[0]!), brush, touched);
  for (let k = 1; k < points.length; k++) {
    const a = local(points[k - 1]!);
    const b = local(points[k]!);
    const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / spacing));
    for (let s = 1; s <= steps; s++) {
      const t = s / steps;
      dabProbabilities(probs, sub, C, { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t }, brush, touched);
    }
  }
  // Only pixels the brush reached change (others keep their exact logits, even beyond the probability clamp).
  const back = logitsFromProbabilities(probs, C);
  const out = logits.slice();
  for (let y = 0; y < sub.height; y++) {
    for (let x = 0; x < sub.width; x++) {
      const i = y * sub.width + x;
      if (!touched[i]) continue;
      const to = ((y + y0) * g.width + x + x0) * C;
      for (let c = 0; c < C; c++) out[to + c] = back[i * C + c]!;
    }
  }
  return out;
}

/**
 * Changes the number of classes of a prediction: removed classes' probability mass is dropped (renormalised);
 * added classes start at probability P_MIN.
 */
export function resizeClasses(logits: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return logits;
  const probs = probabilitiesFromLogits(logits, from);
  const n = logits.length / from;
  const out = new Float32Array(n * to);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < to; c++) out[i * to + c] = c < from ? probs[i * from + c]! : P_MIN;
  }
  return logitsFromProbabilities(out, to);
}

/** Arg-max class per pixel. */
export function argmaxLabels(logits: Float32Array, numClasses: number): Int32Array {
  const n = logits.length / numClasses;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (logits[i * numClasses + c]! > logits[i * numClasses + best]!) best = c;
    out[i] = best;
  }
  return out;
}
