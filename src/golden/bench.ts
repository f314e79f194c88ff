/**
 * Timing core shared by `npm run bench` in Node (cpu, wasm) and the browser page e2e/golden.html (webgl, wasm):
 * median wall time of one value + gradient (`tf.valueAndGrad` through `lossAndGrad`), synchronised by reading
 * both results back, after warm-up. The ground-truth context is built once per input and reused across calls,
 * as the explorer does while only the prediction changes; its first-call cost is part of `firstMs`.
 * No assertions: the numbers are for people, never for tests.
 */
import { lossAndGrad } from '../compute';
import { evaluateLossesAsync } from '../engine/evaluate';
import { GroundTruthContext } from '../engine/gt-context';
import { predictionScope } from '../ops/prediction-memo';
import { mulberry32 } from '../ops/random';
import { reusable } from '../ops/reusable';
import { getLoss, IMPLEMENTED_LOSSES, isImplemented } from '../registry';
import { tf } from '../tf';
import type { LossId } from '../types';

export interface BenchOptions {
  size: number;
  /** Class counts to try; binary-only losses run with 2 only. */
  classes: number[];
  /** Untimed calls after the first one. */
  warmup: number;
  /**
   * Timed calls: at least minReps, at most maxReps, stopping early once budgetMs is spent. A loss whose first
   * call already takes longer than budgetMs gets no warm-up and a single timed call.
   */
  minReps: number;
  maxReps: number;
  budgetMs: number;
  /** Only these loss ids (default: every implemented loss). */
  losses?: string[];
}

export interface BenchRow {
  loss: string;
  classes: number;
  backend: string;
  /** Median of the timed calls, in ms (null when the loss failed). */
  medianMs: number | null;
  /** The very first call (shader compilation, ground-truth constants), in ms. */
  firstMs: number | null;
  reps: number;
  error?: string;
}

export const DEFAULT_BENCH: BenchOptions = {
  size: 256,
  classes: [2, 4],
  warmup: 2,
  minReps: 3,
  maxReps: 10,
  budgetMs: 3000,
};

/** Deterministic PRNG, so every backend sees the same tensors. */
export const prng = mulberry32;

/**
 * A [1, size, size] target of discs and a rectangle (classes 1..C−1 on background 0) and logits of a plausible
 * imperfect prediction: the target shifted by a few pixels, scaled to ±3, plus uniform noise.
 */
export function benchInputs(size: number, classes: number, seed = 1): { logits: Float32Array; target: Int32Array } {
  const rand = prng(seed);
  const target = new Int32Array(size * size);
  const shapes = Math.max(3, classes);
  for (let s = 0; s < shapes; s++) {
    const cls = 1 + (s % (classes - 1));
    const cy = size * (0.2 + 0.6 * rand());
    const cx = size * (0.2 + 0.6 * rand());
    const r = size * (0.06 + 0.1 * rand());
    const rect = s % 3 === 2;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inside = rect
          ? Math.abs(y - cy) < r && Math.abs(x - cx) < 1.5 * r
          : (y - cy) * (y - cy) + (x - cx) * (x - cx) < r * r;
        if (inside) target[y * size + x] = cls;
      }
    }
  }
  const shift = Math.max(1, Math.round(size / 40));
  const logits = new Float32Array(size * size * classes);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const src = Math.min(size - 1, y + shift) * size + Math.max(0, x - shift);
      const label = target[src] as number;
      for (let c = 0; c < classes; c++) {
        logits[(y * size + x) * classes + c] = (c === label ? 3 : -1) + 2 * (rand() - 0.5);
      }
    }
  }
  return { logits, target };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function oneCall(
  id: string,
  logits: tf.Tensor4D,
  target: tf.Tensor3D,
  ctx: GroundTruthContext,
  _host?: Float32Array,
): Promise<number> {
  const t0 = performance.now();
  const { value, grad } = lossAndGrad(id, logits, target, {}, ctx);
  await value.data();
  await grad.data();
  const ms = performance.now() - t0;
  value.dispose();
  grad.dispose();
  return ms;
}

/** The row name of the engine's timing: every benched loss in one update (see benchEngine). */
export const ENGINE_ROW = 'all (one engine update)';

/**
 * One update of the explorer's engine: every loss's value and gradient, one read-back (evaluateLossesAsync), with
 * the logits' host copy given as the explorer's engine gives it (app/compute/engine-core.ts).
 */
function engineCall(ids: string[]) {
  // the gradients' array, reused from call to call as the explorer's compute worker reuses the arrays the page
  // gives back (app/compute/gradient-pool.ts); each call's results are dropped before the next one
  const gradientBuffer = reusable((n) => new Float32Array(n), Number.POSITIVE_INFINITY);
  return async (
    _: string,
    logits: tf.Tensor4D,
    target: tf.Tensor3D,
    ctx: GroundTruthContext,
    host?: Float32Array,
  ): Promise<number> => {
    const t0 = performance.now();
    const out = await predictionScope(
      logits,
      () =>
        evaluateLossesAsync(
          logits,
          target,
          ids.map((id) => ({ id: id as LossId })),
          ctx,
          host ? { hostLogits: host, gradientBuffer } : { gradientBuffer },
        ),
      host,
    );
    const ms = performance.now() - t0;
    const failed = out.results.find((r) => r.error);
    if (failed) throw new Error(`${failed.id}: ${failed.error}`);
    return ms;
  };
}

/**
 * Times the engine on every loss of `ids` at once (ENGINE_ROW): what the explorer pays per update, where the
 * losses share the softmax and one read-back — less than the sum of the per-loss rows.
 */
export function benchEngine(ids: string[], classes: number, opts: BenchOptions = DEFAULT_BENCH): Promise<BenchRow> {
  return benchLoss(ENGINE_ROW, classes, opts, engineCall(ids));
}

/** Times one loss at one class count on the current backend. */
export async function benchLoss(
  id: string,
  classes: number,
  opts: BenchOptions = DEFAULT_BENCH,
  call: typeof oneCall = oneCall,
): Promise<BenchRow> {
  const backend = tf.getBackend();
  const row: BenchRow = { loss: id, classes, backend, medianMs: null, firstMs: null, reps: 0 };
  const { logits: l, target: t } = benchInputs(opts.size, classes);
  const logits = tf.tensor4d(l, [1, opts.size, opts.size, classes], 'float32');
  const target = tf.tensor3d(t, [1, opts.size, opts.size], 'int32');
  const ctx = GroundTruthContext.fromLabels(t, [1, opts.size, opts.size], classes);
  try {
    row.firstMs = await call(id, logits, target, ctx, l);
    const slow = row.firstMs > opts.budgetMs;
    for (let i = 0; i < (slow ? 0 : opts.warmup); i++) await call(id, logits, target, ctx, l);
    const times: number[] = [];
    const minReps = slow ? 1 : opts.minReps;
    let spent = 0;
    while (times.length < opts.maxReps && (times.length < minReps || spent < opts.budgetMs)) {
      const ms = await call(id, logits, target, ctx, l);
      times.push(ms);
      spent += ms;
    }
    row.medianMs = median(times);
    row.reps = times.length;
  } catch (e) {
    row.error = (e as Error).message;
  } finally {
    logits.dispose();
    target.dispose();
    ctx.dispose();
  }
  return row;
}

/** Every (loss, class count) pair the options ask for, on the current backend. */
export async function benchAll(
  opts: BenchOptions = DEFAULT_BENCH,
  onRow: (row: BenchRow) => void = () => {},
): Promise<BenchRow[]> {
  const defs = opts.losses ? opts.losses.map(getLoss).filter(isImplemented) : IMPLEMENTED_LOSSES;
  const rows: BenchRow[] = [];
  for (const def of defs) {
    for (const c of opts.classes) {
      if (def.binaryOnly && c !== 2) continue;
      const row = await benchLoss(def.id, c, opts);
      onRow(row);
      rows.push(row);
    }
  }
  // the same losses in one engine update per class count (only those that ran alone)
  for (const c of opts.classes) {
    const ids = rows.filter((r) => r.classes === c && !r.error).map((r) => r.loss);
    if (ids.length < 2) continue;
    const row = await benchEngine(ids, c, opts);
    onRow(row);
    rows.push(row);
  }
  return rows;
}

/** A markdown table: one row per (loss, C), one column per backend label, `median (first)` in ms. */
export function benchTable(columns: { label: string; rows: BenchRow[] }[], size: number): string {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const col of columns) {
    for (const r of col.rows) {
      const k = `${r.loss}\u0000${r.classes}`;
      if (!seen.has(k)) {
        seen.add(k);
        keys.push(k);
      }
    }
  }
  const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2));
  const lines = [
    `| loss | ${size}×${size}, C | ${columns.map((c) => c.label).join(' | ')} |`,
    `|---|---|${columns.map(() => '---:').join('|')}|`,
  ];
  for (const k of keys) {
    const [loss, c] = k.split('\u0000');
    const cells = columns.map((col) => {
      const r = col.rows.find((x) => x.loss === loss && String(x.classes) === c);
      if (!r) return '–';
      if (r.error || r.medianMs === null) return `error: ${(r.error ?? '').slice(0, 60).replaceAll('|', '/')}`;
      return `${fmt(r.medianMs)} (${fmt(r.firstMs ?? Number.NaN)})`;
    });
    lines.push(`| ${loss} | ${c} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
