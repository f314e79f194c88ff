import { memo } from 'react';
import { formatNumber } from '../format-number';
import { divergingCss } from '../render/colormap';

/** The legend bar's CSS gradient: constant, computed once (d3's colour formatting on every heatmap render was not free). */
let gradient: string | null = null;
function legendGradient(): string {
  gradient ??= `linear-gradient(to right, ${Array.from({ length: 11 }, (_, i) => `${divergingCss(i / 10)} ${i * 10}%`).join(', ')})`;
  return gradient;
}

/**
 * Horizontal diverging scale −max … 0 … +max. Memoised: the heatmap re-renders when its map turns stale or
 * current, which changes neither prop.
 */
export const Legend = memo(function Legend({ max, label }: { max: number; label: string }) {
  return (
    <figure className="legend" aria-label={`${label}: colour scale from ${formatNumber(-max)} to ${formatNumber(max)}`}>
      <div className="legend-bar" style={{ background: legendGradient() }} />
      <div className="legend-ticks">
        <span>{formatNumber(-max, 3)}</span>
        <span>0</span>
        <span>{formatNumber(max, 3)}</span>
      </div>
      <figcaption>{label} — blue: raising it lowers the loss; red: raising it increases the loss</figcaption>
    </figure>
  );
});
