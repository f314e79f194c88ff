// The bridge store → engine → results. Edits only replace typed arrays in the store (cheap, on the pointer
// path); the maths runs in the compute worker (see host.ts), requested at most once per animation frame. If
// an update is still running when the next frame comes, the newest state is computed right after it
// finishes (intermediate states are skipped). Only one update is in flight at a time.
import { getLoss, isImplemented, type LossId } from '../../src';
import { type AppState, useStore } from '../store';
import type { LossResultView } from '../store/results';
import type { ComputeHost } from './host';
import { softmaxRows } from './softmax';

export interface Bridge {
  /** Computes now (awaitable; used after a backend switch and by tests). */
  flush(): Promise<void>;
  /** Drops every cached tensor (before a backend switch). */
  dropTensors(): Promise<void>;
  stop(): void;
}

function inputsOf(s: AppState) {
  return [s.target, s.logits, s.targetVersion, s.predictionVersion, s.enabled, s.params, s.numClasses] as const;
}

export function startBridge(host: ComputeHost): Bridge {
  let scheduled = 0;
  let running: Promise<void> | null = null;
  let dirty = false;
  let stopped = false;
  /** Inputs of the results on screen: a recompute of the same inputs keeps "change since the last edit". */
  let shown: { target: Int32Array; logits: Float32Array; params: AppState['params'] } | null = null;

  async function compute(): Promise<void> {
    const s = useStore.getState();
    if (s.backendStatus !== 'ready') return;
    const { width, height, numClasses, target, logits, targetVersion } = s;
    const requests = (Object.keys(s.enabled) as LossId[])
      .filter((id) => s.enabled[id] && isImplemented(getLoss(id)))
      .map((id) => ({ id, params: s.params[id] ?? {} }));
    const t0 = performance.now();
    try {
      const reply = await host.compute({
        width,
        height,
        numClasses,
        targetVersion,
        target: host.needsTarget(targetVersion, width, height, numClasses) ? target : null,
        logits,
        requests,
      });
      const ms = performance.now() - t0;
      const previous = useStore.getState().results;
      const sameInputs = shown?.target === target && shown.logits === logits && shown.params === s.params;
      shown = { target, logits, params: s.params };
      const results: Partial<Record<LossId, LossResultView>> = {};
      for (const r of reply.results) {
        results[r.id] = {
          value: r.value,
          previous: sameInputs ? (previous[r.id]?.previous ?? null) : (previous[r.id]?.value ?? null),
          error: r.error,
          nonFinite: r.nonFinite,
          grad: r.grad,
          ms: r.ms,
        };
      }
      useStore.setState((cur) => ({
        results,
        probabilities: softmaxRows(logits, numClasses),
        resultShape: { width, height, numClasses },
        lastUpdateMs: ms,
        engineMs: reply.engineMs,
        updates: cur.updates + 1,
        numTensors: reply.numTensors,
        gpuBytes: reply.gpuBytes,
        computeError: null,
      }));
    } catch (e) {
      useStore.setState((cur) => ({
        updates: cur.updates + 1,
        lastUpdateMs: performance.now() - t0,
        computeError: e instanceof Error ? e.message : String(e),
      }));
    }
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
    async dropTensors() {
      if (running) await running;
      await host.drop();
    },
    stop() {
      stopped = true;
      unsubscribe();
      if (scheduled) cancelAnimationFrame(scheduled);
    },
  };
}
