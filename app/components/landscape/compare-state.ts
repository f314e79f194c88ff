// Settings, progress and the last result of the "Compare losses" view (several losses along one line).
// Its own small zustand store, like ./state.ts: computed on request only.
import { create } from 'zustand';
import type { LandscapeDirection, LandscapeLinesResult, LossId } from '../../../src';
import { getLoss, isImplemented } from '../../../src';
import type { LineNormalisation } from './normalise';
import { POINTS_MAX, POINTS_MIN } from './state';

/** Shown when nothing is ticked for the small multiples. */
export const FALLBACK_COMPARE: LossId[] = ['cross-entropy', 'dice', 'focal', 'boundary-loss'];

export interface CompareSettings {
  /** null: follow the losses ticked for the small multiples (or FALLBACK_COMPARE). */
  losses: LossId[] | null;
  direction: LandscapeDirection;
  from: number;
  to: number;
  points: number;
  normalisation: LineNormalisation;
}

export interface CompareState {
  settings: CompareSettings;
  status: 'idle' | 'running' | 'done' | 'error';
  progress: { done: number; total: number } | null;
  result: LandscapeLinesResult | null;
  /** The masks the result was computed from (identity: the store replaces them on every edit). */
  inputs: { target: Int32Array; logits: Float32Array } | null;
  wallMs: number | null;
  error: string | null;
  setSettings(p: Partial<CompareSettings>): void;
}

export const useCompare = create<CompareState>()((set) => ({
  settings: { losses: null, direction: 'towards-gt', from: -1, to: 1, points: 21, normalisation: 'relative' },
  status: 'idle',
  progress: null,
  result: null,
  inputs: null,
  wallMs: null,
  error: null,
  setSettings: (p) => set((s) => ({ settings: { ...s.settings, ...p } })),
}));

/** The losses to compare: the chosen ones, else the small multiples' implemented ones, else the fallback. */
export function compareLosses(settings: CompareSettings, multiples: readonly LossId[]): LossId[] {
  if (settings.losses) return settings.losses;
  const ticked = multiples.filter((id) => isImplemented(getLoss(id)));
  return ticked.length > 0 ? [...ticked] : [...FALLBACK_COMPARE];
}

/** What is wrong with the settings, or null. */
export function compareInputError(s: CompareSettings, losses: readonly LossId[]): string | null {
  if (losses.length === 0) return 'Tick at least one loss to compare.';
  if (!Number.isInteger(s.points) || s.points < POINTS_MIN || s.points > POINTS_MAX)
    return `Resolution must be a whole number of points from ${POINTS_MIN} to ${POINTS_MAX}, got ${s.points}.`;
  if (!(Number.isFinite(s.from) && Number.isFinite(s.to) && s.from < s.to))
    return `The range of a needs two finite numbers with from < to, got ${s.from} … ${s.to}.`;
  return null;
}
