import { getLoss, IMPLEMENTED_LOSSES, type LossId } from '../../../src';
import { formatNumber } from '../../format-number';
import { useStore } from '../../store';
import { Sparkline } from './Sparkline';
import { useValueHistory } from './useValueHistory';

/** Every enabled loss on one compact line each: name, value, recent values; a click focuses it. */
export function LiveList({ only }: { only?: readonly LossId[] }) {
  const results = useStore((s) => s.results);
  const enabled = useStore((s) => s.enabled);
  const focused = useStore((s) => s.focusedLoss);
  const setFocusedLoss = useStore((s) => s.setFocusedLoss);
  const history = useValueHistory();
  const ids = (only ?? IMPLEMENTED_LOSSES.map((d) => d.id)).filter((id) => enabled[id]);
  return (
    <ul className="live-list" aria-label="Live values of the enabled losses">
      {ids.map((id) => {
        const r = results[id];
        const name = getLoss(id).name;
        return (
          <li key={id}>
            <button
              type="button"
              className={id === focused ? 'live-entry focused' : 'live-entry'}
              aria-pressed={id === focused}
              data-testid="live-value"
              data-loss-id={id}
              data-value={String(r?.value ?? '')}
              onClick={() => setFocusedLoss(id)}
              title={r?.error ?? `${name}: ${r?.value ?? '…'}`}
            >
              <span className="live-name">{name.replace(/ Loss$/, '')}</span>
              <Sparkline values={history[id] ?? []} />
              <span className={r?.nonFinite || r?.error ? 'live-number error' : 'live-number'}>
                {r?.error ? 'error' : r ? formatNumber(r.value, 4) : '…'}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
