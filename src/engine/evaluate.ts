/**
 * Evaluate many losses at once: the engine behind the explorer's live table and heatmaps.
 *
 * For every requested loss we run `tf.valueAndGrad` of `computeLoss` inside its own `tf.tidy`, so a loss that
 * throws (bad parameter, unsupported class count, missing kernel) becomes an error entry while the others still
 * run. All scalar values — and, on WebGL, the gradients asked for — are packed into ONE flat tensor that is
 * downloaded once per update: on WebGL every read-back is a pipeline stall, so the engine never reads a value
 * per loss. On cpu and wasm, where the gradients already sit in host memory, they are copied from there into one
 * array instead (the caller's `gradientBuffer` when given, so that it can be reused; see src/ops/host-read.ts).
 *
 * Non-finite logits are checked once per update, not once per loss, and without a second read-back: when the
 * caller passes the host copy of the logits (`options.hostLogits`, as the explorer's engine does) it is scanned
 * before any loss runs; otherwise a device-side count of non-finite entries travels in the same packed read-back,
 * and only when it is non-zero (an update that fails anyway) are the logits read once more to say where.
 * Either way every result then carries the same error and `inputError` holds it.
 *
 * Losses whose definition says `needsHostData` (Hausdorff, Conditional Boundary, Active Boundary, InverseForm,
 * Lovász, RMI: a sort order, a thresholded mask or a small map for float64 maths is read back inside compute)
 * are run after all the others, so that their stall waits for work that is already queued instead of splitting
 * the update; results keep the request order. Every other loss is read-back-free, which the engine's tests check loss by loss.
 *
 * What every loss derives from the logits alone (softmax, log-softmax) is computed once per evaluation where the
 * losses' closed-form gradients make that safe (src/ops/prediction-memo.ts).
 *
 * Ground-truth constants (one-hot, distance maps, boundaries …) live in a `GroundTruthContext`;
 * `GroundTruthCache` keeps one per target version and disposes the old one when the target changes.
 */
import { computeLossOfFiniteLogits } from '../compute';
import { errorMessage } from '../error-message';
import { nonFiniteCount, nonFiniteLogitsMessage } from '../finite-logits';
import { readFloatsInto, readsFromHostMemory } from '../ops/host-read';
import { predictionScope, predictionScopeSync } from '../ops/prediction-memo';
import { getLoss, isImplemented } from '../registry';
import { tf } from '../tf';
import type { LossId, Params } from '../types';
import { GroundTruthContext } from './gt-context';
import { shareIdentityOnWasm } from './wasm-identity';

export interface LossRequest {
  id: LossId;
  params?: Params;
}

export interface LossEvaluation {
  id: LossId;
  /** The loss value (NaN/±Infinity are kept here but flagged by `nonFinite`); null when the loss failed. */
  value: number | null;
  /** Why the loss could not be evaluated (thrown error message), or null. */
  error: string | null;
  /** True when the value or any gradient entry is NaN or infinite. */
  nonFinite: boolean;
  /**
   * d loss / d logits, [N, H, W, C] row-major, when requested and the loss succeeded. A view into the buffer the
   * evaluation downloaded, which the other gradients of that evaluation share.
   */
  grad: Float32Array | null;
  /**
   * Wall time of this loss's forward + backward pass in ms. On cpu/wasm the kernels run synchronously, so this
   * is its real cost; on WebGL it is only the time to enqueue the work.
   */
  ms: number;
}

export interface EvaluateOptions {
  /** Download the gradient of these losses (default: every requested loss). Pass [] for values only. */
  gradients?: readonly LossId[];
  /**
   * Async evaluation only: awaited between two losses, e.g. a macrotask, so that pointer events are handled
   * while a long update runs on a synchronous backend (cpu/wasm). The inputs must stay alive meanwhile.
   */
  yieldBetween?: () => Promise<void>;
  /**
   * The logits' values on the host, when the caller has them (the same numbers as the tensor): they are
   * checked for NaN/±Infinity before any loss runs, instead of through the device flag.
   */
  hostLogits?: ArrayLike<number>;
  /**
   * Where the gradients go on cpu and wasm: called once per evaluation with the number of floats the requested
   * gradients need, it returns an array of at least that length (a reused one, typically), which the results'
   * `grad` views then share. The caller owns it: it must not hand the same array out again while those results
   * are in use. Default (and on webgl, whose one read-back makes its own array): a new array.
   * Why: a fresh array of megabytes costs Chromium page faults (src/ops/host-read.ts), ≈ 35–45 ms of an update
   * of 25 losses at 256² on the 2-core machine.
   */
  gradientBuffer?: (floats: number) => Float32Array;
}

export interface EvaluationResult {
  results: LossEvaluation[];
  /**
   * Number of device → CPU downloads this evaluation made: 0 or 1, or 2 when non-finite logits were found
   * on the device (the second says where). Losses with `needsHostData` read back inside compute too.
   */
  reads: number;
  /** Why no loss was evaluated (NaN/±Infinity in the logits), or null. */
  inputError: string | null;
  /** Wall time of the tensor work plus the download, in ms. */
  ms: number;
}

interface Pending {
  id: LossId;
  error: string | null;
  value?: tf.Scalar;
  grad?: tf.Tensor4D;
  wantGrad: boolean;
  ms: number;
}

/** One loss's forward and backward pass; returned tensors are kept (the caller disposes them). */
function runOne(
  logits: tf.Tensor4D,
  target: tf.Tensor3D,
  req: LossRequest,
  ctx: GroundTruthContext,
  wanted: Set<LossId> | null,
): Pending {
  const wantGrad = wanted ? wanted.has(req.id) : true;
  const t0 = now();
  try {
    const def = getLoss(req.id);
    if (!isImplemented(def)) return { id: req.id, error: `${req.id} is not implemented yet`, wantGrad, ms: 0 };
    const { value, grad } = tf.tidy(() => {
      const vg = tf.valueAndGrad((x: tf.Tensor) =>
        computeLossOfFiniteLogits(def, x as tf.Tensor4D, target, req.params ?? {}, ctx),
      );
      const out = vg(logits);
      if (out.value.rank !== 0) throw new Error(`${req.id} returned shape [${out.value.shape}], not a scalar`);
      return { value: out.value as tf.Scalar, grad: out.grad as tf.Tensor4D };
    });
    if (!wantGrad) {
      grad.dispose();
      return { id: req.id, error: null, value, wantGrad, ms: now() - t0 };
    }
    return { id: req.id, error: null, value, grad, wantGrad, ms: now() - t0 };
  } catch (e) {
    return { id: req.id, error: errorMessage(e), wantGrad, ms: now() - t0 };
  }
}

/** Request indices in run order: read-back-free losses first, then those with `needsHostData`. */
function runOrder(requests: readonly LossRequest[]): number[] {
  const host = (r: LossRequest) => {
    try {
      return getLoss(r.id).needsHostData === true;
    } catch {
      return false; // an unknown id fails in runOne with its own message
    }
  };
  const idx = requests.map((_, i) => i);
  return [
    ...idx.filter((i) => !host(requests[i] as LossRequest)),
    ...idx.filter((i) => host(requests[i] as LossRequest)),
  ];
}

/** Runs the requests in runOrder and returns the pending entries in request order. */
function runAll(requests: readonly LossRequest[], run: (req: LossRequest) => Pending): Pending[] {
  const out: Pending[] = new Array(requests.length);
  for (const i of runOrder(requests)) out[i] = run(requests[i] as LossRequest);
  return out;
}

function wantedSet(options: EvaluateOptions): Set<LossId> | null {
  return options.gradients ? new Set<LossId>(options.gradients) : null;
}

/**
 * Packs the non-finite count of the logits, the values, then (with `grads`) the gradients into one flat float32
 * tensor.
 */
function pack(pending: Pending[], logits: tf.Tensor4D, grads: boolean): tf.Tensor1D {
  const ok = pending.filter((p) => p.value);
  return tf.tidy(() => {
    const parts: tf.Tensor[] = [tf.reshape(nonFiniteCount(logits), [1])];
    if (ok.length > 0) parts.push(tf.stack(ok.map((p) => p.value as tf.Scalar)));
    if (grads) for (const p of ok) if (p.grad) parts.push(tf.reshape(p.grad, [-1]));
    return tf.concat(parts) as tf.Tensor1D;
  });
}

/**
 * How the gradients reach the host. On webgl they travel in the packed read-back (one pipeline stall per
 * update). On cpu and wasm the packed tensor holds the count and the values only, and the gradients are copied
 * from host memory into one array (the caller's `gradientBuffer`, or a new one), with no concatenated copy.
 */
function gradientsInPack(): boolean {
  return !readsFromHostMemory();
}

/** The successful gradients, copied one after the other into one array: `flat` for unpack. */
function copyGradients(pending: Pending[], options: EvaluateOptions): Float32Array {
  const grads = pending.filter((p) => p.value && p.grad).map((p) => p.grad as tf.Tensor4D);
  const floats = grads.reduce((n, g) => n + g.size, 0);
  const out = options.gradientBuffer?.(floats) ?? new Float32Array(floats);
  if (out.length < floats) throw new Error(`gradientBuffer: got ${out.length} floats, needs ${floats}`);
  let offset = 0;
  for (const g of grads) {
    readFloatsInto(g, out, offset);
    offset += g.size;
  }
  return out;
}

/** Every request answered with the same input error (no loss value is meaningful). */
function inputFailure(requests: readonly LossRequest[], error: string, reads: number, t0: number): EvaluationResult {
  const results = requests.map((r) => ({ id: r.id, value: null, error, nonFinite: false, grad: null, ms: 0 }));
  return { results, reads, inputError: error, ms: now() - t0 };
}

/** The host check, when the caller passed its copy of the logits. */
function hostInputError(logits: tf.Tensor4D, options: EvaluateOptions): string | null {
  return options.hostLogits ? nonFiniteLogitsMessage(options.hostLogits, logits.shape) : null;
}

/**
 * The results from the packed read-back `flat` ([count, values…, gradients…]) or, when `grads` is given, the
 * values from `flat` and the gradients from `grads` (one after the other, see copyGradients).
 */
function unpack(
  pending: Pending[],
  flat: Float32Array | null,
  gradSize: number,
  grads: Float32Array | null = null,
): LossEvaluation[] {
  const ok = pending.filter((p) => p.value);
  let offset = grads ? 0 : 1 + ok.length;
  const valueIndex = new Map(ok.map((p, i) => [p, i]));
  return pending.map((p) => {
    if (!p.value || !flat) return { id: p.id, value: null, error: p.error, nonFinite: false, grad: null, ms: p.ms };
    const value = flat[1 + (valueIndex.get(p) as number)] as number;
    let grad: Float32Array | null = null;
    let nonFinite = !Number.isFinite(value);
    if (p.grad) {
      // a view, not a copy: the gradients of one evaluation share one buffer (13 MB at 256² for 25 losses;
      // copying it and collecting the copies cost more than the download)
      grad = (grads ?? flat).subarray(offset, offset + gradSize);
      offset += gradSize;
      nonFinite ||= hasNonFinite(grad);
    }
    return { id: p.id, value, error: null, nonFinite, grad, ms: p.ms };
  });
}

/**
 * Whether any entry is NaN or ±Infinity: x·0 is 0 for every finite x and NaN otherwise, so one branch-free sum
 * over the array tells (sums of four float32 values cannot overflow a double).
 */
export function hasNonFinite(a: Float32Array): boolean {
  let s = 0;
  const n4 = a.length - (a.length % 4);
  for (let i = 0; i < n4; i += 4)
    s += ((a[i] as number) + (a[i + 1] as number) + (a[i + 2] as number) + (a[i + 3] as number)) * 0;
  for (let i = n4; i < a.length; i++) s += (a[i] as number) * 0;
  return s !== 0;
}

function disposeAll(pending: Pending[]): void {
  for (const p of pending) {
    p.value?.dispose();
    p.grad?.dispose();
  }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** Synchronous evaluation (uses dataSync: blocks on WebGL; fine on cpu/wasm and in tests). */
export function evaluateLosses(
  logits: tf.Tensor4D,
  target: tf.Tensor3D,
  requests: readonly LossRequest[],
  ctx: GroundTruthContext,
  options: EvaluateOptions = {},
): EvaluationResult {
  const t0 = now();
  const hostError = hostInputError(logits, options);
  if (hostError) return inputFailure(requests, hostError, 0, t0);
  if (requests.length === 0) return { results: [], reads: 0, inputError: null, ms: now() - t0 };
  const wanted = wantedSet(options);
  shareIdentityOnWasm();
  const pending = predictionScopeSync(logits, () =>
    runAll(requests, (req) => runOne(logits, target, req, ctx, wanted)),
  );
  const inPack = gradientsInPack();
  const packed = pack(pending, logits, inPack);
  try {
    const flat = packed.dataSync() as Float32Array;
    if ((flat[0] as number) > 0) {
      const error = nonFiniteLogitsMessage(logits.dataSync(), logits.shape) ?? 'logits contain non-finite values';
      return inputFailure(requests, error, 2, t0);
    }
    const grads = inPack ? null : copyGradients(pending, options);
    return { results: unpack(pending, flat, logits.size, grads), reads: 1, inputError: null, ms: now() - t0 };
  } finally {
    packed.dispose();
    disposeAll(pending);
  }
}

/** Same as evaluateLosses but downloads with `await data()`, so WebGL does not block the main thread. */
export async function evaluateLossesAsync(
  logits: tf.Tensor4D,
  target: tf.Tensor3D,
  requests: readonly LossRequest[],
  ctx: GroundTruthContext,
  options: EvaluateOptions = {},
): Promise<EvaluationResult> {
  const t0 = now();
  const hostError = hostInputError(logits, options);
  if (hostError) return inputFailure(requests, hostError, 0, t0);
  if (requests.length === 0) return { results: [], reads: 0, inputError: null, ms: now() - t0 };
  const wanted = wantedSet(options);
  shareIdentityOnWasm();
  const pending: Pending[] = new Array(requests.length);
  let done = 0;
  try {
    await predictionScope(logits, async () => {
      for (const i of runOrder(requests)) {
        if (done > 0 && options.yieldBetween) await options.yieldBetween();
        pending[i] = runOne(logits, target, requests[i] as LossRequest, ctx, wanted);
        done++;
      }
    });
  } catch (e) {
    disposeAll(pending.filter(Boolean));
    throw e;
  }
  const inPack = gradientsInPack();
  let packed: tf.Tensor1D | null = null;
  try {
    packed = pack(pending, logits, inPack);
    // on webgl the pack holds the gradients: free them before the read-back; on cpu/wasm they are copied after it
    if (inPack) disposeAll(pending);
    const flat = (await packed.data()) as Float32Array;
    if ((flat[0] as number) > 0) {
      const data = (await logits.data()) as Float32Array;
      return inputFailure(
        requests,
        nonFiniteLogitsMessage(data, logits.shape) ?? 'logits contain non-finite values',
        2,
        t0,
      );
    }
    const grads = inPack ? null : copyGradients(pending, options);
    return { results: unpack(pending, flat, logits.size, grads), reads: 1, inputError: null, ms: now() - t0 };
  } finally {
    packed?.dispose();
    disposeAll(pending); // (disposing twice is a no-op)
  }
}

/**
 * Holds the target tensor and its GroundTruthContext for one target version; a new version (or class count,
 * or shape) disposes the old pair. Call `dispose()` when done.
 */
export class GroundTruthCache {
  private key = '';
  private ctx: GroundTruthContext | null = null;
  private target: tf.Tensor3D | null = null;
  /** How many contexts were built (tests check that prediction-only edits reuse the context). */
  builds = 0;

  get(
    version: number,
    labels: Int32Array,
    shape: readonly [number, number, number],
    numClasses: number,
  ): { ctx: GroundTruthContext; target: tf.Tensor3D } {
    const key = `${version}:${shape.join('x')}:${numClasses}`;
    if (key !== this.key || !this.ctx || !this.target) {
      this.dispose();
      this.ctx = GroundTruthContext.fromLabels(Int32Array.from(labels), shape, numClasses);
      this.target = tf.tensor3d(labels, shape as [number, number, number], 'int32');
      this.key = key;
      this.builds++;
    }
    return { ctx: this.ctx, target: this.target };
  }

  dispose(): void {
    this.ctx?.dispose();
    this.target?.dispose();
    this.ctx = null;
    this.target = null;
    this.key = '';
  }
}
