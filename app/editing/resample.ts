/**
 * Resampling between grids. Labels: nearest neighbour (pixel centres). Probabilities/logits: area averaging of
 * probabilities when shrinking (exact box overlap), bilinear interpolation of probabilities when enlarging; the
 * result goes back to logits through the clamped log.
 */
import { logitsFromProbabilities, probabilitiesFromLogits } from './prediction';

export interface Size {
  width: number;
  height: number;
}

export function resampleLabelsNearest(labels: ArrayLike<number>, from: Size, to: Size): Int32Array {
  const out = new Int32Array(to.width * to.height);
  for (let y = 0; y < to.height; y++) {
    const sy = Math.min(from.height - 1, Math.floor(((y + 0.5) * from.height) / to.height));
    for (let x = 0; x < to.width; x++) {
      const sx = Math.min(from.width - 1, Math.floor(((x + 0.5) * from.width) / to.width));
      out[y * to.width + x] = labels[sy * from.width + sx]!;
    }
  }
  return out;
}

/** Area (box) average of a channels-last map: each output pixel averages the input area it covers (exact overlaps). */
export function resampleArea(values: ArrayLike<number>, from: Size, to: Size, channels: number): Float32Array {
  const C = channels;
  const out = new Float32Array(to.width * to.height * C);
  const fx = from.width / to.width;
  const fy = from.height / to.height;
  for (let y = 0; y < to.height; y++) {
    const ya = y * fy;
    const yb = (y + 1) * fy;
    for (let x = 0; x < to.width; x++) {
      const xa = x * fx;
      const xb = (x + 1) * fx;
      let wsum = 0;
      const acc = new Float64Array(C);
      for (let sy = Math.floor(ya); sy < Math.min(from.height, Math.ceil(yb)); sy++) {
        const wy = Math.min(yb, sy + 1) - Math.max(ya, sy);
        if (wy <= 0) continue;
        for (let sx = Math.floor(xa); sx < Math.min(from.width, Math.ceil(xb)); sx++) {
          const wx = Math.min(xb, sx + 1) - Math.max(xa, sx);
          if (wx <= 0) continue;
          const w = wx * wy;
          wsum += w;
          const base = (sy * from.width + sx) * C;
          for (let c = 0; c < C; c++) acc[c] = acc[c]! + w * values[base + c]!;
        }
      }
      for (let c = 0; c < C; c++) out[(y * to.width + x) * C + c] = acc[c]! / wsum;
    }
  }
  return out;
}

/** Bilinear interpolation (pixel-centre aligned, edges clamped) of a channels-last map. */
export function resampleBilinear(values: ArrayLike<number>, from: Size, to: Size, channels: number): Float32Array {
  const C = channels;
  const out = new Float32Array(to.width * to.height * C);
  for (let y = 0; y < to.height; y++) {
    const fy = Math.min(from.height - 1, Math.max(0, ((y + 0.5) * from.height) / to.height - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(from.height - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < to.width; x++) {
      const fx = Math.min(from.width - 1, Math.max(0, ((x + 0.5) * from.width) / to.width - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(from.width - 1, x0 + 1);
      const tx = fx - x0;
      for (let c = 0; c < C; c++) {
        const a = values[(y0 * from.width + x0) * C + c]!;
        const b = values[(y0 * from.width + x1) * C + c]!;
        const d = values[(y1 * from.width + x0) * C + c]!;
        const e = values[(y1 * from.width + x1) * C + c]!;
        out[(y * to.width + x) * C + c] = (a * (1 - tx) + b * tx) * (1 - ty) + (d * (1 - tx) + e * tx) * ty;
      }
    }
  }
  return out;
}

/** Probabilities: area when shrinking, bilinear when enlarging (per axis decided by the larger change). */
export function resampleProbabilities(probs: ArrayLike<number>, from: Size, to: Size, channels: number): Float32Array {
  if (from.width === to.width && from.height === to.height) return Float32Array.from(probs);
  const shrinking = to.width * to.height < from.width * from.height;
  return shrinking ? resampleArea(probs, from, to, channels) : resampleBilinear(probs, from, to, channels);
}

/** Logits → probabilities → resample → clamped log. */
export function resampleLogits(logits: Float32Array, from: Size, to: Size, channels: number): Float32Array {
  if (from.width === to.width && from.height === to.height) return logits;
  const p = probabilitiesFromLogits(logits, channels);
  return logitsFromProbabilities(resampleProbabilities(p, from, to, channels), channels);
}

/** The largest size with the same aspect ratio whose sides are ≤ maxSide (integer sides, at least 1). */
export function fitWithin(size: Size, maxSide: number): Size {
  const f = Math.max(size.width, size.height) / maxSide;
  if (f <= 1) return { ...size };
  return { width: Math.max(1, Math.floor(size.width / f)), height: Math.max(1, Math.floor(size.height / f)) };
}
