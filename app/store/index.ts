// The app's zustand store, composed from slices (zustand "slices pattern"): masks (editors), settings,
// results (compute bridge) and ui.
import { create } from 'zustand';
import type { Masks } from '../editing/grid';
import { createMasksSlice, type MasksSlice } from './masks';
import { createResultsSlice, type ResultsSlice } from './results';
import { createSettingsSlice, type SettingsSlice } from './settings';
import { createUiSlice, type UiSlice } from './ui';

export type AppState = MasksSlice & SettingsSlice & ResultsSlice & UiSlice;

export const useStore = create<AppState>()((...a) => ({
  ...createMasksSlice(...a),
  ...createSettingsSlice(...a),
  ...createResultsSlice(...a),
  ...createUiSlice(...a),
}));

/**
 * Replaces the masks wholesale without an undo entry (session restore, reset): loads them through the
 * editors' slice (which bumps the versions) and clears the history.
 */
export function replaceMasks(m: Masks, source: string): void {
  const s = useStore.getState();
  s.loadMasks(m, { source });
  useStore.getState().clearHistory();
}

export type { MasksSlice, ResultsSlice, SettingsSlice, UiSlice };
