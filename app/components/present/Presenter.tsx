import { getLoss, type LossId } from '../../../src';
import { formatNumber } from '../../format-number';
import { useStore } from '../../store';
import { presentedLosses } from '../../view/presented';
import { Editors } from '../editors/Editors';
import { useStale } from '../GradientCanvas';
import { GradientHeatmap } from '../GradientHeatmap';
import { Lessons } from '../lessons';
import { FocusedValue } from '../live/FocusedValue';
import { usePresenterKeys } from './usePresenterKeys';

function BigValue({ id }: { id: LossId }) {
  const r = useStore((s) => s.results[id]);
  const stale = useStale(id);
  const focused = useStore((s) => s.focusedLoss === id);
  const setFocusedLoss = useStore((s) => s.setFocusedLoss);
  return (
    <li>
      <button
        type="button"
        className={focused ? 'big-value focused' : 'big-value'}
        aria-pressed={focused}
        onClick={() => setFocusedLoss(id)}
        data-testid="presenter-value"
        data-loss-id={id}
        data-value={String(r?.value ?? '')}
        data-stale={stale ? 'true' : undefined}
      >
        <span className="big-name">{getLoss(id).name}</span>
        <span className="big-number">{r?.error ? 'error' : formatNumber(r?.value, 4)}</span>
      </button>
    </li>
  );
}

/**
 * Presenter view (?present=1): large type and high contrast for a projector, no toolbar or stats; the
 * editors, the focused value, 2–4 chosen losses and the heatmap. ←/→ are lesson steps.
 */
export function Presenter({ onExit }: { onExit(): void }) {
  usePresenterKeys();
  const focused = useStore((s) => s.focusedLoss);
  const compared = useStore((s) => s.multiples);
  const enabled = useStore((s) => s.enabled);
  const ids = presentedLosses(focused, compared, enabled);
  const withLesson = new URLSearchParams(window.location.search).has('lesson');
  return (
    <div className="presenter" data-testid="presenter">
      <button type="button" className="presenter-exit" onClick={onExit} data-testid="present-toggle">
        Exit presenter
      </button>
      <div className="presenter-editors">
        <Editors />
      </div>
      <div className="presenter-side">
        {/* A lesson link opened in the presenter (?present=1&lesson=…) shows its step here; ←/→ step through it. */}
        {withLesson && <Lessons />}
        <FocusedValue />
        <ul className="big-values" aria-label="Chosen losses">
          {ids.map((id) => (
            <BigValue key={id} id={id} />
          ))}
        </ul>
        <GradientHeatmap />
      </div>
    </div>
  );
}
