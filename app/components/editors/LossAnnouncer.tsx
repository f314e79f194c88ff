// A polite live region that tells screen-reader users the focused loss's value after an edit. It stays quiet
// while a stroke is in progress (values stream in on every pointer move) and speaks at most once a second.
import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { getLoss } from '../../../src';
import { useStore } from '../../store';
import { announceDelay, lossAnnouncement } from './announce';

export function LossAnnouncer() {
  const { focused, result, stroking, current } = useStore(
    useShallow((s) => ({
      focused: s.focusedLoss,
      result: s.results[s.focusedLoss],
      stroking: s.gestureBase !== null,
      // Never read out a value of an older state (it would sound like the result of the edit).
      current: s.results[s.focusedLoss]?.version === s.stateVersion,
    })),
  );
  const [text, setText] = useState('');
  const lastAt = useRef<number | null>(null);

  useEffect(() => {
    if (stroking || !current) return;
    const next = lossAnnouncement(getLoss(focused).name, result);
    if (next === null) return;
    const timer = setTimeout(
      () => {
        lastAt.current = performance.now();
        setText(next);
      },
      announceDelay(performance.now(), lastAt.current),
    );
    return () => clearTimeout(timer);
  }, [focused, result, stroking, current]);

  return (
    <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="loss-announcer">
      {text}
    </p>
  );
}
