// Settings, progress and the last result of the "Named axes" view: losses and metrics along named
// transformations of the prediction (src/landscape/transforms.ts). Its own small store, computed on request.
import { create } from 'zustand';
import {
  getLoss,
  isImplemented,
  type LossId,
  type NamedAxisSpec,
  type NamedLandscapeResult,
  type NamedTransform,
  TRANSFORM_INFO,
  type TransformBase,
} from '../../../src';

export const NAMED_POINTS_MIN = 5;
export const NAMED_POINTS_MAX = 65;

/** The default 1-D chart: the losses of the classic demos. */
export const DEFAULT_NAMED_LOSSES: LossId[] = ['dice', 'iou', 'boundary-loss', 'hausdorff-distance', 'cross-entropy'];

export interface NamedSettings {
  dims: 1 | 2;
  base: TransformBase;
  axisA: NamedTransform;
  fromA: number;
  toA: number;
  axisB: NamedTransform;
  fromB: number;
  toB: number;
  points1d: number;
  /** Per axis of the 2-D grid (33 → 33×33 = 1,089 points). */
  points2d: number;
  /** 1-D: the losses drawn (2-D draws the focused loss). */
  losses: LossId[];
  /** Also draw the argmax metrics (src/metrics): Dice score, IoU, HD95 and HD (1-D). */
  metrics: boolean;
  /** Min–max normalise every line to [0, 1] (1-D). */
  normalise: boolean;
}

export interface NamedState {
  settings: NamedSettings;
  status: 'idle' | 'running' | 'done' | 'error';
  progress: { done: number; total: number } | null;
  result: NamedLandscapeResult | null;
  inputs: { target: Int32Array; logits: Float32Array } | null;
  wallMs: number | null;
  /** The grid point last adopted as the prediction. */
  adopted: number[] | null;
  error: string | null;
  setSettings(p: Partial<NamedSettings>): void;
}

export const DEFAULT_NAMED_SETTINGS: NamedSettings = {
  dims: 1,
  base: 'prediction',
  axisA: 'shift-x',
  fromA: -8,
  toA: 8,
  axisB: 'dilate',
  fromB: -4,
  toB: 4,
  points1d: 33,
  points2d: 33,
  losses: DEFAULT_NAMED_LOSSES,
  metrics: true,
  normalise: true,
};

export const useNamed = create<NamedState>()((set) => ({
  settings: DEFAULT_NAMED_SETTINGS,
  status: 'idle',
  progress: null,
  result: null,
  inputs: null,
  wallMs: null,
  adopted: null,
  error: null,
  setSettings: (p) => set((s) => ({ settings: { ...s.settings, ...p } })),
}));

/** The axes and losses to request, or what is wrong with the settings. */
export function namedAxisSpecs(
  s: NamedSettings,
  focused: LossId,
): { axes: NamedAxisSpec[]; losses: LossId[] } | { error: string } {
  const points = s.dims === 1 ? s.points1d : s.points2d;
  if (!Number.isInteger(points) || points < NAMED_POINTS_MIN || points > NAMED_POINTS_MAX) {
    return {
      error: `Resolution must be a whole number of points from ${NAMED_POINTS_MIN} to ${NAMED_POINTS_MAX}, got ${points}.`,
    };
  }
  const check = (t: NamedTransform, from: number, to: number, name: string) => {
    const info = TRANSFORM_INFO[t];
    if (!(Number.isFinite(from) && Number.isFinite(to) && from < to))
      return `The range of ${name} needs two finite numbers with from < to, got ${from} … ${to}.`;
    if (from < info.min || to > info.max)
      return `${info.name} (${name}) goes from ${info.min} to ${info.max} ${info.unit}, got ${from} … ${to}.`;
    return null;
  };
  const bad =
    check(s.axisA, s.fromA, s.toA, 'axis a') ?? (s.dims === 2 ? check(s.axisB, s.fromB, s.toB, 'axis b') : null);
  if (bad) return { error: bad };
  const a: NamedAxisSpec = { transform: s.axisA, from: s.fromA, to: s.toA, points };
  if (s.dims === 1) {
    const losses = s.losses.filter((id) => isImplemented(getLoss(id)));
    if (losses.length === 0 && !s.metrics) return { error: 'Tick at least one loss or the metrics.' };
    return { axes: [a], losses };
  }
  if (s.axisA === s.axisB) return { error: 'Choose two different axes for the grid.' };
  return { axes: [a, { transform: s.axisB, from: s.fromB, to: s.toB, points }], losses: [focused] };
}
