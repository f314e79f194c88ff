import { REST_HOLD_MAX_MS } from '../compute/bridge';
import { useStore, VIEW_HOLD_MAX_MS, viewGate } from '../store';

export function StatsPanel() {
  const backend = useStore((s) => s.backend);
  const ms = useStore((s) => s.lastUpdateMs);
  const engineMs = useStore((s) => s.engineMs);
  const tensors = useStore((s) => s.numTensors);
  const gpu = useStore((s) => s.gpuBytes);
  const updates = useStore((s) => s.updates);
  const w = useStore((s) => s.width);
  const h = useStore((s) => s.height);
  const c = useStore((s) => s.numClasses);
  const computeError = useStore((s) => s.computeError);
  return (
    <section
      className="stats"
      data-testid="stats"
      data-tensors={tensors}
      data-update-ms={ms ?? ''}
      data-updates={updates}
      aria-label="Statistics"
    >
      <dl>
        <dt>backend</dt>
        <dd data-testid="backend-variant" data-variant={backend?.variant ?? ''}>
          {backend ? `${backend.name}${backend.variant ? ` (${backend.variant})` : ''}` : '—'}
        </dd>
        <dt>precision</dt>
        <dd>{backend?.precision ?? '—'}</dd>
        <dt>grid</dt>
        <dd>
          {w}×{h}×{c}
        </dd>
        <dt>last update</dt>
        <dd title="request to results; in brackets the engine's share (tensor work + read-back)">
          {ms === null ? '—' : `${ms.toFixed(1)} ms`}
          {engineMs !== null && ms !== null ? ` (engine ${engineMs.toFixed(1)})` : ''}
        </dd>
        <dt>thread</dt>
        <dd>{backend?.thread ?? '—'}</dd>
        <dt>tensors</dt>
        <dd>{tensors}</dd>
        <dt>GPU memory</dt>
        <dd>{gpu === null ? 'n/a' : `${(gpu / 2 ** 20).toFixed(1)} MiB`}</dd>
        <dt>updates</dt>
        <dd>{updates}</dd>
        <dt>shown with their value</dt>
        <dd
          data-testid="view-holds"
          title={`edits whose masks waited (at most ${VIEW_HOLD_MAX_MS} ms) for the focused value, to show both in one frame; in brackets those whose value came later`}
        >
          {/* read at each update (the panel re-renders with `updates`), not a subscription */}
          {viewGate.counts.holds}
          {viewGate.counts.timedOut > 0 ? ` (${viewGate.counts.timedOut} late)` : ''}
        </dd>
        <dt>filled in one render</dt>
        <dd
          data-testid="view-fills"
          title={`updates whose other values (after the focused one) waited, at most ${REST_HOLD_MAX_MS} ms, to show in one render instead of one per group; in brackets those whose last group came later`}
        >
          {viewGate.counts.fills}
          {viewGate.counts.fillsTimedOut > 0 ? ` (${viewGate.counts.fillsTimedOut} late)` : ''}
        </dd>
      </dl>
      {computeError && (
        <p role="alert" className="error">
          Update failed: {computeError}
        </p>
      )}
    </section>
  );
}
