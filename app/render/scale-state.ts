// The colour scale of the gradient small multiples (issue 12 §4): each map to its own max, one global max, or a
// robust clip at the 99th percentile of |g| over the shown maps (shared-scale.ts). Its own small store.
import { create } from 'zustand';
import type { HeatmapScaleMode } from './shared-scale';

export const SCALE_MODES: Record<HeatmapScaleMode, { label: string; legend: string }> = {
  own: {
    label: 'each map its own max',
    legend: 'each map is scaled to its own largest |g| (shapes comparable, sizes not)',
  },
  global: {
    label: 'shared: global max',
    legend: 'one scale for all maps: the largest |g| of all shown maps',
  },
  p99: {
    label: 'shared: 99th percentile',
    legend: 'one scale for all maps: the 99th percentile of |g| over all shown maps; larger values are clipped',
  },
};

export interface HeatmapScaleState {
  mode: HeatmapScaleMode;
  setMode(mode: HeatmapScaleMode): void;
}

export const useHeatmapScale = create<HeatmapScaleState>()((set) => ({
  mode: 'own',
  setMode: (mode) => set({ mode }),
}));
