// Gradient heatmap painters: pure functions from gradient arrays to RGBA pixels.
import { DIVERGING, divergingIndex } from './colormap';

export type GradientMode = 'logit' | 'probability';

/** Smallest probability used when dividing by p for ∂L/∂p (keeps the map finite where p underflows). */
export const P_FLOOR = 1e-6;

/**
 * The H×W map of one class channel. Mode 'logit' is ∂L/∂z_c as computed by tf.valueAndGrad. Mode
 * 'probability' is ∂L/∂p_c by the chain rule through the softmax: since ∂L/∂z_c = p_c (∂L/∂p_c − Σ_k p_k ∂L/∂p_k),
 * g_c / p_c is ∂L/∂p_c up to a per-pixel constant — exactly the part of ∂L/∂p the softmax can feel (the
 * gradient on the probability simplex). p is floored at P_FLOOR.
 */
export function gradientChannel(
  grad: Float32Array,
  probs: Float32Array | null,
  numClasses: number,
  channel: number,
  mode: GradientMode,
): Float32Array {
  const n = grad.length / numClasses;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const g = grad[i * numClasses + channel]!;
    if (mode === 'probability' && probs) out[i] = g / Math.max(probs[i * numClasses + channel]!, P_FLOOR);
    else out[i] = g;
  }
  return out;
}

/** Largest finite |v| (the symmetric scale of the colour map). */
export function maxAbs(values: Float32Array): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]!);
    if (Number.isFinite(a) && a > m) m = a;
  }
  return m;
}

/** Paints `values` (H×W) into RGBA pixels on the diverging map [−max, max]; non-finite pixels are magenta. */
export function paintDiverging(values: Float32Array, max: number, out: Uint8ClampedArray): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const o = i * 4;
    if (!Number.isFinite(v)) {
      out[o] = 255;
      out[o + 1] = 0;
      out[o + 2] = 255;
    } else {
      const k = divergingIndex(v, max) * 3;
      out[o] = DIVERGING[k]!;
      out[o + 1] = DIVERGING[k + 1]!;
      out[o + 2] = DIVERGING[k + 2]!;
    }
    out[o + 3] = 255;
  }
}

/**
 * A 2D context for a canvas that is only ever written with putImageData: CPU-backed (`willReadFrequently` is
 * the hint that makes Chromium keep it off the GPU). A GPU canvas costs a texture upload and raster work in
 * the GPU process per update; where that GPU is software (SwiftShader in headless Chromium on this machine)
 * it doubled edit → focused value + heatmap on screen. The first getContext call fixes the options.
 */
export function pixelContext(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  return canvas.getContext('2d', { willReadFrequently: true });
}

/** Draws an H×W map on a canvas whose backing store is W×H (CSS scales it with pixelated rendering). */
export function drawMap(canvas: HTMLCanvasElement, values: Float32Array, width: number, height: number, max: number) {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = pixelContext(canvas);
  if (!ctx) return;
  const img = ctx.createImageData(width, height);
  paintDiverging(values, max, img.data);
  ctx.putImageData(img, 0, 0);
}

/**
 * Shrinks an H×W map by an integer factor so that no side exceeds `maxSide`, keeping in each block the value
 * of largest magnitude (thin boundary bands stay visible in thumbnails). Returns the input when small enough.
 */
export function shrinkMap(
  values: Float32Array,
  width: number,
  height: number,
  maxSide: number,
): { values: Float32Array; width: number; height: number } {
  const f = Math.ceil(Math.max(width, height) / maxSide);
  if (f <= 1) return { values, width, height };
  const w = Math.ceil(width / f);
  const h = Math.ceil(height / f);
  const out = new Float32Array(w * h);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / f) * w;
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x]!;
      const o = row + Math.floor(x / f);
      if (!(Math.abs(v) <= Math.abs(out[o]!))) out[o] = v;
    }
  }
  return { values: out, width: w, height: h };
}

/**
 * gradientChannel + maxAbs + shrinkMap in one pass without the full-size intermediate (thumbnails of every
 * loss are redrawn on each update, so this runs 25 times per update on the main thread).
 */
export function gradientThumb(
  grad: Float32Array,
  probs: Float32Array | null,
  numClasses: number,
  channel: number,
  mode: GradientMode,
  width: number,
  height: number,
  maxSide: number,
): { values: Float32Array; width: number; height: number; max: number } {
  const f = Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
  const w = Math.ceil(width / f);
  const h = Math.ceil(height / f);
  const out = new Float32Array(w * h);
  const useP = mode === 'probability' && probs !== null;
  let max = 0;
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / f) * w;
    for (let x = 0; x < width; x++) {
      const k = (y * width + x) * numClasses + channel;
      const g = grad[k]!;
      const v = useP ? g / Math.max((probs as Float32Array)[k]!, P_FLOOR) : g;
      const a = Math.abs(v);
      if (a > max && Number.isFinite(a)) max = a;
      const o = row + Math.floor(x / f);
      if (!(a <= Math.abs(out[o]!))) out[o] = v;
    }
  }
  return { values: out, width: w, height: h, max };
}
