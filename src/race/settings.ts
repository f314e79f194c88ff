// Settings of a loss race: which losses, which parametrisation (free logits or a tiny network), which optimiser
// and learning rate(s), how many steps. validateRaceSettings gives one clear message per problem.
import { getLoss, isImplemented, isLossId } from '../registry';
import type { LossId, Params } from '../types';

export type RaceMode = 'logits' | 'network';
export type RaceOptimiser = 'sgd' | 'momentum' | 'adam';

export const RACE_MODES: readonly RaceMode[] = ['logits', 'network'];
export const RACE_OPTIMISERS: readonly RaceOptimiser[] = ['sgd', 'momentum', 'adam'];
export const RACE_MIN_LOSSES = 1;
export const RACE_MAX_LOSSES = 6;
export const RACE_MIN_STEPS = 1;
export const RACE_MAX_STEPS = 1000;

/**
 * Learning rate.
 * - `shared`: one rate η for every racer, and each racer's gradient is first divided by its root mean square over
 *   all of that racer's parameters, g ← g / (‖g‖₂/√n + 1e-12). Every racer then takes steps of the same size
 *   (SGD: each parameter moves η in RMS per step), so the race compares directions, not gradient scales (Dice's
 *   gradient per logit is ~1/N of cross-entropy's). Adam is already invariant to the gradient's scale; for it the
 *   normalisation changes nothing but the effect of ε.
 * - `per-loss`: the raw gradient, with one rate per racer (same order as `losses`).
 */
export type RaceLearningRate = { kind: 'shared'; rate: number } | { kind: 'per-loss'; rates: number[] };

export interface RaceLoss {
  id: LossId;
  params?: Params;
}

export interface RaceSettings {
  losses: RaceLoss[];
  mode: RaceMode;
  optimiser: RaceOptimiser;
  lr: RaceLearningRate;
  steps: number;
  /** Seed of the network's initial weights and of the rendered input image (network mode). */
  seed: number;
  /** Keep the probabilities of every k-th step (and always the last); default: see defaultSnapshotEvery. */
  snapshotEvery?: number;
}

/** Momentum coefficient μ (heavy ball, v ← μv + g). */
export const MOMENTUM = 0.9;
/** Adam's β₁, β₂, ε (Kingma & Ba 2015 defaults). */
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

export function defaultRate(mode: RaceMode, optimiser: RaceOptimiser): number {
  if (mode === 'logits') return optimiser === 'sgd' ? 0.5 : optimiser === 'momentum' ? 0.05 : 0.1;
  return optimiser === 'sgd' ? 0.05 : optimiser === 'momentum' ? 0.005 : 0.01;
}

/** What is wrong with the settings, or null. */
export function validateRaceSettings(s: RaceSettings): string | null {
  const n = s.losses.length;
  if (n < RACE_MIN_LOSSES || n > RACE_MAX_LOSSES)
    return `A race needs ${RACE_MIN_LOSSES}–${RACE_MAX_LOSSES} losses, got ${n}.`;
  const seen = new Set<string>();
  for (const l of s.losses) {
    if (!isLossId(l.id)) return `Unknown loss id '${l.id}'.`;
    if (!isImplemented(getLoss(l.id))) return `${l.id} is not implemented yet.`;
    if (seen.has(l.id)) return `${l.id} is chosen twice.`;
    seen.add(l.id);
  }
  if (!RACE_MODES.includes(s.mode)) return `Unknown race mode '${s.mode}' (logits | network).`;
  if (!RACE_OPTIMISERS.includes(s.optimiser)) return `Unknown optimiser '${s.optimiser}' (sgd | momentum | adam).`;
  if (!Number.isInteger(s.steps) || s.steps < RACE_MIN_STEPS || s.steps > RACE_MAX_STEPS)
    return `Steps must be a whole number from ${RACE_MIN_STEPS} to ${RACE_MAX_STEPS}, got ${s.steps}.`;
  const rates = s.lr.kind === 'shared' ? [s.lr.rate] : s.lr.rates;
  if (s.lr.kind === 'per-loss' && rates.length !== n)
    return `Per-loss learning rates: ${n} losses but ${rates.length} rates.`;
  for (const r of rates)
    if (!(Number.isFinite(r) && r > 0)) return `A learning rate must be a positive number, got ${r}.`;
  if (!Number.isInteger(s.seed)) return `The seed must be a whole number, got ${s.seed}.`;
  if (s.snapshotEvery !== undefined && !(Number.isInteger(s.snapshotEvery) && s.snapshotEvery >= 1))
    return `snapshotEvery must be a whole number ≥ 1, got ${s.snapshotEvery}.`;
  return null;
}

/** Snapshot budget: about 48 MB of Uint8 probabilities for the whole race. */
const SNAPSHOT_BYTES = 48e6;

/** Every step when it fits the budget, else every k-th step so that all snapshots stay within ~48 MB. */
export function defaultSnapshotEvery(steps: number, racers: number, pixels: number, classes: number): number {
  const perStep = racers * pixels * classes;
  return Math.max(1, Math.ceil(((steps + 1) * perStep) / SNAPSHOT_BYTES));
}
