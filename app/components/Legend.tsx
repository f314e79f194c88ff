import { divergingCss } from '../render/colormap';

export function formatNumber(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(digits - 1);
  return v.toPrecision(digits);
}

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
