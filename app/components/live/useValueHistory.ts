import { useEffect, useState } from 'react';
import { useStore } from '../../store';
import { pushHistory, type ValueHistory, valuesOfState } from '../../view/history';

/**
 * Recent values of every loss, one entry per complete update (kept in memory only). An update is complete when
 * every enabled loss shows a value of the state on screen (the bridge then sets `resultInputs`, a new object each
 * time): recorded earlier, when the focused value lands, every other loss would add its previous state's value.
 */
export function useValueHistory(): ValueHistory {
  const complete = useStore((s) => s.resultInputs);
  const [history, setHistory] = useState<ValueHistory>({});
  useEffect(() => {
    if (!complete) return;
    // read now, from the store: only values of the newest state (an edit may have come since the render)
    const s = useStore.getState();
    const values = valuesOfState(s.results, s.stateVersion);
    setHistory((h) => pushHistory(h, values));
  }, [complete]);
  return history;
}
