// The bridge store → engine → results. Edits only replace typed arrays in the store (cheap, on the pointer
// path); the maths runs at most once per animation frame. If an update is still running when the next frame
// comes, the newest state is computed right after it finishes (intermediate states are skipped).
//
// The engine also yields to the event loop between two losses, so a pointer event waits at most for the
// slowest single loss, not for the whole update (on cpu/wasm every kernel runs synchronously on this thread).
// Why not a worker: see the README (measured update times); a worker would copy the masks and all gradients
// across threads each update and needs OffscreenCanvas for WebGL.
import { evaluateLossesAsync, GroundTruthCache } from '../../src/engine/evaluate';
import { getLoss, isImplemented } from '../../src/registry';
import { tf } from '../../src/tf';
import type { LossId } from '../../src/types';
import { gpuBytes } from '../backend/select';
import { type AppState, useStore } from '../store';
import type { LossResultView } from '../store/results';
import { softmaxRows } from './softmax';

/** Lets the browser handle queued input between two losses (a macrotask; scheduler.yield where available). */
function yieldToEvents(): Promise<void> {
  const sched = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (sched?.yield) return sched.yield();
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => resolve();
    ch.port2.postMessage(null);
  });
}

export interface Bridge {
  /** Computes now (awaitable; used after a backend switch and by tests). */
  flush(): Promise<void>;
  /** Drops every cached tensor (before a backend switch). */
  dropTensors(): void;
  stop(): void;
}

function inputsOf(s: AppState) {
  return [s.target, s.logits, s.targetVersion, s.predictionVersion, s.enabled, s.params, s.numClasses] as const;
}

export function startBridge(): Bridge {
  const cache = new GroundTruthCache();
  let scheduled = 0;
  let running: Promise<void> | null = null;
  let dirty = false;
  let stopped = false;

  async function compute(): Promise<void> {
    const s = useStore.getState();
    if (s.backendStatus !== 'ready') return;
    const { width, height, numClasses, target, logits } = s;
    const requests = (Object.keys(s.enabled) as LossId[])
      .filter((id) => s.enabled[id] && isImplemented(getLoss(id)))
      .map((id) => ({ id, params: s.params[id] ?? {} }));
    let computeError: string | null = null;
    let results: Partial<Record<LossId, LossResultView>> = {};
    const t0 = performance.now();
    try {
      const { ctx, target: t } = cache.get(s.targetVersion, target, [1, height, width], numClasses);
      const x = tf.tensor4d(logits, [1, height, width, numClasses]);
      try {
        const out = await evaluateLossesAsync(x, t, requests, ctx, { yieldBetween: yieldToEvents });
        const previous = useStore.getState().results;
        results = Object.fromEntries(
          out.results.map((r) => [
            r.id,
            {
              value: r.value,
              previous: previous[r.id]?.value ?? null,
              error: r.error,
              nonFinite: r.nonFinite,
              grad: r.grad,
              ms: r.ms,
            } satisfies LossResultView,
          ]),
        );
      } finally {
        x.dispose();
      }
    } catch (e) {
      computeError = e instanceof Error ? e.message : String(e);
    }
    const ms = performance.now() - t0;
    useStore.setState((cur) => ({
      results: computeError ? cur.results : results,
      probabilities: softmaxRows(logits, numClasses),
      resultShape: { width, height, numClasses },
      lastUpdateMs: ms,
      updates: cur.updates + 1,
      numTensors: tf.memory().numTensors,
      gpuBytes: gpuBytes(),
      computeError,
    }));
  }

  function run(): Promise<void> {
    if (running) {
      dirty = true;
      return running;
    }
    running = (async () => {
      do {
        dirty = false;
        await compute();
      } while (dirty && !stopped);
      running = null;
    })();
    return running;
  }

  function schedule(): void {
    if (scheduled || stopped) return;
    scheduled = requestAnimationFrame(() => {
      scheduled = 0;
      void run();
    });
  }

  let last = inputsOf(useStore.getState());
  const unsubscribe = useStore.subscribe((s) => {
    const next = inputsOf(s);
    if (next.some((v, i) => v !== last[i])) {
      last = next;
      schedule();
    }
  });
  schedule();

  return {
    async flush() {
      if (running) await running;
      await run();
    },
    dropTensors() {
      cache.dispose();
    },
    stop() {
      stopped = true;
      unsubscribe();
      if (scheduled) cancelAnimationFrame(scheduled);
      cache.dispose();
    },
  };
}
