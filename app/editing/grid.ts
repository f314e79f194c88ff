/** A pair of masks on one grid: ground-truth labels (H×W) and prediction logits (H×W×C, channels last). */
export interface Masks {
  width: number;
  height: number;
  numClasses: number;
  /** Class index per pixel, row-major. */
  target: Int32Array;
  /** Logits per pixel and class, row-major, channels last. */
  logits: Float32Array;
}

export const GRID_SIZES = [64, 128, 256] as const;
export type GridSize = (typeof GRID_SIZES)[number];

export function isGridSize(v: unknown): v is GridSize {
  return (GRID_SIZES as readonly unknown[]).includes(v);
}

/** The grid size of a square w×h grid of a standard size, else null (an uploaded grid). */
export function squareGridSize(width: number, height: number): GridSize | null {
  return width === height && isGridSize(width) ? width : null;
}

/** Probabilities are clamped to [P_MIN, 1 − P_MIN] before taking logs (log(1e-4) ≈ −9.21, finite in float32). */
export const P_MIN = 1e-4;

export function clampProb(p: number): number {
  return Math.min(1 - P_MIN, Math.max(P_MIN, p));
}
