// The loss race panel's own zustand store: settings, the running race's progress, the finished trajectory and
// the playback position. Computed on request only.
import { create } from 'zustand';
import {
  defaultRate,
  type LossId,
  type RaceMode,
  type RaceOptimiser,
  type RaceSettings,
  type RaceTrajectory,
} from '../../src';

export const DEFAULT_RACE_LOSSES: LossId[] = ['cross-entropy', 'dice', 'focal', 'boundary-loss'];
export const RACE_SPEEDS = [0.5, 1, 2, 5, 10] as const;

export interface RacePanelSettings {
  losses: LossId[];
  mode: RaceMode;
  optimiser: RaceOptimiser;
  rateKind: 'shared' | 'per-loss';
  /** The shared rate (also every per-loss rate that was not set on its own). */
  rate: number;
  rates: Partial<Record<LossId, number>>;
  steps: number;
}

export interface RaceState {
  settings: RacePanelSettings;
  /** Opened by the URL or by the user (the panel is a closed <details> otherwise). */
  open: boolean;
  /** A message about the URL parameters (bad ids …), or null. */
  notice: string | null;
  status: 'idle' | 'running' | 'done' | 'error' | 'cancelled';
  progress: { done: number; total: number } | null;
  trajectory: RaceTrajectory | null;
  /** The masks the trajectory started from. */
  inputs: { target: Int32Array; logits: Float32Array } | null;
  /** Input of the network: 'underlay' or 'rendered from the GT'. */
  networkInput: string | null;
  wallMs: number | null;
  ranOn: string | null;
  error: string | null;
  /** Shown step. */
  step: number;
  playing: boolean;
  speed: number;
  setSettings(p: Partial<RacePanelSettings>): void;
  /** Moves the playback (shown step, playing, speed). */
  setPlayback(p: Partial<Pick<RaceState, 'step' | 'playing' | 'speed'>>): void;
}

export const useRace = create<RaceState>()((set) => ({
  settings: {
    losses: DEFAULT_RACE_LOSSES.slice(0, 2),
    mode: 'logits',
    optimiser: 'adam',
    rateKind: 'shared',
    rate: defaultRate('logits', 'adam'),
    rates: {},
    steps: 200,
  },
  open: false,
  notice: null,
  status: 'idle',
  progress: null,
  trajectory: null,
  inputs: null,
  networkInput: null,
  wallMs: null,
  ranOn: null,
  error: null,
  step: 0,
  playing: false,
  speed: 1,
  setSettings: (p) => set((s) => ({ settings: { ...s.settings, ...p } })),
  setPlayback: (p) => set(p),
}));

/** The library's settings from the panel's. */
export function raceSettings(p: RacePanelSettings): RaceSettings {
  return {
    losses: p.losses.map((id) => ({ id })),
    mode: p.mode,
    optimiser: p.optimiser,
    lr:
      p.rateKind === 'shared'
        ? { kind: 'shared', rate: p.rate }
        : { kind: 'per-loss', rates: p.losses.map((id) => p.rates[id] ?? p.rate) },
    steps: p.steps,
    seed: 1,
  };
}
