import { memo } from 'react';
import { getLoss, IMPLEMENTED_LOSSES, type LossId } from '../../../src';
import { liveUpdateLanding } from '../../compute/loss-order';
import { formatNumber } from '../../format-number';
import { useStore } from '../../store';
import { useStale } from '../GradientCanvas';
import { Sparkline } from './Sparkline';
import { useValueHistory } from './useValueHistory';

/**
 * One loss's line, memoised and subscribed to its own result: a result landing re-renders its line only
 * (a new history, once per update, re-renders them all).
 */
const LiveEntry = memo(function LiveEntry({
  id,
  focused,
  history,
}: {
  id: LossId;
  focused: boolean;
  history: readonly number[] | undefined;
}) {
  const r = useStore((s) => s.results[id]);
  const stale = useStale(id); // re-renders when its value turns stale or current, not on every version bump
  const setFocusedLoss = useStore((s) => s.setFocusedLoss);
  const name = getLoss(id).name;
  return (
    <li>
      <button
        type="button"
        className={focused ? 'live-entry focused' : 'live-entry'}
        aria-pressed={focused}
        data-testid="live-value"
        data-loss-id={id}
        data-value={String(r?.value ?? '')}
        data-stale={stale ? 'true' : undefined}
        onClick={() => setFocusedLoss(id)}
        title={r?.error ?? `${name}: ${r?.value ?? '…'}`}
      >
        <span className="live-name">{name.replace(/ Loss$/, '')}</span>
        <Sparkline values={history ?? NONE} />
        <span className={r?.nonFinite || r?.error ? 'live-number error' : 'live-number'}>
          {r?.error ? 'error' : r ? formatNumber(r.value, 4) : '…'}
        </span>
      </button>
    </li>
  );
});

const NONE: readonly number[] = [];

/** Every enabled loss on one compact line each: name, value, recent values; a click focuses it. */
export function LiveList({ only }: { only?: readonly LossId[] }) {
  const enabled = useStore((s) => s.enabled);
  const focused = useStore((s) => s.focusedLoss);
  const busy = useStore(liveUpdateLanding);
  const history = useValueHistory();
  const ids = (only ?? IMPLEMENTED_LOSSES.map((d) => d.id)).filter((id) => enabled[id]);
  return (
    <ul className="live-list" aria-label="Live values of the enabled losses" aria-busy={busy}>
      {ids.map((id) => (
        <LiveEntry key={id} id={id} focused={id === focused} history={history[id]} />
      ))}
    </ul>
  );
}
