import { useEffect, useState } from 'react';
import { useStore } from '../../store';
import { pushHistory, type ValueHistory } from '../../view/history';

/** Recent values of every loss, one entry per compute update (kept in memory only). */
export function useValueHistory(): ValueHistory {
  const updates = useStore((s) => s.updates);
  const [history, setHistory] = useState<ValueHistory>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: one entry per update, read from the store then
  useEffect(() => {
    const results = useStore.getState().results;
    const values = Object.fromEntries(Object.entries(results).map(([id, r]) => [id, r?.value ?? null]));
    setHistory((h) => pushHistory(h, values));
  }, [updates]);
  return history;
}
