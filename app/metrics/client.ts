// Keeps the metrics row current: after every change of the masks (coalesced per frame), asks the compute host for
// the metrics of the argmax (src/metrics runs there, never here). One request in flight; when it lands and the
// masks changed meanwhile, the newest masks are asked for next (latest wins, older replies are still shown
// until then, marked stale).
// Asked once the losses of the new state have landed, not while they land: the engine computes metrics only
// after a live update anyway (engine-core.ts), and posting the masks earlier cost the page 3–4 ms at 128²
// (copying them into the message) in the frame before the focused value, and the worker as much to read them.
import type { ComputeHost } from '../compute/host';
import { liveUpdateLanding } from '../compute/loss-order';
import { type AppState, useStore } from '../store';
import { type MetricsInputs, metricsStale, useMetrics } from './state';

export interface MetricsClient {
  /** Resolves when the metrics belong to the masks now in the store (or the last request failed). */
  flush(): Promise<void>;
  stop(): void;
}

export function startMetrics(
  host: ComputeHost,
  frame: (run: () => void) => void = (run) => requestAnimationFrame(run),
  /** While this holds, no request is sent (default: while the live update's results are landing). */
  holdWhile: (s: AppState) => boolean = liveUpdateLanding,
): MetricsClient {
  let running: Promise<void> | null = null;
  let scheduled = false;
  let stopped = false;
  let asked: MetricsInputs | null = null;
  // The backend a request failed on: a new backend (switch, restart after a fault) tries the same masks again.
  let failedOn: { backend: unknown; restarted: boolean } | null = null;

  /** The metrics shown (or asked for) are not those of the masks in the store. */
  const needed = (s: AppState) =>
    s.backendStatus === 'ready' &&
    (!asked ||
      metricsStale({ inputs: asked }, s) ||
      (failedOn !== null && (failedOn.restarted || failedOn.backend !== s.backend)));
  const wanted = (s: AppState) => needed(s) && !holdWhile(s);

  async function run(): Promise<void> {
    for (let s = useStore.getState(); !stopped && wanted(s); s = useStore.getState()) {
      const { width, height, numClasses, target, logits } = s;
      const inputs = { target, logits };
      asked = inputs;
      failedOn = null;
      try {
        const reply = await host.metrics({ width, height, numClasses, target, logits });
        useMetrics.getState().landed(reply.summary, inputs, reply.engineMs);
      } catch (e) {
        failedOn = { backend: s.backend, restarted: false };
        useMetrics.getState().failed(e instanceof Error ? e.message : String(e), inputs);
      }
    }
  }

  /** Resolves at the store's next change (the hold may have ended). */
  function nextChange(): Promise<void> {
    return new Promise((resolve) => {
      const off = useStore.subscribe(() => {
        off();
        resolve();
      });
    });
  }

  function pump(): Promise<void> {
    if (!running)
      running = run().finally(() => {
        running = null;
      });
    return running;
  }

  const unsubscribe = useStore.subscribe((s) => {
    if (failedOn && s.backendStatus !== 'ready') failedOn.restarted = true;
    if (scheduled || stopped || !wanted(s)) return;
    scheduled = true;
    frame(() => {
      scheduled = false;
      void pump();
    });
  });
  if (wanted(useStore.getState())) void pump();

  return {
    async flush() {
      for (;;) {
        if (running || wanted(useStore.getState())) await pump();
        else if (needed(useStore.getState())) await nextChange();
        else return;
      }
    },
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
