// Page side of landscape requests: sends the focused loss, the masks and the settings to the compute host
// (worker or main thread), shows progress, and ignores every reply but the newest request's.

import type { ComputeHost } from '../compute/host';
import { useStore } from '../store';
import { axisSpecs, useLandscape } from './state';

let host: ComputeHost | null = null;
let latest = 0;

/** main.tsx hands over the host once it exists. */
export function setLandscapeHost(h: ComputeHost | null): void {
  host = h;
}

export const ENGINE_NOT_READY = 'The compute engine is not ready yet; try again in a moment.';

type StoreState = ReturnType<typeof useStore.getState>;

/** The masks part of a landscape request (shared with ./compare-client.ts). */
export function maskFields(s: StoreState) {
  const { width, height, numClasses, targetVersion, target, logits } = s;
  return { width, height, numClasses, targetVersion, target, logits };
}

/** The host, for the "Compare losses" requests (./compare-client.ts). */
export function landscapeHost(): ComputeHost | null {
  return host;
}

export async function computeLandscape(): Promise<void> {
  const s = useStore.getState();
  const l = useLandscape.getState();
  const spec = axisSpecs(l.settings);
  if ('error' in spec) {
    useLandscape.setState({ status: 'error', error: spec.error, progress: null });
    return;
  }
  if (!host || s.backendStatus !== 'ready') {
    useLandscape.setState({ status: 'error', error: ENGINE_NOT_READY });
    return;
  }
  const mine = ++latest;
  const h = host;
  const inputs = { lossId: s.focusedLoss, target: s.target, logits: s.logits, params: s.params[s.focusedLoss] };
  const total = spec.axes.reduce((n, a) => n * a.points, 1) + 1;
  useLandscape.setState({ status: 'running', progress: { done: 0, total }, error: null });
  const t0 = performance.now();
  try {
    const reply = await h.landscape(
      {
        ...maskFields(s),
        lossId: inputs.lossId,
        params: inputs.params ?? {},
        axes: spec.axes,
      },
      (done, n) => {
        if (mine === latest) useLandscape.setState({ progress: { done, total: n } });
      },
    );
    if (mine !== latest) return; // a newer request was made meanwhile
    if (!reply.result) throw new Error('The engine sent no landscape back.');
    useLandscape.setState({
      status: 'done',
      result: reply.result,
      inputs,
      progress: null,
      wallMs: performance.now() - t0,
      ranOn: { backend: reply.backend, thread: h.thread },
    });
  } catch (e) {
    if (mine !== latest) return;
    useLandscape.setState({ status: 'error', progress: null, error: e instanceof Error ? e.message : String(e) });
  }
}
