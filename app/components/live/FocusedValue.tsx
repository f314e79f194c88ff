import { getLoss } from '../../../src';
import { formatNumber } from '../../format-number';
import { useStore } from '../../store';

/** The focused loss's value, large: the number a class watches while the teacher draws. */
export function FocusedValue() {
  const id = useStore((s) => s.focusedLoss);
  const r = useStore((s) => s.results[id]);
  const on = useStore((s) => s.enabled[id]);
  const def = getLoss(id);
  const text = !on ? 'off' : !r ? '…' : r.error ? 'error' : formatNumber(r.value, 4);
  return (
    <div className="focused-value" data-testid="focused-value" data-loss-id={id} data-value={String(r?.value ?? '')}>
      <span className="focused-name">{def.name}</span>
      <output className={r?.nonFinite ? 'focused-number nonfinite' : 'focused-number'} title={r?.error ?? undefined}>
        {text}
      </output>
    </div>
  );
}
