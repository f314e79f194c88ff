/**
 * Several losses along ONE 1-D line z + a·d from the current prediction, for comparing how each responds.
 *
 * Each loss is planned and evaluated like evaluateLandscape (same batches, same direction tensors), sharing one
 * ground-truth context. A loss that fails (InverseForm network not loaded, binary-only loss with C > 2, …) is
 * reported with its message and its tensors are freed; the others go on. All surviving values, the origins and
 * ‖z‖ are concatenated and read back ONCE at the end.
 */
import { GroundTruthContext } from '../engine/gt-context';
import { errorMessage } from '../error-message';
import { tf } from '../tf';
import type { LossId, Params } from '../types';
import {
  finish,
  type LandscapeAsyncOptions,
  type LandscapeAxisSpec,
  LandscapeCancelledError,
  type LandscapeResult,
  now,
  type Plan,
  plan,
  release,
  runBatch,
} from './evaluate';

export interface LandscapeLineLoss {
  id: LossId;
  params?: Params;
}

export interface LandscapeLineEntry {
  lossId: LossId;
  /** The loss's line, exactly what evaluateLandscape would return for it (null when it failed). */
  result: LandscapeResult | null;
  /** Why this loss has no line (null when it has one). */
  error: string | null;
}

export interface LandscapeLinesResult {
  /** One entry per requested loss, in the requested order. */
  lines: LandscapeLineEntry[];
  /** Loss evaluations made, all losses together (failed ones count what they did before failing). */
  evaluations: number;
  ms: number;
}

export type LandscapeLinesOptions = Omit<LandscapeAsyncOptions, 'params'>;

/**
 * The losses `losses` along the one axis `axis` (progress counts the points of every loss). Cancelling (the
 * signal) rejects with LandscapeCancelledError; every other error is per loss. The inputs must stay alive until
 * it settles.
 */
export async function evaluateLandscapeLines(
  losses: readonly LandscapeLineLoss[],
  logits: tf.Tensor4D,
  target: tf.Tensor3D,
  axis: LandscapeAxisSpec,
  options: LandscapeLinesOptions = {},
): Promise<LandscapeLinesResult> {
  const t0 = now();
  if (losses.length === 0) throw new Error('landscape: give at least one loss to compare');
  const ctx = options.ctx ?? GroundTruthContext.fromTensor(target, logits.shape[3]);
  const planned: { plan: Plan; parts: tf.Tensor1D[] }[] = [];
  const errors = new Map<number, string>();
  const plans = new Map<number, { plan: Plan; parts: tf.Tensor1D[] }>();
  let evaluations = 0;
  try {
    // Plan every loss first (cheap checks: unknown id, network not loaded, bad axis) so progress knows the total.
    for (const [i, l] of losses.entries()) {
      try {
        const p = plan(l.id, logits, target, [axis], { ...options, params: l.params ?? {}, ctx });
        const entry = { plan: p, parts: [] };
        planned.push(entry);
        plans.set(i, entry);
      } catch (e) {
        errors.set(i, errorMessage(e));
      }
    }
    const total = planned.reduce((n, e) => n + e.plan.a.length, 0);
    let done = 0;
    for (const [i, entry] of plans) {
      const p = entry.plan;
      let ownDone = 0;
      try {
        for (let s = 0; s < p.a.length; s += p.batchSize) {
          if (done > 0 && options.yieldBetween) await options.yieldBetween();
          if (options.signal?.aborted) throw new LandscapeCancelledError();
          const end = Math.min(p.a.length, s + p.batchSize);
          entry.parts.push(runBatch(p, logits, target, s, end));
          evaluations += end - s;
          done += end - s;
          ownDone = end;
          options.onProgress?.(done, total);
        }
      } catch (e) {
        if (e instanceof LandscapeCancelledError) throw e;
        errors.set(i, errorMessage(e));
        tf.dispose(entry.parts);
        entry.parts = [];
        plans.delete(i);
        done += p.a.length - ownDone; // skip its remaining points, so progress still ends at the total
      }
    }
    // One read-back: every surviving loss's values + origin, then ‖z‖.
    const order = [...plans.entries()];
    const packed = tf.tidy(() =>
      tf.concat([...order.flatMap(([, e]) => e.parts), tf.reshape(tf.norm(logits), [1])]),
    ) as tf.Tensor1D;
    let flat: Float32Array;
    try {
      flat = (await packed.data()) as Float32Array;
    } finally {
      packed.dispose();
    }
    const norm = flat[flat.length - 1] as number;
    const results = new Map<number, LandscapeResult>();
    let offset = 0;
    const ms = now() - t0;
    for (const [i, e] of order) {
      const n = e.plan.a.length;
      const own = new Float32Array(n + 1);
      own.set(flat.subarray(offset, offset + n));
      own[n] = norm;
      offset += n;
      results.set(i, finish(e.plan, own, ms));
    }
    return {
      lines: losses.map((l, i) => ({
        lossId: l.id,
        result: results.get(i) ?? null,
        error: results.has(i) ? null : (errors.get(i) ?? 'not computed'),
      })),
      evaluations,
      ms,
    };
  } finally {
    // Plans share `ctx`, so release() never disposes it (ownCtx is false); the one built here is freed below.
    for (const e of planned) release(e.plan, e.parts);
    if (!options.ctx) ctx.dispose();
  }
}
