// Settings slice: which loss is focused, which losses run, their parameters, grid size, backend, heatmap view.
import type { StateCreator } from 'zustand';
import { IMPLEMENTED_LOSSES, type LossId, type Params } from '../../src';
import type { BackendName } from '../backend/select';
import type { GridSize } from '../editing/grid';
import type { AppState } from './index';
import { defaultTools, type ToolSettings } from './tools';

// The grid sizes are defined once, with the masks (app/editing/grid.ts).
export { GRID_SIZES, type GridSize } from '../editing/grid';
/**
 * Default grid: 64². Measured in headless Chromium on WASM on the shared 2-core dev box with every implemented
 * loss on (README: update time per grid size): a full update takes ~0.2–0.8 s at 64², ~0.5–1.6 s at 128² and
 * ~3.5–6.5 s at 256², dominated by InverseForm, conditional-boundary, active-boundary and RMI. The maths runs in
 * a worker, so editing stays fluid at any size; 64² keeps the values following the pointer closely, and the
 * larger grids are one click away (fast again with the heavy losses switched off).
 */
export const DEFAULT_GRID: GridSize = 64;

export type HeatmapMode = 'logit' | 'probability';
export type BackendChoice = BackendName | 'auto';

export interface SettingsSlice {
  focusedLoss: LossId;
  /** Losses the engine evaluates (implemented ones only have an effect). */
  enabled: Partial<Record<LossId, boolean>>;
  /** Per-loss parameter overrides (validated before they get here). */
  params: Partial<Record<LossId, Params>>;
  gridSize: GridSize;
  backendChoice: BackendChoice;
  heatmapMode: HeatmapMode;
  /** Class channel of the gradient shown by the heatmaps. */
  heatmapClass: number;
  /** Losses shown side by side as small multiples. */
  multiples: LossId[];
  setFocusedLoss(id: LossId): void;
  setEnabled(id: LossId, on: boolean): void;
  setParam(id: LossId, name: string, value: Params[string]): void;
  resetParams(id: LossId): void;
  setHeatmapMode(mode: HeatmapMode): void;
  setHeatmapClass(c: number): void;
  toggleMultiple(id: LossId): void;
  setBackendChoice(choice: BackendChoice): void;
  /**
   * Applies settings from outside (a restored session, a share link, a lesson step) in one change; with
   * `tools`, the editors' tool settings too.
   */
  applySettings(settings: Partial<SettingsValues>, tools?: ToolSettings): void;
  /** Back to the default settings and tools (Reset); keeps the backend choice and clears the notices. */
  resetSettings(): void;
}

/** The settings' values (what app/settings/fields.ts describes, saves and shares). */
export type SettingsValues = Pick<
  SettingsSlice,
  'focusedLoss' | 'enabled' | 'params' | 'gridSize' | 'backendChoice' | 'heatmapMode' | 'heatmapClass' | 'multiples'
>;

export function defaultSettings(): SettingsValues {
  const implemented = IMPLEMENTED_LOSSES.map((d) => d.id);
  return {
    focusedLoss: implemented.includes('dice') ? 'dice' : (implemented[0] ?? 'cross-entropy'),
    enabled: Object.fromEntries(implemented.map((id) => [id, true])),
    params: {},
    gridSize: DEFAULT_GRID,
    backendChoice: 'auto',
    heatmapMode: 'logit',
    heatmapClass: 1,
    multiples: implemented.slice(0, 4),
  };
}

export const createSettingsSlice: StateCreator<AppState, [], [], SettingsSlice> = (set) => ({
  ...defaultSettings(),
  setFocusedLoss: (id) => set({ focusedLoss: id }),
  setEnabled: (id, on) => set((s) => ({ enabled: { ...s.enabled, [id]: on } })),
  setParam: (id, name, value) =>
    set((s) => ({ params: { ...s.params, [id]: { ...(s.params[id] ?? {}), [name]: value } } })),
  resetParams: (id) =>
    set((s) => {
      const next = { ...s.params };
      delete next[id];
      return { params: next };
    }),
  setHeatmapMode: (heatmapMode) => set({ heatmapMode }),
  setHeatmapClass: (heatmapClass) => set({ heatmapClass }),
  toggleMultiple: (id) =>
    set((s) => ({ multiples: s.multiples.includes(id) ? s.multiples.filter((m) => m !== id) : [...s.multiples, id] })),
  setBackendChoice: (backendChoice) => set({ backendChoice }),
  applySettings: (settings, tools) => set({ ...settings, ...tools }),
  resetSettings: () =>
    set((s) => ({ ...defaultSettings(), ...defaultTools(), backendChoice: s.backendChoice, notices: [] })),
});
