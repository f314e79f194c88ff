// Where the maths runs (inside the compute worker, or on the main thread as a fallback): holds the target
// tensor + GroundTruthContext per target version and evaluates the requested losses with one read-back.
import {
  evaluateLossesAsync,
  GroundTruthCache,
  type GroundTruthContext,
  type LossEvaluation,
  type LossRequest,
  loadInverseFormNet,
  predictionScope,
  tf,
} from '../../src';
import type { BackendName } from '../backend/select';
import { gpuBytes, initTfBackend, type WasmPaths } from '../backend/tf-backends';
import { type EngineFault, isEngineAbort } from './faults';
import { GradientPool } from './gradient-pool';
import type { EngineStatus } from './host';
import { JIT_WARM_UP, JitWarmUp } from './jit-warm-up';
import { LandscapeEngine } from './landscape/engine';
import type { LandscapeProgress, LandscapeReply, LandscapeRequest } from './landscape/requests';
import { LatestGate, SHARED_YIELD_EVERY_MS } from './latest';
import { computeMetrics, type MetricsReply, type MetricsRequest } from './metrics-request';
import { RaceEngine, type RaceProgress, type RaceReply, type RaceRequest } from './race-engine';
import { macrotask } from './yield';

export interface ComputeRequest {
  width: number;
  height: number;
  numClasses: number;
  targetVersion: number;
  /** Version of the page state this request belongs to (latest wins: an older one is dropped or abandoned). */
  state: number;
  /** Omitted when the engine already holds this target version. */
  target: Int32Array | null;
  logits: Float32Array;
  requests: LossRequest[];
  /**
   * Stream the results: evaluate the losses in groups of this many (one read-back each) and hand each group's
   * results to the caller's `onPartial` as soon as it is read back (coalesced to at most one post per
   * PARTIAL_MIN_MS), instead of one reply at the end. The page then applies them while the engine goes on
   * with the next group, with no round trip per group. Omitted: one group, one reply.
   */
  partialEvery?: number;
  /**
   * With partialEvery: the first request (the focused loss) is a group of its own, posted the moment it is read
   * back, before the groups of the rest — focused first without a round trip to the page in between.
   */
  firstAlone?: boolean;
}

/** Results of part of a streamed request (see ComputeRequest.partialEvery); the final reply has the rest. */
export type PartialReply = ComputeReply;
export type OnPartial = (partial: PartialReply) => void;

/**
 * Least time between two partial posts (ms): shorter groups are merged into the next post, so that a small grid
 * does not make the page re-render after every 2-ms group.
 */
export const PARTIAL_MIN_MS = 12;

/** Quiet time after a live update before the metrics run (see EngineCore.metrics). */
export const METRICS_IDLE_MS = 40;

export interface ComputeReply {
  results: LossEvaluation[];
  /** Time of the tensor work and the read-back, where the maths runs (ms). */
  engineMs: number;
  numTensors: number;
  gpuBytes: number | null;
  backend: string | null;
}

export class EngineCore {
  private cache = new GroundTruthCache();
  /** The live updates' gradient arrays, given back by the page when it no longer shows them (recycle). */
  private gradients = new GradientPool();
  private labels: { version: number; key: string; target: Int32Array } | null = null;
  private landscapes = new LandscapeEngine();
  private gate = new LatestGate();
  /** Live updates running now, and who waits for none to run (metrics). */
  private computing = 0;
  private idle: (() => void)[] = [];
  /** Metrics, landscapes and races running now (the JIT warm-up waits for them too). */
  private otherCalls = 0;
  /**
   * Warms the engine's JavaScript in the background while the page is idle (jit-warm-up.ts). Off unless the
   * host turns it on: the worker does; on the page's own thread it would compete with the page.
   */
  jitWarmUpEnabled = false;
  private jit = new JitWarmUp({
    ...JIT_WARM_UP,
    applies: () => this.jitWarmUpEnabled && tf.getBackend() === 'wasm',
    busy: () => this.computing > 0 || this.otherCalls > 0,
  });

  /** Runs a call that is not a live update, with the warm-up held off while it runs. */
  private async other<T>(run: () => Promise<T>): Promise<T> {
    this.jit.touch();
    this.otherCalls++;
    try {
      return await run();
    } finally {
      this.otherCalls--;
      this.jit.touch();
    }
  }

  /** A newer page state exists: requests of older states stop at their next loss boundary. */
  supersede(state: number): void {
    this.jit.touch();
    this.gate.note(state);
  }

  /** Where the page also writes the newest state (latest.ts): checked at every loss boundary without a yield. */
  private latestBoard: Int32Array | null = null;
  shareLatestBoard(board: Int32Array): void {
    this.latestBoard = board;
  }
  private races = new RaceEngine();
  /** Told about faults noticed outside a call (the WebGL context was lost); set by the host. */
  onFault: ((f: EngineFault) => void) | null = null;
  private watched: WebGLRenderingContext | WebGL2RenderingContext | null = null;
  /** Least time between two partial posts of a streamed request (tests set 0: a post per group). */
  partialMinMs = PARTIAL_MIN_MS;
  /** Test hook: the next compute fails as if the WASM engine had aborted. */
  private abortNext = false;

  async init(name: BackendName, wasm: WasmPaths) {
    this.jit.touch();
    this.drop();
    const started = await initTfBackend(name, wasm);
    this.watchContext();
    return started;
  }

  /** The WebGL context the webgl backend draws with (null on other backends). */
  private gl(): WebGLRenderingContext | WebGL2RenderingContext | null {
    if (tf.getBackend() !== 'webgl') return null;
    const b = tf.findBackend('webgl') as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } } | null;
    return b?.gpgpu?.gl ?? null;
  }

  /** Reports a lost WebGL context at once: TF.js itself would poll its read-back fences forever. */
  private watchContext(): void {
    const gl = this.gl();
    if (!gl || gl === this.watched) return;
    this.watched = gl;
    (gl.canvas as EventTarget).addEventListener('webglcontextlost', () => {
      if (this.watched === gl) this.onFault?.({ kind: 'context-lost', detail: 'webglcontextlost' });
    });
  }

  /** Whether the WebGL context in use is lost (asked by the page's heartbeat while a call hangs). */
  contextLost(): boolean {
    return this.gl()?.isContextLost() ?? false;
  }

  /** Faults on purpose, for the browser tests (the page sends these only with ?testHooks=1). */
  testHook(name: 'loseContext' | 'abortNext'): void {
    if (name === 'abortNext') this.abortNext = true;
    else this.gl()?.getExtension('WEBGL_lose_context')?.loseContext();
  }

  /**
   * Throws the backend away and registers a fresh one of the same kind (on the page's own thread, where the
   * engine cannot simply be restarted in a new worker): after an abort or a lost context the old one is unusable.
   */
  resetBackend(): void {
    this.watched = null;
    const name = tf.getBackend();
    if (!name) return;
    const factory = tf.findBackendFactory(name);
    try {
      this.drop();
    } catch {
      // the old backend's tensors go with it
    }
    try {
      tf.removeBackend(name);
    } catch {
      // disposing a broken backend may throw; it is gone either way
    }
    if (factory) tf.registerBackend(name, factory, name === 'cpu' ? 1 : 2);
  }

  /** True when the engine needs the target array for this version (i.e. it has not seen it yet). */
  needsTarget(version: number, width: number, height: number, numClasses: number): boolean {
    return !this.labels || this.labels.version !== version || this.labels.key !== `${width}x${height}x${numClasses}`;
  }

  /**
   * Evaluates the requested losses. `yieldNow` (default: a macrotask) runs before each loss so that a newer
   * state announced meanwhile makes this request throw SupersededError there: it never starts a superseded
   * state and abandons one at the next loss boundary. With a shared board (shareLatestBoard) the state is read
   * from it at each boundary, and `yieldNow` runs only every SHARED_YIELD_EVERY_MS.
   */
  async compute(
    req: ComputeRequest,
    yieldNow: () => Promise<void> = macrotask,
    onPartial?: OnPartial,
  ): Promise<ComputeReply> {
    const key = `${req.width}x${req.height}x${req.numClasses}`;
    // Keep the target even when this request is dropped: the page counts it as sent.
    if (req.target) this.labels = { version: req.targetVersion, key, target: req.target };
    if (!this.labels || this.labels.version !== req.targetVersion || this.labels.key !== key) {
      throw new Error('engine: target of this version was not sent');
    }
    this.gate.note(req.state);
    this.jit.touch();
    this.computing++;
    try {
      return await this.computeNow(req, this.labels.target, yieldNow, onPartial);
    } finally {
      this.jit.touch();
      // Woken a macrotask later, so that this reply is posted before the metrics run.
      if (--this.computing === 0) void macrotask().then(() => this.wakeIdle());
      this.jit.afterUpdate(req.requests, req.numClasses);
    }
  }

  private wakeIdle(): void {
    if (this.computing > 0) return; // a newer update started meanwhile: its end wakes them
    for (const wake of this.idle.splice(0)) wake();
  }

  /**
   * The metrics of the masks (metrics-request.ts), once no live update has run for `metricsIdleMs`: a metrics
   * request sent with an edit must not delay the focused loss (the update yields between losses, which would let
   * it in), and while the user keeps editing (a stroke, a slider), each update's focused loss must not wait
   * behind the previous state's metrics (20–40 ms at 256², not interruptible once started).
   */
  async metrics(req: MetricsRequest): Promise<MetricsReply> {
    return this.other(async () => {
      for (;;) {
        while (this.computing > 0) await new Promise<void>((wake) => this.idle.push(wake));
        if (this.metricsIdleMs > 0) await new Promise((r) => setTimeout(r, this.metricsIdleMs));
        if (this.computing === 0) return computeMetrics(req);
      }
    });
  }

  /** How long the engine must have been idle before metrics run (ms; tests set 0). */
  metricsIdleMs = METRICS_IDLE_MS;

  private async computeNow(
    req: ComputeRequest,
    labels: Int32Array,
    yieldNow: () => Promise<void>,
    onPartial: OnPartial | undefined,
  ): Promise<ComputeReply> {
    const t0 = performance.now();
    const checkpoint = this.latestBoard
      ? this.gate.sharedCheckpoint(req.state, this.latestBoard, yieldNow, SHARED_YIELD_EVERY_MS)
      : this.gate.checkpoint(req.state, yieldNow);
    await checkpoint();
    if (this.abortNext) {
      this.abortNext = false;
      throw new WebAssembly.RuntimeError('Aborted(). Simulated by a test hook (?testHooks=1).');
    }
    const { ctx, target } = this.cache.get(req.targetVersion, labels, [1, req.height, req.width], req.numClasses);
    const x = tf.tensor4d(req.logits, [1, req.height, req.width, req.numClasses]);
    let reply: ComputeReply;
    try {
      // one softmax for all the groups: the memo lives while this scope is open; x was made from req.logits, so
      // the losses that compute on the host read those instead of reading x back
      reply = await predictionScope(
        x,
        () => this.evaluateStreamed(req, x, target, ctx, checkpoint, t0, onPartial),
        req.logits,
      );
    } finally {
      x.dispose();
    }
    // Counted once this request's own tensors are gone (its logits and the memo, whose entries depend on which
    // losses it held): the tensors the engine keeps, the same after a one-loss request as after all 25, so that
    // a leak shows as a change of this number (the page shows it and its tests compare it between updates).
    return { ...reply, numTensors: tf.memory().numTensors };
  }

  /** The request's losses in groups (see ComputeRequest.partialEvery), each group's results posted as it lands. */
  private async evaluateStreamed(
    req: ComputeRequest,
    x: tf.Tensor4D,
    target: tf.Tensor3D,
    ctx: GroundTruthContext,
    checkpoint: () => Promise<void>,
    t0: number,
    onPartial: OnPartial | undefined,
  ): Promise<ComputeReply> {
    const reply = (results: LossEvaluation[], since: number): ComputeReply => ({
      results,
      engineMs: performance.now() - since,
      numTensors: tf.memory().numTensors,
      gpuBytes: gpuBytes(),
      backend: tf.getBackend() ?? null,
    });
    this.gradients.retainMultiplesOf(req.width * req.height * req.numClasses);
    const gradientBuffer = (floats: number) => this.gradients.take(floats);
    const streamed = onPartial ? (req.partialEvery ?? 0) : 0;
    const alone = streamed > 0 && req.firstAlone === true && req.requests.length > 1;
    const groups = alone
      ? [req.requests.slice(0, 1), ...groupsOf(req.requests.slice(1), streamed)]
      : groupsOf(req.requests, streamed);
    let held: LossEvaluation[] = [];
    let since = t0;
    for (let g = 0; g < groups.length; g++) {
      if (g > 0) await checkpoint(); // a newer state abandons the rest here
      const out = await evaluateLossesAsync(x, target, groups[g] as LossRequest[], ctx, {
        yieldBetween: checkpoint,
        hostLogits: req.logits,
        gradientBuffer,
      });
      // A loss that aborted the WASM engine leaves it broken for every later call: fail the whole request so
      // that the host restarts the engine (the per-loss error would otherwise hide it).
      const aborted = out.results.find((r) => r.error !== null && isEngineAbort(r.error));
      if (aborted?.error) throw new Error(aborted.error);
      held = held.concat(out.results);
      const due = (alone && g === 0) || performance.now() - since >= this.partialMinMs;
      if (g < groups.length - 1 && onPartial && due) {
        onPartial(reply(held, since));
        held = [];
        since = performance.now();
      }
    }
    return reply(held, since);
  }

  /** Frees the cached target tensors (before a backend switch). */
  drop(): void {
    this.jit.touch();
    this.races.cancel();
    this.landscapes.drop();
    this.cache.dispose();
    this.labels = null;
  }

  /** A landscape request (app/compute/landscape/requests.ts); a newer long one aborts the running one. */
  landscape(
    req: LandscapeRequest,
    onProgress?: LandscapeProgress,
    yieldBetween?: () => Promise<void>,
  ): Promise<LandscapeReply> {
    return this.other(() => this.landscapes.run(req, onProgress, yieldBetween));
  }

  /** Stops the running landscape (it rejects with LandscapeCancelledError). */
  cancelLandscape(): void {
    this.landscapes.cancel();
  }

  /** A loss race (see app/compute/race-engine.ts); a newer race or cancelRace() makes the running one reject. */
  race(req: RaceRequest, onProgress?: RaceProgress, yieldBetween?: () => Promise<void>): Promise<RaceReply> {
    return this.other(() => this.races.run(req, onProgress, yieldBetween));
  }

  cancelRace(): void {
    this.races.cancel();
  }

  backend(): string | null {
    return tf.getBackend() ?? null;
  }

  memory(): number {
    return tf.memory().numTensors;
  }

  status(): EngineStatus {
    return {
      backend: this.backend(),
      numTensors: this.memory(),
      jitWarmUp: this.jit.status(),
      gradientArrays: { ...this.gradients.counts },
      latestBoard: this.latestBoard !== null,
    };
  }

  /**
   * Takes back gradient arrays of earlier replies that the page no longer uses (app/compute/gradient-recycler.ts):
   * later updates write their gradients into them.
   */
  recycle(buffers: readonly ArrayBuffer[]): void {
    this.gradients.give(buffers);
  }

  loadInverseForm(url: string): Promise<void> {
    return this.other(() => loadInverseFormNet(url));
  }
}

/** The requests cut into groups of `size` (one group when size is 0 or covers them all). */
function groupsOf(requests: LossRequest[], size: number): LossRequest[][] {
  if (size <= 0 || size >= requests.length) return [requests];
  const out: LossRequest[][] = [];
  for (let i = 0; i < requests.length; i += size) out.push(requests.slice(i, i + size));
  return out;
}
