// Background warm-up of the engine's JavaScript, where the maths runs on WASM: while the page is idle after its
// first update, the engine evaluates the losses the page shows, one at a time, on a small built-in example and
// throws the results away.
//
// Why: on WASM most of an update at small sizes is JavaScript around the kernels (TF.js's tape and kernel
// dispatch, ≈ 1 700 kernels per update of all 25 losses, and the losses' host loops). V8 optimises that code
// only after it has run many times: at 64² a fresh page took ≈ 55–60 ms from an edit to all 25 values for its
// first few dozen edits and ≈ 37–40 ms after that (README, issue 11). Running the same code on a 32² input
// while the user reads the page gets there before the first edit. WebGL is left out: its first use compiles shaders,
// which warmUp() in engine-core.ts handles, and on a software renderer each loss would take far longer.
//
// Never in the way: a step is one loss on a 32² input (≤ a few ms), it holds no tensor across a break, and it
// runs only after the engine has been quiet for `idleMs`; any call into the engine (an update, metrics, a
// landscape, a race …) stops it at the next step until the engine is quiet again. It ends after `rounds`
// evaluations of each loss (≈ 1.5 s of engine time on this 2-core machine) or `maxMs` on a slower device.
import { evaluateLosses, GroundTruthCache, type LossId, type LossRequest, tf } from '../../src';
import { macrotask } from './yield';

export interface JitWarmUpOptions {
  /** Evaluations of each loss before the engine counts as warm. */
  rounds: number;
  /** Quiet time before a step (ms). */
  idleMs: number;
  /** Side of the square example. */
  side: number;
  /** Engine time after which it stops even if not every evaluation ran (a slow device, ms). */
  maxMs: number;
  /** Whether it runs now (EngineCore: in the worker, on WASM). */
  applies: () => boolean;
  /** Whether the engine is doing something for the page right now. */
  busy: () => boolean;
}

export const JIT_WARM_UP: Omit<JitWarmUpOptions, 'applies' | 'busy'> = {
  rounds: 60,
  // a pause a person makes, not the gap between two scripted actions: a test suite that drives the page quickly
  // mostly never starts it (it added ≈ 70 s of CPU contention to the browser tests with 60 ms)
  idleMs: 200,
  side: 32,
  maxMs: 5000,
};

export interface JitWarmUpStatus {
  /** Loss evaluations done so far. */
  done: number;
  /** Evaluations after which the engine counts as warm (rounds × losses). */
  of: number;
  /** Time spent in the steps so far (ms). */
  ms: number;
  /** No more steps will run: every evaluation ran, or maxMs of engine time was spent. */
  finished: boolean;
}

export class JitWarmUp {
  private activity = 0;
  private done = 0;
  private ms = 0;
  private running = false;
  private requests = new Map<LossId, LossRequest>();
  private numClasses = 2;
  private input: { classes: number; labels: Int32Array; logits: Float32Array } | null = null;

  constructor(private readonly o: JitWarmUpOptions) {}

  /** A call into the engine: the warm-up pauses until the engine has been quiet again for idleMs. */
  touch(): void {
    this.activity++;
  }

  /** After a live update: what the page evaluates (the warm-up uses the same losses and parameters). */
  afterUpdate(requests: readonly LossRequest[], numClasses: number): void {
    if (numClasses !== this.numClasses) {
      // other code paths (one-hot widths, per-class loops): start over, within the same time budget
      this.requests.clear();
      this.done = 0;
    }
    this.numClasses = numClasses;
    for (const r of requests) this.requests.set(r.id, { id: r.id, params: r.params });
    if (this.o.applies()) void this.run();
  }

  /** Progress, or null before the first update and on backends where it does not apply. */
  status(): JitWarmUpStatus | null {
    if (this.requests.size === 0 || !this.o.applies()) return null;
    return { done: Math.min(this.done, this.target()), of: this.target(), ms: this.ms, finished: this.finished() };
  }

  private target(): number {
    return this.o.rounds * this.requests.size;
  }

  private finished(): boolean {
    return this.done >= this.target() || this.ms >= this.o.maxMs;
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      let seen = -1; // forces a quiet period before the first step
      while (!this.finished() && this.o.applies()) {
        if (seen !== this.activity || this.o.busy()) {
          seen = this.activity;
          await new Promise((r) => setTimeout(r, this.o.idleMs));
          continue;
        }
        this.step();
        await macrotask(); // queued messages are handled (and touch()) before the next step
      }
    } finally {
      this.running = false;
    }
  }

  /** One loss on the example; nothing kept. */
  private step(): void {
    const all = [...this.requests.values()];
    const req = all[this.done % all.length] as LossRequest;
    const t0 = performance.now();
    if (this.input?.classes !== this.numClasses)
      this.input = { classes: this.numClasses, ...example(this.o.side, this.numClasses) };
    const { labels, logits } = this.input;
    const cache = new GroundTruthCache();
    try {
      const { ctx, target } = cache.get(-1, labels, [1, this.o.side, this.o.side], this.numClasses);
      const x = tf.tensor4d(logits, [1, this.o.side, this.o.side, this.numClasses]);
      try {
        evaluateLosses(x, target, [req], ctx, { hostLogits: logits });
      } finally {
        x.dispose();
      }
    } catch {
      // a failing loss fails the same way in a real update, which reports it
    } finally {
      cache.dispose();
    }
    this.done++;
    this.ms += performance.now() - t0;
  }
}

/** A disc of class 1 (and a square of class 2 when there are more than two) and logits of a shifted, noisy guess. */
function example(side: number, classes: number): { labels: Int32Array; logits: Float32Array } {
  const labels = new Int32Array(side * side);
  const logits = new Float32Array(side * side * classes);
  const c = side / 2;
  const r = side / 4;
  const label = (y: number, x: number) =>
    (y - c) ** 2 + (x - c) ** 2 < r * r ? 1 : classes > 2 && y < side / 4 && x < side / 4 ? 2 : 0;
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const i = y * side + x;
      labels[i] = label(y, x);
      const guess = label(y - 1, x - 2);
      for (let k = 0; k < classes; k++)
        logits[i * classes + k] = (k === guess ? 2 : -1) + (((i * 7 + k * 13) % 11) - 5) / 10;
    }
  return { labels, logits };
}
