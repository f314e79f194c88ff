// Page side of "Compare losses": one landscape request (with `compare`) to the compute host set up for
// ./client.ts; only the newest request's reply is shown.
import { useStore } from '../store';
import { ENGINE_NOT_READY, landscapeHost, maskFields } from './client';
import { compareInputError, compareLosses, useCompare } from './compare-state';

let latest = 0;

export async function computeComparison(): Promise<void> {
  const s = useStore.getState();
  const c = useCompare.getState();
  const losses = compareLosses(c.settings, s.multiples);
  const bad = compareInputError(c.settings, losses);
  if (bad) {
    useCompare.setState({ status: 'error', error: bad, progress: null });
    return;
  }
  const host = landscapeHost();
  if (!host || s.backendStatus !== 'ready') {
    useCompare.setState({ status: 'error', error: ENGINE_NOT_READY });
    return;
  }
  const mine = ++latest;
  const { direction, from, to, points } = c.settings;
  const inputs = { target: s.target, logits: s.logits };
  useCompare.setState({ status: 'running', progress: { done: 0, total: losses.length * (points + 1) }, error: null });
  const t0 = performance.now();
  try {
    const reply = await host.landscape(
      {
        ...maskFields(s),
        lossId: losses[0] as (typeof losses)[number],
        params: {},
        axes: [{ direction, from, to, points, seed: 1 }],
        compare: losses.map((id) => ({ id, params: s.params[id] ?? {} })),
      },
      (done, total) => {
        if (mine === latest) useCompare.setState({ progress: { done, total } });
      },
    );
    if (mine !== latest) return;
    if (!reply.lines) throw new Error('The engine sent no lines back.');
    useCompare.setState({
      status: 'done',
      result: reply.lines,
      inputs,
      progress: null,
      wallMs: performance.now() - t0,
    });
  } catch (e) {
    if (mine !== latest) return;
    useCompare.setState({ status: 'error', progress: null, error: e instanceof Error ? e.message : String(e) });
  }
}
