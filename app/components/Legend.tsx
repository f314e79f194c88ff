import { formatNumber } from '../format-number';
import { divergingCss } from '../render/colormap';

/** Horizontal diverging scale −max … 0 … +max. */
export function Legend({ max, label }: { max: number; label: string }) {
  const stops = Array.from({ length: 11 }, (_, i) => `${divergingCss(i / 10)} ${i * 10}%`).join(', ');
  return (
    <figure className="legend" aria-label={`${label}: colour scale from ${formatNumber(-max)} to ${formatNumber(max)}`}>
      <div className="legend-bar" style={{ background: `linear-gradient(to right, ${stops})` }} />
      <div className="legend-ticks">
        <span>{formatNumber(-max, 3)}</span>
        <span>0</span>
        <span>{formatNumber(max, 3)}</span>
      </div>
      <figcaption>{label} — blue: raising it lowers the loss; red: raising it increases the loss</figcaption>
    </figure>
  );
}
