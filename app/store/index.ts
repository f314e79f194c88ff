// The app's zustand store, composed from slices (zustand "slices pattern"): masks (editors), settings,
// results (compute bridge) and ui.
import { createStore, useStore as useZustandStore } from 'zustand';
import type { Masks } from '../editing/grid';
import { createMasksSlice, type MasksSlice } from './masks';
import { createResultsSlice, type ResultsSlice } from './results';
import { createSettingsSlice, type SettingsSlice } from './settings';
import { createUiSlice, type UiSlice } from './ui';
import { ViewGate } from './view-gate';

export type AppState = MasksSlice & SettingsSlice & ResultsSlice & UiSlice;

const api = createStore<AppState>()((...a) => ({
  ...createMasksSlice(...a),
  ...createSettingsSlice(...a),
  ...createResultsSlice(...a),
  ...createUiSlice(...a),
}));

/** Longest time React's view of the store is held back after an edit (see view-gate.ts): about a frame. */
export const VIEW_HOLD_MAX_MS = 16;

/** React's subscriptions to the store, which the compute bridge may hold back briefly after an edit. */
export const viewGate = new ViewGate(api, VIEW_HOLD_MAX_MS);

function useBoundStore(): AppState;
function useBoundStore<U>(selector: (s: AppState) => U): U;
function useBoundStore<U>(selector?: (s: AppState) => U) {
  return useZustandStore(viewGate.view, selector ?? ((s: AppState) => s as unknown as U));
}

/**
 * The app store: a React hook (through the view gate) with the store's own getState, setState and subscribe
 * (live: every change at once), as zustand's `create` makes it.
 */
export const useStore = Object.assign(useBoundStore, api);

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
