// Page side of every landscape request: takes the host explicitly (from ComputeHostContext), sends the masks and
// settings, shows progress in the panel's store, and ignores every reply but the newest request's of its kind.
import { errorMessage, LandscapeCancelledError } from '../../../src';
import { compareInputError, compareLosses, useCompare } from '../../components/landscape/compare-state';
import { namedAxisSpecs, useNamed } from '../../components/landscape/named-state';
import { usePixelCurves } from '../../components/landscape/pixel-state';
import { axisSpecs, useLandscape } from '../../components/landscape/state';
import { useStore } from '../../store';
import type { ComputeHost } from '../host';
import type { LandscapeMasks, LandscapeReply } from './requests';

export const ENGINE_NOT_READY = 'The compute engine is not ready yet; try again in a moment.';

type StoreState = ReturnType<typeof useStore.getState>;

/** The masks of the store as a request sends them (also used by the race client). */
export function maskFields(s: StoreState): LandscapeMasks {
  const { width, height, numClasses, targetVersion, target, logits } = s;
  return { width, height, numClasses, targetVersion, target, logits };
}

const message = (e: unknown) =>
  e instanceof LandscapeCancelledError || (e instanceof Error && /cancelled/.test(e.message))
    ? 'Cancelled.'
    : errorMessage(e);

function ready(host: ComputeHost | null): host is ComputeHost {
  return host !== null && useStore.getState().backendStatus === 'ready';
}

function expect<K extends LandscapeReply['kind']>(r: LandscapeReply, kind: K): Extract<LandscapeReply, { kind: K }> {
  if (r.kind !== kind) throw new Error(`The engine sent a ${r.kind} reply to a ${kind} request.`);
  return r as Extract<LandscapeReply, { kind: K }>;
}

let latestGrid = 0;

/** The focused loss on a line or grid along the directions (the "Loss landscape" view). */
export async function computeLandscape(host: ComputeHost | null): Promise<void> {
  const s = useStore.getState();
  const l = useLandscape.getState();
  const spec = axisSpecs(l.settings);
  if ('error' in spec) {
    useLandscape.setState({ status: 'error', error: spec.error, progress: null });
    return;
  }
  if (!ready(host)) {
    useLandscape.setState({ status: 'error', error: ENGINE_NOT_READY });
    return;
  }
  const mine = ++latestGrid;
  const inputs = { lossId: s.focusedLoss, target: s.target, logits: s.logits, params: s.params[s.focusedLoss] };
  const total = spec.axes.reduce((n, a) => n * a.points, 1) + 1;
  useLandscape.setState({ status: 'running', progress: { done: 0, total }, error: null });
  const t0 = performance.now();
  try {
    const reply = expect(
      await host.landscape(
        { kind: 'grid', ...maskFields(s), lossId: inputs.lossId, params: inputs.params ?? {}, axes: spec.axes },
        (done, n) => {
          if (mine === latestGrid) useLandscape.setState({ progress: { done, total: n } });
        },
      ),
      'grid',
    );
    if (mine !== latestGrid) return; // a newer request was made meanwhile
    useLandscape.setState({
      status: 'done',
      result: reply.result,
      inputs,
      progress: null,
      wallMs: performance.now() - t0,
      ranOn: { backend: reply.backend, thread: host.thread },
    });
  } catch (e) {
    if (mine !== latestGrid) return;
    useLandscape.setState({ status: 'error', progress: null, error: message(e) });
  }
}

let latestLines = 0;

/** "Compare losses": several losses along one direction. */
export async function computeComparison(host: ComputeHost | null): Promise<void> {
  const s = useStore.getState();
  const c = useCompare.getState();
  const losses = compareLosses(c.settings, s.multiples);
  const bad = compareInputError(c.settings, losses);
  if (bad) {
    useCompare.setState({ status: 'error', error: bad, progress: null });
    return;
  }
  if (!ready(host)) {
    useCompare.setState({ status: 'error', error: ENGINE_NOT_READY });
    return;
  }
  const mine = ++latestLines;
  const { direction, from, to, points } = c.settings;
  const inputs = { target: s.target, logits: s.logits };
  useCompare.setState({ status: 'running', progress: { done: 0, total: losses.length * (points + 1) }, error: null });
  const t0 = performance.now();
  try {
    const reply = expect(
      await host.landscape(
        {
          kind: 'lines',
          ...maskFields(s),
          axis: { direction, from, to, points, seed: 1 },
          losses: losses.map((id) => ({ id, params: s.params[id] ?? {} })),
        },
        (done, total) => {
          if (mine === latestLines) useCompare.setState({ progress: { done, total } });
        },
      ),
      'lines',
    );
    if (mine !== latestLines) return;
    useCompare.setState({
      status: 'done',
      result: reply.lines,
      inputs,
      progress: null,
      wallMs: performance.now() - t0,
    });
  } catch (e) {
    if (mine !== latestLines) return;
    useCompare.setState({ status: 'error', progress: null, error: message(e) });
  }
}

let latestNamed = 0;

/** Named-axis landscape: 1-D (the chosen losses + metrics) or 2-D (the focused loss + Dice). */
export async function computeNamed(host: ComputeHost | null): Promise<void> {
  const s = useStore.getState();
  const n = useNamed.getState();
  const spec = namedAxisSpecs(n.settings, s.focusedLoss);
  if ('error' in spec) {
    useNamed.setState({ status: 'error', error: spec.error, progress: null });
    return;
  }
  if (!ready(host)) {
    useNamed.setState({ status: 'error', error: ENGINE_NOT_READY });
    return;
  }
  const mine = ++latestNamed;
  const total = spec.axes.reduce((k, a) => k * a.points, 1);
  useNamed.setState({ status: 'running', progress: { done: 0, total }, error: null });
  const t0 = performance.now();
  try {
    const reply = expect(
      await host.landscape(
        {
          kind: 'named',
          ...maskFields(s),
          axes: spec.axes,
          base: n.settings.base,
          losses: spec.losses.map((id) => ({ id, params: s.params[id] ?? {} })),
        },
        (done, k) => {
          if (mine === latestNamed) useNamed.setState({ progress: { done, total: k } });
        },
      ),
      'named',
    );
    if (mine !== latestNamed) return;
    useNamed.setState({
      status: 'done',
      result: reply.named,
      inputs: { target: s.target, logits: s.logits },
      progress: null,
      wallMs: performance.now() - t0,
      error: null,
    });
  } catch (e) {
    if (mine !== latestNamed) return;
    useNamed.setState({ status: 'error', progress: null, error: message(e) });
  }
}

/** Stops the running landscape computation (the Cancel button). */
export async function cancelLandscape(host: ComputeHost | null): Promise<void> {
  await host?.cancelLandscape();
}

/**
 * Sets the prediction to the point (a, b) of the shown named-axis landscape: one undo step (masks slice). The
 * point is computed from the masks the landscape was computed from, so a click on a stale chart is refused.
 */
export async function adoptNamedPoint(host: ComputeHost | null, coords: number[]): Promise<void> {
  const s = useStore.getState();
  const n = useNamed.getState();
  const r = n.result;
  if (!r || !n.inputs) return;
  if (n.inputs.target !== s.target || n.inputs.logits !== s.logits) {
    useNamed.setState({ error: 'The masks changed since this landscape was computed: compute it again first.' });
    return;
  }
  if (!ready(host)) {
    useNamed.setState({ error: ENGINE_NOT_READY });
    return;
  }
  try {
    const reply = expect(
      await host.landscape({
        kind: 'named-point',
        ...maskFields(s),
        axes: r.axes.map(({ transform, from, to, points }) => ({ transform, from, to, points })),
        coords,
        base: r.base,
      }),
      'named-point',
    );
    if (useStore.getState().logits !== s.logits) return; // edited meanwhile: keep the user's edit
    useStore.getState().setLogits(reply.logits);
    useNamed.setState({ adopted: coords, error: null });
  } catch (e) {
    useNamed.setState({ error: message(e) });
  }
}

let latestPixel = 0;

/** Per-pixel curves at (x, y) for the chosen losses. */
export async function computePixelCurves(host: ComputeHost | null, x: number, y: number): Promise<void> {
  const s = useStore.getState();
  const losses = usePixelCurves.getState().losses;
  if (losses.length === 0) {
    usePixelCurves.setState({ status: 'error', error: 'Tick at least one loss.' });
    return;
  }
  if (!ready(host)) {
    usePixelCurves.setState({ status: 'error', error: ENGINE_NOT_READY });
    return;
  }
  const mine = ++latestPixel;
  usePixelCurves.setState({ status: 'running', error: null, pixel: { x, y } });
  try {
    const reply = expect(
      await host.landscape({
        kind: 'pixel-curves',
        ...maskFields(s),
        x,
        y,
        losses: losses.map((id) => ({ id, params: s.params[id] ?? {} })),
      }),
      'pixel-curves',
    );
    if (mine !== latestPixel) return;
    usePixelCurves.setState({ status: 'done', result: reply.curves, error: null });
  } catch (e) {
    if (mine !== latestPixel) return;
    usePixelCurves.setState({ status: 'error', error: message(e) });
  }
}
