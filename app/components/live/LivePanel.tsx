import type { ReactNode } from 'react';
import { useLessons } from '../../lessons/state';
import { useStore } from '../../store';
import { HdEmptyNote } from '../lessons/HdEmptyNote';
import { FocusedValue } from './FocusedValue';
import { LiveList } from './LiveList';

/**
 * Beside the drawing: the focused value large, then `metrics` (a row of segmentation metrics, placed above the
 * list when another panel provides it), then the live list of every enabled loss.
 */
export function LivePanel({ metrics }: { metrics?: ReactNode }) {
  // Hausdorff loss can score an empty prediction better than a perfect one (reference behaviour): say so here
  // when it happens (an open lesson shows the same note in its own panel).
  const lessonOpen = useLessons((s) => s.lesson !== null);
  const hdOn = useStore((s) => s.enabled['hausdorff-distance'] === true);
  return (
    <section className="panel live-panel" aria-label="Live values">
      <FocusedValue />
      {metrics && <div className="metrics-slot">{metrics}</div>}
      <LiveList />
      {hdOn && !lessonOpen && <HdEmptyNote />}
      <a className="live-more" href="#table-title">
        Full table ↓
      </a>
    </section>
  );
}
