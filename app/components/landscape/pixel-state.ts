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
  setLosses(ids: LossId[]): void;
}

export const usePixelCurves = create<PixelCurvesState>()((set) => ({
  losses: DEFAULT_PIXEL_LOSSES,
  pixel: null,
  status: 'idle',
  result: null,
  error: null,
  setLosses: (losses) => set({ losses }),
}));
