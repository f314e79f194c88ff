// Colour maps as 256-entry lookup tables (built once from d3-scale-chromatic's RdBu, imported through the d3 bundle).
import { interpolateRdBu, rgb } from 'd3';

export type Lut = Uint8ClampedArray; // 256 × RGB

function buildLut(interp: (t: number) => string): Lut {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let i = 0; i < 256; i++) {
    const c = rgb(interp(i / 255));
    lut[i * 3] = c.r;
    lut[i * 3 + 1] = c.g;
    lut[i * 3 + 2] = c.b;
  }
  return lut;
}

/**
 * Diverging map centred at 0: blue for negative, white at 0, red for positive (RdBu reversed).
 * A negative ∂L/∂x means raising x lowers the loss.
 */
export const DIVERGING: Lut = buildLut((t) => interpolateRdBu(1 - t));

/** CSS colour of the diverging map at t ∈ [0, 1] (legend gradient stops). */
export function divergingCss(t: number): string {
  return interpolateRdBu(1 - t);
}

/** Index into a diverging LUT for value v on the symmetric scale [−max, max]. */
export function divergingIndex(v: number, max: number): number {
  if (!(max > 0) || !Number.isFinite(v)) return 128;
  const t = 0.5 + (0.5 * v) / max;
  return Math.max(0, Math.min(255, Math.round(t * 255)));
}
