// The bridge store → engine → results. Edits only replace typed arrays in the store (cheap, on the pointer
// path); the maths runs at most once per animation frame. If an update is still running when the next frame
// comes, the newest state is computed right after it finishes (intermediate states are skipped).
//
// Why requestAnimationFrame and not a worker: with WASM the full update at the default grid takes a few
// milliseconds to a few tens of milliseconds (README table), so coalescing keeps pointer events responsive,
// while a worker would copy the masks both ways each update and need OffscreenCanvas for WebGL.
import { evaluateLossesAsync, GroundTruthCache } from '../../src/engine/evaluate';
import { getLoss, isImplemented } from '../../src/registry';
import { tf } from '../../src/tf';
import type { LossId } from '../../src/types';
import { gpuBytes } from '../backend/select';
import { type AppState, useStore } from '../store';
import type { LossResultView } from '../store/results';
import { softmaxRows } from './softmax';

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
        const out = await evaluateLossesAsync(x, t, requests, ctx);
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
