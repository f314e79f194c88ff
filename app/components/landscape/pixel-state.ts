// Settings and the last result of the "Per-pixel curves" view (src/landscape/pixel-curves.ts).
import { create } from 'zustand';
import type { LossId, PixelCurvesResult } from '../../../src';

export const DEFAULT_PIXEL_LOSSES: LossId[] = ['cross-entropy', 'focal'];

export interface PixelCurvesState {
  losses: LossId[];
  pixel: { x: number; y: number } | null;
  status: 'idle' | 'running' | 'done' | 'error';
  result: PixelCurvesResult | null;
  error: string | null;
  /** "Pick on the editor" is on: the next click on an editor canvas picks a pixel instead of drawing. */
  pickArmed: boolean;
  /** The last pixel picked on an editor canvas (`seq` counts picks, so the same pixel twice is two picks). */
  picked: { x: number; y: number; seq: number } | null;
  setLosses(ids: LossId[]): void;
  armPick(on: boolean): void;
  /** A click (armed, or Alt+click) on an editor canvas at grid pixel (x, y); disarms. */
  pickFromEditor(x: number, y: number): void;
}

export const usePixelCurves = create<PixelCurvesState>()((set) => ({
  losses: DEFAULT_PIXEL_LOSSES,
  pixel: null,
  status: 'idle',
  result: null,
  error: null,
  pickArmed: false,
  picked: null,
  setLosses: (losses) => set({ losses }),
  armPick: (pickArmed) => set({ pickArmed }),
  pickFromEditor: (x, y) => set((s) => ({ pickArmed: false, picked: { x, y, seq: (s.picked?.seq ?? 0) + 1 } })),
}));

/** Whether a pointer-down on an editor canvas picks a pixel for the per-pixel curves instead of drawing. */
export function picksPixel(e: { altKey: boolean }): boolean {
  return e.altKey || usePixelCurves.getState().pickArmed;
}
