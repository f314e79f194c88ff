import type { ReactNode } from 'react';
import { FocusedValue } from './FocusedValue';
import { LiveList } from './LiveList';

/**
 * Beside the drawing: the focused value large, then `metrics` (a row of segmentation metrics, placed above the
 * list when another panel provides it), then the live list of every enabled loss.
 */
export function LivePanel({ metrics }: { metrics?: ReactNode }) {
  return (
    <section className="panel live-panel" aria-label="Live values">
      <FocusedValue />
      {metrics && <div className="metrics-slot">{metrics}</div>}
      <LiveList />
      <a className="live-more" href="#table-title">
        Full table ↓
      </a>
    </section>
  );
}
