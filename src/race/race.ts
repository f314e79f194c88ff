// The loss race: gradient descent under 1–6 losses at once from the same start (the current logits), either on
// the logits themselves (every pixel its own parameter) or on a tiny network's weights (./tiny-net.ts).
// It runs in chunks (RaceRun.advance(budget)), so a worker can report progress and stop between chunks; each
// chunk reads its results back once. The trajectory keeps every step's loss value and Dice score per racer and
// the probabilities of every k-th step (and the last), quantised to 8 bits.
import { computeLoss } from '../compute';
import { GroundTruthContext } from '../engine/gt-context';
import { errorMessage } from '../error-message';
import { diceScoreMeanForeground } from '../metrics/argmax-overlap';
import { getLoss } from '../registry';
import { tf } from '../tf';
import type { LossId, Params } from '../types';
import { renderInputFromTarget } from './input-image';
import { applyUpdate, disposeOptimiser, initOptimiser, normaliseGradients, type OptimiserState } from './optimisers';
import { defaultSnapshotEvery, type RaceSettings, validateRaceSettings } from './settings';
import { initTinyNet, tinyNetLogits } from './tiny-net';

export interface RaceInputs {
  /** Start of every racer: [1, H, W, C]. */
  logits: tf.Tensor4D;
  /** [1, H, W] int32. */
  target: tf.Tensor3D;
  /** Ground-truth constants (shared with the caller; not disposed). */
  ctx?: GroundTruthContext;
  /** Network mode: a greyscale input image, H·W values (the underlay); default: rendered from the target. */
  image?: Float32Array;
}

export interface RacerTrajectory {
  id: LossId;
  /** Loss value at step 0..steps (index = number of updates made); NaN where not computed (yet). */
  loss: Float32Array;
  /** Mean foreground Dice score of argmax at step 0..steps. */
  dice: Float32Array;
  /** Probabilities [H, W, C] quantised to round(255·p), one per entry of RaceTrajectory.snapshotSteps. */
  snapshots: Uint8Array[];
  /** Why this racer stopped (its loss threw), or null. */
  error: string | null;
}

export interface RaceTrajectory {
  settings: RaceSettings;
  width: number;
  height: number;
  numClasses: number;
  /** Steps evaluated so far (0..steps+1; steps+1 means finished). */
  evaluated: number;
  snapshotEvery: number;
  /** The steps whose probabilities are kept: 0, k, 2k, …, and always the last. */
  snapshotSteps: number[];
  racers: RacerTrajectory[];
}

export class RaceCancelledError extends Error {
  constructor() {
    super('race cancelled');
    this.name = 'RaceCancelledError';
  }
}

interface Racer {
  id: LossId;
  params: Params;
  rate: number;
  weights: tf.Tensor[];
  opt: OptimiserState;
  failed: boolean;
}

/** A race in progress: holds each racer's parameters and optimiser state; call dispose() when done. */
export class RaceRun {
  readonly trajectory: RaceTrajectory;
  private racers: Racer[];
  private start: tf.Tensor4D;
  private target: tf.Tensor3D;
  private image: tf.Tensor4D | null;
  private ctx: GroundTruthContext;
  private ownCtx: boolean;

  constructor(settings: RaceSettings, inputs: RaceInputs) {
    const bad = validateRaceSettings(settings);
    if (bad) throw new Error(`race: ${bad}`);
    const [n, h, w, c] = inputs.logits.shape;
    if (n !== 1) throw new Error(`race: one image at a time (N = 1), got N = ${n}`);
    if (inputs.target.shape[1] !== h || inputs.target.shape[2] !== w)
      throw new Error(`race: target [${inputs.target.shape}] does not match logits [${inputs.logits.shape}]`);
    if (inputs.image && inputs.image.length !== h * w)
      throw new Error(`race: the input image has ${inputs.image.length} pixels, the masks ${h * w}`);
    const k = settings.snapshotEvery ?? defaultSnapshotEvery(settings.steps, settings.losses.length, h * w, c);
    const snapshotSteps: number[] = [];
    for (let t = 0; t < settings.steps; t += k) snapshotSteps.push(t);
    snapshotSteps.push(settings.steps);
    this.trajectory = {
      settings,
      width: w,
      height: h,
      numClasses: c,
      evaluated: 0,
      snapshotEvery: k,
      snapshotSteps,
      racers: settings.losses.map((l) => ({
        id: l.id,
        loss: new Float32Array(settings.steps + 1).fill(Number.NaN),
        dice: new Float32Array(settings.steps + 1).fill(Number.NaN),
        snapshots: [],
        error: null,
      })),
    };
    this.start = tf.keep(tf.clone(inputs.logits));
    this.target = tf.keep(tf.clone(inputs.target));
    this.ownCtx = !inputs.ctx;
    this.ctx = inputs.ctx ?? GroundTruthContext.fromTensor(this.target, c);
    if (settings.mode === 'network') {
      const pixels = inputs.image ?? renderInputFromTarget(inputs.target.dataSync(), w, h, c, settings.seed);
      this.image = tf.keep(tf.tensor4d(pixels, [1, h, w, 1]));
    } else this.image = null;
    this.racers = settings.losses.map((l, i) => {
      const weights =
        settings.mode === 'network'
          ? initTinyNet({ inChannels: 1, numClasses: c }, settings.seed).map((t) => tf.keep(t))
          : [tf.keep(tf.clone(inputs.logits))];
      return {
        id: l.id,
        params: l.params ?? {},
        rate: settings.lr.kind === 'shared' ? settings.lr.rate : (settings.lr.rates[i] as number),
        weights,
        opt: initOptimiser(settings.optimiser, weights),
        failed: false,
      };
    });
  }

  get done(): boolean {
    return this.trajectory.evaluated > this.trajectory.settings.steps;
  }

  private logitsOf(weights: readonly tf.Tensor[]): tf.Tensor4D {
    if (this.image) return tinyNetLogits(weights, this.image, this.start);
    return weights[0] as tf.Tensor4D;
  }

  /**
   * Evaluates up to `budget` more steps (each: value, Dice, snapshot if due, and an update unless it is the last
   * step) and reads this chunk's results back once. Returns the number of steps evaluated.
   */
  async advance(budget: number): Promise<number> {
    const tr = this.trajectory;
    const { steps, optimiser, lr } = tr.settings;
    const first = tr.evaluated;
    const last = Math.min(steps, first + Math.max(1, Math.floor(budget)) - 1);
    if (first > steps) return 0;
    // Per step and racer: [loss, dice] scalars; snapshots as probabilities. Read back together at the end.
    const scalars: tf.Tensor[] = [];
    const slots: { t: number; r: number; snap: boolean }[] = [];
    const snaps: tf.Tensor[] = [];
    try {
      for (let t = first; t <= last; t++) {
        const snapDue = tr.snapshotSteps.includes(t);
        this.racers.forEach((racer, r) => {
          if (racer.failed) return;
          const def = getLoss(racer.id);
          const isLast = t === steps;
          let value: tf.Scalar;
          let grads: tf.Tensor[] = [];
          try {
            if (isLast) {
              value = tf.tidy(() =>
                computeLoss(def, this.logitsOf(racer.weights), this.target, racer.params, this.ctx),
              );
            } else {
              const f = (...ws: tf.Tensor[]) =>
                computeLoss(def, this.logitsOf(ws), this.target, racer.params, this.ctx) as tf.Scalar;
              // In a tidy, so a loss that throws half-way leaves no intermediate tensors behind.
              const out = tf.tidy(() => tf.valueAndGrads(f)(racer.weights));
              value = out.value;
              grads = out.grads;
            }
          } catch (e) {
            racer.failed = true;
            (tr.racers[r] as RacerTrajectory).error = errorMessage(e);
            return;
          }
          const extras = tf.tidy(() => {
            const logits = this.logitsOf(racer.weights);
            const dice = diceScoreMeanForeground(logits, this.target);
            const pair = tf.stack([value, dice]);
            return snapDue ? [pair, tf.reshape(tf.softmax(logits, -1), [-1])] : [pair];
          });
          value.dispose();
          scalars.push(extras[0] as tf.Tensor);
          if (extras[1]) snaps.push(extras[1]);
          slots.push({ t, r, snap: snapDue });
          if (!isLast) {
            const g = lr.kind === 'shared' ? normaliseGradients(grads) : grads;
            const next = applyUpdate(optimiser, racer.weights, g, racer.opt, racer.rate);
            if (g !== grads) tf.dispose(g);
            tf.dispose(grads);
            racer.weights = next.params;
            racer.opt = next.state;
          }
        });
      }
      if (slots.length > 0) {
        const flat = tf.tidy(() => tf.concat([tf.reshape(tf.stack(scalars), [-1]), ...snaps]));
        const data = await flat.data();
        flat.dispose();
        const size = tr.width * tr.height * tr.numClasses;
        let offset = scalars.length * 2;
        slots.forEach((s, i) => {
          const racer = tr.racers[s.r] as RacerTrajectory;
          racer.loss[s.t] = data[2 * i] as number;
          racer.dice[s.t] = data[2 * i + 1] as number;
          if (s.snap) {
            const q = new Uint8Array(size);
            for (let j = 0; j < size; j++) q[j] = Math.round((data[offset + j] as number) * 255);
            racer.snapshots.push(q);
            offset += size;
          }
        });
      }
    } finally {
      tf.dispose(scalars);
      tf.dispose(snaps);
    }
    tr.evaluated = last + 1;
    return last + 1 - first;
  }

  dispose(): void {
    for (const r of this.racers) {
      tf.dispose(r.weights);
      disposeOptimiser(r.opt);
      r.weights = [];
    }
    this.start.dispose();
    this.target.dispose();
    this.image?.dispose();
    if (this.ownCtx) this.ctx.dispose();
  }
}

export interface RunRaceOptions {
  /** Steps per chunk (default 20). */
  chunkSteps?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** Awaited between chunks (a macrotask in a worker), so that a cancel message gets through. */
  yieldBetween?: () => Promise<void>;
}

/** Runs a whole race in chunks; rejects with RaceCancelledError when the signal aborts. */
export async function runRace(
  settings: RaceSettings,
  inputs: RaceInputs,
  opts: RunRaceOptions = {},
): Promise<RaceTrajectory> {
  const run = new RaceRun(settings, inputs);
  try {
    const total = settings.steps + 1;
    while (!run.done) {
      if (opts.signal?.aborted) throw new RaceCancelledError();
      await run.advance(opts.chunkSteps ?? 20);
      opts.onProgress?.(run.trajectory.evaluated, total);
      if (!run.done && opts.yieldBetween) await opts.yieldBetween();
    }
    return run.trajectory;
  } finally {
    run.dispose();
  }
}

/** The snapshot shown at step t: the last kept step ≤ t. */
export function snapshotIndexAt(tr: RaceTrajectory, t: number): number {
  let best = 0;
  tr.snapshotSteps.forEach((s, i) => {
    if (s <= t) best = i;
  });
  return best;
}
