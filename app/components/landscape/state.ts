// The loss-landscape view's own small zustand store: its settings, the running computation and the last result
// with the inputs it was computed from (so the view can say when the masks or parameters changed since).
// Kept apart from the app store: a landscape is computed on request only, never by the live-update bridge.
import { create } from 'zustand';
import type { LandscapeAxisSpec, LandscapeDirection, LandscapeResult, LossId, Params } from '../../../src';

export const POINTS_MIN = 11;
export const POINTS_MAX = 31;
export const DEFAULT_POINTS_1D = 21;
export const DEFAULT_POINTS_2D = 15;

export interface LandscapeSettings {
  dims: 1 | 2;
  dirA: LandscapeDirection;
  dirB: LandscapeDirection;
  fromA: number;
  toA: number;
  fromB: number;
  toB: number;
  points1d: number;
  points2d: number;
}

/** What a result was computed from (identity of the store's arrays: they are replaced on every edit). */
export interface LandscapeInputs {
  lossId: LossId;
  target: Int32Array;
  logits: Float32Array;
  params: Params | undefined;
}

export interface LandscapeState {
  settings: LandscapeSettings;
  status: 'idle' | 'running' | 'done' | 'error';
  progress: { done: number; total: number } | null;
  result: LandscapeResult | null;
  inputs: LandscapeInputs | null;
  /** Request → reply as the page saw it (ms), and where it ran. */
  wallMs: number | null;
  ranOn: { backend: string | null; thread: string } | null;
  error: string | null;
  setSettings(p: Partial<LandscapeSettings>): void;
}

export const DEFAULT_LANDSCAPE_SETTINGS: LandscapeSettings = {
  dims: 1,
  dirA: 'towards-gt',
  dirB: 'random',
  // Symmetric ranges with an odd number of points put a grid point exactly on the current prediction (0, 0);
  // along 'towards-gt' a = 1 (the confident correct prediction) is a grid point too.
  fromA: -1,
  toA: 1,
  fromB: -1,
  toB: 1,
  points1d: DEFAULT_POINTS_1D,
  points2d: DEFAULT_POINTS_2D,
};

export const useLandscape = create<LandscapeState>()((set) => ({
  settings: DEFAULT_LANDSCAPE_SETTINGS,
  status: 'idle',
  progress: null,
  result: null,
  inputs: null,
  wallMs: null,
  ranOn: null,
  error: null,
  setSettings: (p) => set((s) => ({ settings: { ...s.settings, ...p } })),
}));

/** The axes to request, or a message saying what is wrong with the settings. */
export function axisSpecs(s: LandscapeSettings): { axes: LandscapeAxisSpec[] } | { error: string } {
  const points = s.dims === 1 ? s.points1d : s.points2d;
  if (!Number.isInteger(points) || points < POINTS_MIN || points > POINTS_MAX) {
    return { error: `Resolution must be a whole number of points from ${POINTS_MIN} to ${POINTS_MAX}, got ${points}.` };
  }
  const check = (from: number, to: number, name: string) =>
    Number.isFinite(from) && Number.isFinite(to) && from < to
      ? null
      : `The range of ${name} needs two finite numbers with from < to, got ${from} … ${to}.`;
  const bad = check(s.fromA, s.toA, 'axis a') ?? (s.dims === 2 ? check(s.fromB, s.toB, 'axis b') : null);
  if (bad) return { error: bad };
  const a: LandscapeAxisSpec = { direction: s.dirA, from: s.fromA, to: s.toA, points, seed: 1 };
  if (s.dims === 1) return { axes: [a] };
  return { axes: [a, { direction: s.dirB, from: s.fromB, to: s.toB, points, seed: 2 }] };
}

/** Why the shown result no longer matches the explorer (null when it does). */
export function staleReason(
  inputs: LandscapeInputs | null,
  now: { focusedLoss: LossId; target: Int32Array; logits: Float32Array; params: Partial<Record<LossId, Params>> },
): string | null {
  if (!inputs) return null;
  if (inputs.lossId !== now.focusedLoss) return 'another loss is selected now';
  if (inputs.target !== now.target || inputs.logits !== now.logits) return 'the masks changed since';
  if (inputs.params !== now.params[inputs.lossId]) return 'the parameters changed since';
  return null;
}
