// Keeps the metrics row current: after every change of the masks (coalesced per frame), asks the compute host for
// the metrics of the argmax (src/metrics runs there, never here). One request in flight; when it lands and the
// masks changed meanwhile, the newest masks are asked for next (latest wins, older replies are still shown
// until then, marked stale).
import type { ComputeHost } from '../compute/host';
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
): MetricsClient {
  let running: Promise<void> | null = null;
  let scheduled = false;
  let stopped = false;
  let asked: MetricsInputs | null = null;
  // The backend a request failed on: a new backend (switch, restart after a fault) tries the same masks again.
  let failedOn: { backend: unknown; restarted: boolean } | null = null;

  const wanted = (s: AppState) =>
    s.backendStatus === 'ready' &&
    (!asked ||
      metricsStale({ inputs: asked }, s) ||
      (failedOn !== null && (failedOn.restarted || failedOn.backend !== s.backend)));

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
      while (running || wanted(useStore.getState())) await pump();
    },
    stop() {
      stopped = true;
      unsubscribe();
    },
  };
}
