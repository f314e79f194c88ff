import { getLoss } from '../../../src';
import { formatNumber } from '../../format-number';
import { useStore } from '../../store';
import { useStale } from '../GradientCanvas';

/**
 * The focused loss's value, large: the number a class watches while the teacher draws. Dimmed (data-stale,
 * aria-busy) while it belongs to an older state than the masks on screen, as the table's values are.
 */
export function FocusedValue() {
  const id = useStore((s) => s.focusedLoss);
  const r = useStore((s) => s.results[id]);
  const on = useStore((s) => s.enabled[id]);
  const stale = useStale(id);
  const def = getLoss(id);
  const text = !on ? 'off' : !r ? '…' : r.error ? 'error' : formatNumber(r.value, 4);
  return (
    <div
      className="focused-value"
      data-testid="focused-value"
      data-loss-id={id}
      data-value={String(r?.value ?? '')}
      data-stale={on && stale ? 'true' : undefined}
      aria-busy={on && stale}
    >
      <span className="focused-name">{def.name}</span>
      <output className={r?.nonFinite ? 'focused-number nonfinite' : 'focused-number'} title={r?.error ?? undefined}>
        {text}
      </output>
    </div>
  );
}
