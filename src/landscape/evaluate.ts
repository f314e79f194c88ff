/**
 * Loss landscapes: the loss of one id evaluated on a line or a grid of perturbed logits
 * z(a, b) = z + a·d1 + b·d2 around the current prediction z (directions: ./directions.ts).
 *
 * Points are evaluated a batch at a time, each batch inside its own tf.tidy that keeps only the stacked scalar
 * values; after the last batch everything (grid values, the origin, ‖z‖) is concatenated and read back ONCE.
 * Ground-truth constants come from the GroundTruthContext, so distance maps etc. are computed once, not per point.
 * Non-finite values stay in `values` (as NaN/±Infinity) and are counted in `nonFinite`.
 */
import { computeLossOfFiniteLogits } from '../compute';
import { GroundTruthContext } from '../engine/gt-context';
import { InverseFormNotLoadedError, isInverseFormNetLoaded } from '../inverseform/loader';
import { getLoss, isImplemented } from '../registry';
import { tf } from '../tf';
import type { LossId, Params } from '../types';
import {
  DEFAULT_MARGIN,
  type DirectionInfo,
  directionInfo,
  directionTensor,
  LANDSCAPE_DIRECTIONS,
  type LandscapeDirection,
  linspace,
} from './directions';

export interface LandscapeAxisSpec {
  direction: LandscapeDirection;
  from: number;
  to: number;
  /** Number of points on this axis (both ends included), 2…201. */
  points: number;
  /** Seed of the 'random' direction (default 1 for axis a, 2 for axis b). */
  seed?: number;
}

export interface LandscapeOptions {
  params?: Params;
  /** Ground-truth constants of `target` (built and disposed here when omitted). */
  ctx?: GroundTruthContext;
  /** Margin M of the 'towards-gt' target logits (default 4). */
  margin?: number;
  /** Points per tf.tidy batch (default 8). */
  batchSize?: number;
}

export interface LandscapeAsyncOptions extends LandscapeOptions {
  /** Awaited between batches (let messages and input through). */
  yieldBetween?: () => Promise<void>;
  /** Called after each batch with the points done so far. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting stops between batches with a LandscapeCancelledError (nothing leaks). */
  signal?: AbortSignal;
}

export interface LandscapeAxis extends DirectionInfo {
  direction: LandscapeDirection;
  seed: number;
  /** Coordinates of the points along this axis. */
  coords: Float64Array;
}

export interface LandscapeResult {
  lossId: LossId;
  /** 1 for a line, 2 for a grid. */
  dims: 1 | 2;
  /** Loss values, row-major [rows, cols]: values[r·cols + c] = L(a = axes[0].coords[c], b = axes[1].coords[r]). */
  values: Float32Array;
  rows: number;
  cols: number;
  /** axes[0] runs along the columns (a); axes[1], for a grid, along the rows (b). */
  axes: LandscapeAxis[];
  /** The loss of the current prediction (a = b = 0), always evaluated. */
  origin: number;
  /** Smallest and largest finite value (NaN when there is none). */
  min: number;
  max: number;
  /** How many grid values are NaN or ±Infinity. */
  nonFinite: number;
  /** Frobenius norm of the logits (0 makes the 'confidence' and 'random' directions zero). */
  logitsNorm: number;
  margin: number;
  /** Loss evaluations made (grid points + the origin). */
  evaluations: number;
  /** Wall time of the tensor work and the read-back, ms. */
  ms: number;
}

export class LandscapeCancelledError extends Error {
  constructor() {
    super('landscape computation cancelled');
    this.name = 'LandscapeCancelledError';
  }
}

const MAX_POINTS = 201;

function checkAxis(s: LandscapeAxisSpec, which: string): void {
  if (!(LANDSCAPE_DIRECTIONS as readonly string[]).includes(s.direction)) {
    throw new Error(
      `landscape: unknown direction '${s.direction}' for ${which} (use ${LANDSCAPE_DIRECTIONS.join(', ')})`,
    );
  }
  if (!Number.isFinite(s.from) || !Number.isFinite(s.to) || !(s.from < s.to)) {
    throw new Error(`landscape: ${which} range must be finite with from < to, got ${s.from} … ${s.to}`);
  }
  if (!Number.isInteger(s.points) || s.points < 2 || s.points > MAX_POINTS) {
    throw new Error(`landscape: ${which} needs an integer number of points in 2…${MAX_POINTS}, got ${s.points}`);
  }
}

export interface Plan {
  id: LossId;
  params: Params;
  ctx: GroundTruthContext;
  ownCtx: boolean;
  dirs: tf.Tensor4D[];
  axes: LandscapeAxis[];
  rows: number;
  cols: number;
  /** (a, b) of every point; the last one is the origin. */
  a: Float64Array;
  b: Float64Array;
  margin: number;
  batchSize: number;
}

/** @internal shared with ./compare.ts */
export function plan(
  id: LossId,
  logits: tf.Tensor4D,
  target: tf.Tensor3D,
  specs: readonly LandscapeAxisSpec[],
  options: LandscapeOptions,
): Plan {
  if (specs.length !== 1 && specs.length !== 2) throw new Error(`landscape: give 1 or 2 axes, got ${specs.length}`);
  for (const [i, s] of specs.entries()) checkAxis(s, i === 0 ? 'axis a' : 'axis b');
  const margin = options.margin ?? DEFAULT_MARGIN;
  if (!Number.isFinite(margin) || margin <= 0) throw new Error(`landscape: margin must be > 0, got ${margin}`);
  const batchSize = options.batchSize ?? 8;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`landscape: batchSize must be ≥ 1`);
  const def = getLoss(id);
  if (!isImplemented(def)) throw new Error(`${id} is not implemented yet`);
  // Fail before any work, with the loss's own error, when the pretrained network is missing.
  if (def.needs.includes('pretrained-network') && !isInverseFormNetLoaded()) throw new InverseFormNotLoadedError();
  if (logits.rank !== 4 || logits.shape[0] !== 1) {
    throw new Error(`landscape: logits must be [1, H, W, C], got [${logits.shape.join(', ')}]`);
  }
  const ctx = options.ctx ?? GroundTruthContext.fromTensor(target, logits.shape[3]);
  // Default seeds differ per axis (1 for a, 2 for b), so two random axes are two different directions.
  const seeds = specs.map((s, i) => s.seed ?? i + 1);
  const axes = specs.map((s, i) => ({
    ...directionInfo(s.direction, margin, seeds[i] as number),
    direction: s.direction,
    seed: seeds[i] as number,
    coords: linspace(s.from, s.to, s.points),
  }));
  const cols = axes[0]?.coords.length ?? 0;
  const rows = axes[1]?.coords.length ?? 1;
  const a = new Float64Array(rows * cols + 1);
  const b = new Float64Array(rows * cols + 1);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      a[r * cols + c] = axes[0]?.coords[c] as number;
      b[r * cols + c] = axes[1]?.coords[r] ?? 0;
    }
  let dirs: tf.Tensor4D[] = [];
  try {
    dirs = specs.map((s, i) => directionTensor(s.direction, logits, ctx.oneHot(), margin, seeds[i] as number));
  } catch (e) {
    if (!options.ctx) ctx.dispose();
    throw e;
  }
  return {
    id,
    params: options.params ?? {},
    ctx,
    ownCtx: !options.ctx,
    dirs,
    axes,
    rows,
    cols,
    a,
    b,
    margin,
    batchSize,
  };
}

/** The loss at points [start, end) as one kept 1-D tensor. */
export function runBatch(p: Plan, logits: tf.Tensor4D, target: tf.Tensor3D, start: number, end: number): tf.Tensor1D {
  return tf.tidy(() => {
    const vals: tf.Scalar[] = [];
    for (let i = start; i < end; i++) {
      let z: tf.Tensor4D = logits;
      const ai = p.a[i] as number;
      const bi = p.b[i] as number;
      if (ai !== 0) z = tf.add(z, tf.mul(p.dirs[0] as tf.Tensor4D, ai));
      if (bi !== 0) z = tf.add(z, tf.mul(p.dirs[1] as tf.Tensor4D, bi));
      // Per point: no value check of z (it would read back once per point); the values are flagged after.
      const v = computeLossOfFiniteLogits(p.id, z, target, p.params, p.ctx);
      if (v.rank !== 0) throw new Error(`${p.id} returned shape [${v.shape}], not a scalar`);
      vals.push(v);
    }
    return tf.stack(vals) as tf.Tensor1D;
  });
}

export function release(p: Plan, parts: tf.Tensor[]): void {
  tf.dispose(parts);
  tf.dispose(p.dirs);
  if (p.ownCtx) p.ctx.dispose();
}

/** Everything read back in one tensor: the values, then the origin, then ‖z‖. */
function packAll(parts: tf.Tensor1D[], logits: tf.Tensor4D): tf.Tensor1D {
  return tf.tidy(() => tf.concat([...parts, tf.reshape(tf.norm(logits), [1])]) as tf.Tensor1D);
}

export function finish(p: Plan, flat: Float32Array, ms: number): LandscapeResult {
  const n = p.rows * p.cols;
  const values = flat.slice(0, n);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let nonFinite = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) nonFinite++;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return {
    lossId: p.id,
    dims: p.axes.length as 1 | 2,
    values,
    rows: p.rows,
    cols: p.cols,
    axes: p.axes,
    origin: flat[n] as number,
    min: nonFinite === n ? Number.NaN : min,
    max: nonFinite === n ? Number.NaN : max,
    nonFinite,
    logitsNorm: flat[n + 1] as number,
    margin: p.margin,
    evaluations: n + 1,
    ms,
  };
}

export function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** Synchronous landscape (one dataSync at the end: fine on cpu/wasm and in tests; blocks on WebGL). */
export function evaluateLandscape(
  id: LossId,
  logits: tf.Tensor4D,
  target: tf.Tensor3D,
  axes: readonly LandscapeAxisSpec[],
  options: LandscapeOptions = {},
): LandscapeResult {
  const t0 = now();
  const p = plan(id, logits, target, axes, options);
  const parts: tf.Tensor1D[] = [];
  try {
    for (let s = 0; s < p.a.length; s += p.batchSize)
      parts.push(runBatch(p, logits, target, s, Math.min(p.a.length, s + p.batchSize)));
    const packed = packAll(parts, logits);
    try {
      return finish(p, packed.dataSync() as Float32Array, now() - t0);
    } finally {
      packed.dispose();
    }
  } finally {
    release(p, parts);
  }
}

/**
 * Same as evaluateLandscape, but yields between batches (progress, cancellation) and reads back with
 * `await data()`. The inputs (and `options.ctx`) must stay alive until it settles.
 */
export async function evaluateLandscapeAsync(
  id: LossId,
  logits: tf.Tensor4D,
  target: tf.Tensor3D,
  axes: readonly LandscapeAxisSpec[],
  options: LandscapeAsyncOptions = {},
): Promise<LandscapeResult> {
  const t0 = now();
  const p = plan(id, logits, target, axes, options);
  const parts: tf.Tensor1D[] = [];
  const total = p.a.length;
  try {
    for (let s = 0; s < total; s += p.batchSize) {
      if (s > 0 && options.yieldBetween) await options.yieldBetween();
      if (options.signal?.aborted) throw new LandscapeCancelledError();
      const end = Math.min(total, s + p.batchSize);
      parts.push(runBatch(p, logits, target, s, end));
      options.onProgress?.(end, total);
    }
    const packed = packAll(parts, logits);
    try {
      return finish(p, (await packed.data()) as Float32Array, now() - t0);
    } finally {
      packed.dispose();
    }
  } finally {
    release(p, parts);
  }
}
