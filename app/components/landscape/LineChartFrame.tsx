// The grid, tick labels, frame and origin line shared by the 1-D landscape charts (single loss and compare).
import type { ScaleLinear } from 'd3';
import { formatNumber } from '../../format-number';
import { FRAME, type Frame, inner } from './chart-frame';

export function LineChartFrame({
  x,
  y,
  coords,
  frame = FRAME,
}: {
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  coords: number[];
  /** The plot geometry (default FRAME; a chart with a right-hand axis passes a wider right margin). */
  frame?: Frame;
}) {
  const { x0, x1, y0, y1 } = inner(frame);
  const showOrigin = coords[0]! <= 0 && 0 <= coords[coords.length - 1]!;
  return (
    <>
      {x.ticks(8).map((t) => (
        <g key={`x${t}`} transform={`translate(${x(t)},0)`}>
          <line y1={y0} y2={y1} className="grid" />
          <text y={y0 + 14} textAnchor="middle" className="tick">
            {formatNumber(t, 3)}
          </text>
        </g>
      ))}
      {y.ticks(6).map((t) => (
        <g key={`y${t}`} transform={`translate(0,${y(t)})`}>
          <line x1={x0} x2={x1} className="grid" />
          <text x={x0 - 6} dy="0.32em" textAnchor="end" className="tick">
            {formatNumber(t, 3)}
          </text>
        </g>
      ))}
      <rect x={x0} y={y1} width={x1 - x0} height={y0 - y1} className="frame" />
      {showOrigin && <line x1={x(0)} x2={x(0)} y1={y0} y2={y1} className="origin-line" />}
    </>
  );
}
