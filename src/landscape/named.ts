/**
 * Landscapes along NAMED axes: several losses (and the argmax Dice score / IoU) evaluated at the predictions
 * T_b(b) ∘ T_a(a) (P₀) for a line (one axis) or a grid (two axes) of coordinates, where P₀ is the current
 * prediction or the perfect one derived from the ground truth, and T_a, T_b are named transformations
 * (./transforms.ts). Axis a is applied first, then axis b.
 *
 * Points are evaluated a batch at a time (each in its own tf.tidy keeping only the values); all values are
 * concatenated and read back ONCE at the end. A loss that fails (not implemented, network not loaded, an error
 * at some point) is reported with its message and the others go on.
 */
import { computeLoss } from '../compute';
import { GroundTruthContext } from '../engine/gt-context';
import { errorMessage } from '../error-message';
import { InverseFormNotLoadedError, isInverseFormNetLoaded } from '../inverseform/loader';
import { argmaxDiceIoU } from '../metrics/argmax-overlap';
import { labelMetrics } from '../metrics/label-metrics';
import type { MetricValue } from '../metrics/types';
import { getLoss, isImplemented } from '../registry';
import { tf } from '../tf';
import type { LossId, Params } from '../types';
import { DEFAULT_MARGIN, linspace } from './directions';
import { LandscapeCancelledError, now } from './evaluate';
import {
  applyTransform,
  baseProbabilities,
  checkTransformCoordinate,
  isNamedTransform,
  NAMED_TRANSFORMS,
  type NamedTransform,
  probsToLogits,
  TRANSFORM_INFO,
  type TransformBase,
} from './transforms';

export interface NamedAxisSpec {
  transform: NamedTransform;
  from: number;
  to: number;
  /** Points on this axis, both ends included, 2…201. */
  points: number;
}

export interface NamedAxis extends NamedAxisSpec {
  label: string;
  unit: string;
  coords: Float64Array;
}

export interface NamedLandscapeOptions {
  base?: TransformBase;
  /** Margin of the perfect prediction's ±M logits (base 'ground-truth'), default 4. */
  margin?: number;
  ctx?: GroundTruthContext;
  /** Points per tf.tidy batch of a 1-D line (default 16; a 2-D grid goes a row at a time). */
  batchSize?: number;
  yieldBetween?: () => Promise<void>;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /**
   * Also the surface-distance metrics (HD95, HD, ASSD of src/metrics, on the CPU from the argmax read back with
   * the values). Default: on for a line, off for a grid (a surface per point and class is too slow there).
   */
  surface?: boolean;
}

export interface NamedLossSeries {
  lossId: LossId;
  /** Row-major [rows, cols] (null when the loss failed). */
  values: Float32Array | null;
  error: string | null;
}

export interface NamedLandscapeResult {
  base: TransformBase;
  dims: 1 | 2;
  rows: number;
  cols: number;
  axes: NamedAxis[];
  losses: NamedLossSeries[];
  /** Mean foreground Dice score and IoU of the argmax at every point (NaN where undefined). */
  dice: Float32Array;
  iou: Float32Array;
  /**
   * Mean HD95, HD and ASSD (px) over the foreground classes present, per point, from src/metrics (labelMetrics);
   * NaN where undefined (a class empty in the prediction or the target). Null when not computed (`surface`).
   */
  hd95: Float32Array | null;
  hd: Float32Array | null;
  assd: Float32Array | null;
  evaluations: number;
  ms: number;
}

export interface NamedLoss {
  id: LossId;
  params?: Params;
}

function checkAxis(s: NamedAxisSpec, which: string): void {
  if (!isNamedTransform(s.transform)) {
    throw new Error(`landscape: unknown transform '${s.transform}' for ${which} (use ${NAMED_TRANSFORMS.join(', ')})`);
  }
  if (!(s.from < s.to)) throw new Error(`landscape: ${which} range needs from < to, got ${s.from} … ${s.to}`);
  checkTransformCoordinate(s.transform, s.from);
  checkTransformCoordinate(s.transform, s.to);
  if (!Number.isInteger(s.points) || s.points < 2 || s.points > 201) {
    throw new Error(`landscape: ${which} needs an integer number of points in 2…201, got ${s.points}`);
  }
}

/** Base probabilities moved by axis a to `a`, then by axis b to `b` (kept tensor). */
export function transformedProbabilities(
  base: tf.Tensor4D,
  axes: readonly NamedAxisSpec[],
  coords: readonly number[],
  oneHot: tf.Tensor4D,
): tf.Tensor4D {
  return tf.tidy(() => {
    let p = base;
    for (const [i, ax] of axes.entries()) p = applyTransform(ax.transform, p, coords[i] as number, oneHot);
    return p === base ? tf.clone(base) : p;
  });
}

/**
 * The logits of the prediction at one point of a named-axis landscape ([1, H, W, C], kept): what the explorer
 * sets as the prediction when a grid point is clicked.
 */
export function namedPointLogits(
  logits: tf.Tensor4D,
  target: tf.Tensor3D,
  axes: readonly NamedAxisSpec[],
  coords: readonly number[],
  options: { base?: TransformBase; margin?: number } = {},
): tf.Tensor4D {
  for (const [i, ax] of axes.entries()) checkTransformCoordinate(ax.transform, coords[i] as number);
  return tf.tidy(() => {
    const oneHot = tf.cast(tf.oneHot(tf.cast(target, 'int32'), logits.shape[3]), 'float32') as tf.Tensor4D;
    const p0 = baseProbabilities(options.base ?? 'prediction', logits, oneHot, options.margin ?? DEFAULT_MARGIN);
    return probsToLogits(transformedProbabilities(p0, axes, coords, oneHot));
  });
}

export async function evaluateNamedLandscape(
  losses: readonly NamedLoss[],
  logits: tf.Tensor4D,
  target: tf.Tensor3D,
  specs: readonly NamedAxisSpec[],
  options: NamedLandscapeOptions = {},
): Promise<NamedLandscapeResult> {
  const t0 = now();
  if (specs.length !== 1 && specs.length !== 2) throw new Error(`landscape: give 1 or 2 axes, got ${specs.length}`);
  for (const [i, s] of specs.entries()) checkAxis(s, i === 0 ? 'axis a' : 'axis b');
  if (logits.rank !== 4 || logits.shape[0] !== 1) {
    throw new Error(`landscape: logits must be [1, H, W, C], got [${logits.shape.join(', ')}]`);
  }
  const base = options.base ?? 'prediction';
  const margin = options.margin ?? DEFAULT_MARGIN;
  const batchSize = options.batchSize ?? 16;
  const surface = options.surface ?? specs.length === 1;
  const axes: NamedAxis[] = specs.map((s) => ({
    ...s,
    label: TRANSFORM_INFO[s.transform].axisLabel,
    unit: TRANSFORM_INFO[s.transform].unit,
    coords: linspace(s.from, s.to, s.points),
  }));
  const cols = axes[0]?.coords.length ?? 0;
  const rows = axes[1]?.coords.length ?? 1;
  const n = rows * cols;
  const errors = new Map<number, string>();
  for (const [i, l] of losses.entries()) {
    const def = getLoss(l.id);
    if (!isImplemented(def)) errors.set(i, `${l.id} is not implemented yet`);
    else if (def.needs.includes('pretrained-network') && !isInverseFormNetLoaded())
      errors.set(i, new InverseFormNotLoadedError().message);
  }
  const ctx = options.ctx ?? GroundTruthContext.fromTensor(target, logits.shape[3]);
  const p0 = baseProbabilities(base, logits, ctx.oneHot(), margin);
  // parts[l] = the loss l's batches; metrics: [k, 2] per batch.
  const parts: tf.Tensor[][] = losses.map(() => []);
  const metricParts: tf.Tensor2D[] = [];
  // argmax labels per point (surface metrics only), [k, H·W] per batch.
  const labelParts: tf.Tensor2D[] = [];
  let evaluations = 0;
  // T_a(a_c)(P₀) per column, made once and kept: a grid row then only applies axis b.
  const columns = new Map<number, tf.Tensor4D>();
  const columnProbs = (c: number): tf.Tensor4D => {
    let t = columns.get(c);
    if (!t) {
      const sa = specs[0] as NamedAxisSpec;
      t = tf.keep(applyTransform(sa.transform, p0, axes[0]?.coords[c] as number, ctx.oneHot()));
      columns.set(c, t);
    }
    return t;
  };
  try {
    // A 2-D grid goes a row at a time: axis b's transform is applied to the whole row's stack at once.
    const step = specs.length === 2 ? cols : batchSize;
    for (let s = 0; s < n; ) {
      if (s > 0 && options.yieldBetween) await options.yieldBetween();
      if (options.signal?.aborted) throw new LandscapeCancelledError();
      const r = Math.floor(s / cols);
      const end = Math.min(n, s + step, (r + 1) * cols);
      const probs = tf.tidy(() => {
        const ps: tf.Tensor4D[] = [];
        for (let i = s; i < end; i++) ps.push(columnProbs(i % cols));
        const row = tf.concat(ps) as tf.Tensor4D;
        const sb = specs[1];
        return sb ? applyTransform(sb.transform, row, axes[1]?.coords[r] as number, ctx.oneHot()) : row;
      });
      try {
        metricParts.push(argmaxDiceIoU(probs, ctx.oneHot()));
        if (surface) labelParts.push(tf.tidy(() => tf.cast(tf.reshape(tf.argMax(probs, 3), [end - s, -1]), 'float32')));
        for (const [li, l] of losses.entries()) {
          if (errors.has(li)) continue;
          try {
            parts[li]?.push(
              tf.tidy(() => {
                const z = probsToLogits(probs);
                const vals: tf.Scalar[] = [];
                for (let k = 0; k < end - s; k++) {
                  const zk = tf.slice(z, [k, 0, 0, 0], [1, -1, -1, -1]);
                  const v = computeLoss(l.id, zk, target, l.params ?? {}, ctx);
                  if (v.rank !== 0) throw new Error(`${l.id} returned shape [${v.shape}], not a scalar`);
                  vals.push(v);
                }
                return tf.stack(vals);
              }),
            );
            evaluations += end - s;
          } catch (e) {
            errors.set(li, errorMessage(e));
          }
        }
      } finally {
        probs.dispose();
      }
      options.onProgress?.(end, n);
      s = end;
    }
    const ok = losses.map((_, i) => !errors.has(i));
    const packed = tf.tidy(() =>
      tf.concat([
        ...parts.flatMap((p, i) => (ok[i] ? p.map((x) => tf.reshape(x, [-1])) : [])),
        tf.reshape(tf.transpose(tf.concat(metricParts)), [-1]),
        ...(surface ? [tf.reshape(tf.concat(labelParts), [-1]), tf.cast(tf.reshape(target, [-1]), 'float32')] : []),
      ]),
    );
    let flat: Float32Array;
    try {
      flat = (await packed.data()) as Float32Array;
    } finally {
      packed.dispose();
    }
    let off = 0;
    const series: NamedLossSeries[] = losses.map((l, i) => {
      if (!ok[i]) return { lossId: l.id, values: null, error: errors.get(i) ?? 'failed' };
      const values = flat.slice(off, off + n);
      off += n;
      return { lossId: l.id, values, error: null };
    });
    const sm = surface ? surfaceSeries(flat.subarray(off + 2 * n), n, logits.shape) : null;
    return {
      base,
      dims: specs.length as 1 | 2,
      rows,
      cols,
      axes,
      losses: series,
      dice: flat.slice(off, off + n),
      iou: flat.slice(off + n, off + 2 * n),
      hd95: sm?.hd95 ?? null,
      hd: sm?.hd ?? null,
      assd: sm?.assd ?? null,
      evaluations,
      ms: now() - t0,
    };
  } finally {
    tf.dispose(parts.flat());
    tf.dispose(metricParts);
    tf.dispose(labelParts);
    tf.dispose([...columns.values()]);
    p0.dispose();
    if (!options.ctx) ctx.dispose();
  }
}

/**
 * Mean HD95 / HD / ASSD over the foreground classes present at each of n points, from the read-back argmax labels
 * (n·H·W values) followed by the target (H·W values): src/metrics' labelMetrics, NaN where undefined.
 */
function surfaceSeries(
  flat: Float32Array,
  n: number,
  shape: readonly number[],
): { hd95: Float32Array; hd: Float32Array; assd: Float32Array } {
  const [, h, w, c] = shape as [number, number, number, number];
  const hw = h * w;
  const target = Int32Array.from(flat.subarray(n * hw, (n + 1) * hw));
  const out = { hd95: new Float32Array(n), hd: new Float32Array(n), assd: new Float32Array(n) };
  const num = (m: MetricValue) => (m.kind === 'value' ? m.value : Number.NaN);
  for (let k = 0; k < n; k++) {
    const pred = Int32Array.from(flat.subarray(k * hw, (k + 1) * hw));
    const m = labelMetrics(pred, target, [1, h, w], c).mean;
    out.hd95[k] = num(m.hd95);
    out.hd[k] = num(m.hd);
    out.assd[k] = num(m.assd);
  }
  return out;
}
