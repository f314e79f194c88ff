// 1-D landscape: the loss along one direction (d3-scale + d3-shape line), with the current prediction marked.
import { line, scaleLinear } from 'd3';
import type { LandscapeResult } from '../../../src';
import { formatNumber } from '../../format-number';
import { FRAME, inner } from './chart-frame';
import { LineChartFrame } from './LineChartFrame';

export function LandscapeLine({ result }: { result: LandscapeResult }) {
  const axis = result.axes[0];
  if (!axis) return null;
  const { x0, x1, y0, y1 } = inner(FRAME);
  const coords = Array.from(axis.coords);
  const values = Array.from(result.values);
  const x = scaleLinear()
    .domain([coords[0]!, coords[coords.length - 1]!])
    .range([x0, x1]);
  const lo = Number.isFinite(result.min) ? result.min : 0;
  const hi = Number.isFinite(result.max) ? result.max : 1;
  const pad = hi > lo ? 0.05 * (hi - lo) : Math.max(1e-6, Math.abs(hi) * 0.05);
  const y = scaleLinear()
    .domain([lo - pad, hi + pad])
    .range([y0, y1])
    .nice();
  // Non-finite values leave gaps in the curve (line.defined), and are counted below the chart.
  const path = line<number>()
    .defined((v) => Number.isFinite(v))
    .x((_, i) => x(coords[i]!))
    .y((v) => y(v))(values);
  const showOrigin = coords[0]! <= 0 && 0 <= coords[coords.length - 1]!;
  const showGt = axis.direction === 'towards-gt' && coords[0]! <= 1 && 1 <= coords[coords.length - 1]!;
  return (
    <svg
      className="landscape-chart"
      viewBox={`0 0 ${FRAME.width} ${FRAME.height}`}
      role="img"
      aria-label={`Loss along ${axis.name}: from ${formatNumber(values[0])} to ${formatNumber(values[values.length - 1])}`}
      data-testid="landscape-line"
      data-values={values.join(',')}
      data-coords={coords.join(',')}
    >
      <LineChartFrame x={x} y={y} coords={coords} />
      {showGt && (
        <text x={x(1)} y={y1 + 12} textAnchor="middle" className="tick">
          GT
        </text>
      )}
      {path && <path d={path} className="curve" data-testid="landscape-curve" />}
      {values.map((v, i) =>
        Number.isFinite(v) ? (
          <circle key={coords[i]} cx={x(coords[i]!)} cy={y(v)} r={2} className="dot">
            <title>
              a = {formatNumber(coords[i], 4)}: L = {formatNumber(v, 6)}
            </title>
          </circle>
        ) : null,
      )}
      {showOrigin && Number.isFinite(result.origin) && (
        <circle cx={x(0)} cy={y(result.origin)} r={5} className="origin-marker" data-testid="landscape-origin">
          <title>current prediction: L = {formatNumber(result.origin, 6)}</title>
        </circle>
      )}
      <text x={(x0 + x1) / 2} y={FRAME.height - 6} textAnchor="middle" className="axis-label">
        a: {axis.shortLabel}
      </text>
      <text transform={`translate(14,${(y0 + y1) / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">
        loss value L
      </text>
    </svg>
  );
}
