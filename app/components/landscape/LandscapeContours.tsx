// 2-D landscape: filled contours of the loss over the (a, b) grid (d3-contour), a sequential colour legend,
// and a cross at the current prediction (0, 0). Non-finite grid values are drawn as grey cells.
// Colour scale: linear, or logarithmic (contour levels spaced evenly in log L) when every value is positive —
// losses such as cross-entropy span orders of magnitude near a good prediction, which a linear scale hides.
import { contours, geoPath, interpolateViridis, scaleLinear, scaleSequential, scaleSequentialLog } from 'd3';
import type { LandscapeResult } from '../../../src';
import { formatNumber } from '../../format-number';
import { inner, SQUARE } from './chart-frame';

const LEVELS = 12;

export type ColourScale = 'linear' | 'log';

/** A log scale needs a positive minimum (and a range): otherwise the linear scale is used. */
export function logScaleApplies(result: LandscapeResult): boolean {
  return Number.isFinite(result.min) && result.min > 0 && Number.isFinite(result.max) && result.max > result.min;
}

/** Contour levels from lo up to (not including) hi: evenly spaced in L, or in log L. */
export function contourThresholds(lo: number, hi: number, scale: ColourScale, levels = LEVELS): number[] {
  if (scale === 'log') {
    const l0 = Math.log(lo);
    const l1 = Math.log(hi);
    return Array.from({ length: levels }, (_, i) => Math.exp(l0 + ((l1 - l0) * i) / levels));
  }
  return Array.from({ length: levels }, (_, i) => lo + ((hi - lo) * i) / levels);
}

export function LandscapeContours({ result, scale = 'linear' }: { result: LandscapeResult; scale?: ColourScale }) {
  const [ax, bx] = result.axes;
  if (!ax || !bx) return null;
  const { cols, rows } = result;
  const { x0, x1, y0, y1 } = inner(SQUARE);
  const a = Array.from(ax.coords);
  const b = Array.from(bx.coords);
  const x = scaleLinear()
    .domain([a[0]!, a[cols - 1]!])
    .range([x0, x1]);
  const y = scaleLinear()
    .domain([b[0]!, b[rows - 1]!])
    .range([y0, y1]);
  const lo = Number.isFinite(result.min) ? result.min : 0;
  const hi = Number.isFinite(result.max) && result.max > lo ? result.max : lo + 1e-6;
  const useLog = scale === 'log' && logScaleApplies(result);
  const colour = useLog
    ? scaleSequentialLog(interpolateViridis).domain([lo, hi])
    : scaleSequential(interpolateViridis).domain([lo, hi]);
  // Non-finite cells are filled with the maximum for the contouring (so they never pose as a low-loss basin)
  // and drawn grey on top.
  const filled = Array.from(result.values, (v) => (Number.isFinite(v) ? v : hi));
  const thresholds = contourThresholds(lo, hi, useLog ? 'log' : 'linear');
  const bands = contours().size([cols, rows]).thresholds(thresholds)(filled);
  // d3-contour puts grid value (i, j) at (i + 0.5, j + 0.5); map that to (a_i, b_j) on screen.
  const da = (x(a[cols - 1]!) - x(a[0]!)) / (cols - 1);
  const db = (y(b[rows - 1]!) - y(b[0]!)) / (rows - 1);
  const toScreen = (u: number, v: number): [number, number] => [x0 + (u - 0.5) * da, y0 + (v - 0.5) * db];
  const path = geoPath();
  const screenBands = bands.map((band) => ({
    value: band.value,
    d:
      path({
        type: 'MultiPolygon',
        coordinates: band.coordinates.map((poly) => poly.map((ring) => ring.map(([u, v]) => toScreen(u ?? 0, v ?? 0)))),
      }) ?? '',
  }));
  const nonFinite: { i: number; j: number }[] = [];
  result.values.forEach((v, k) => {
    if (!Number.isFinite(v)) nonFinite.push({ i: k % cols, j: Math.floor(k / cols) });
  });
  const showOrigin = a[0]! <= 0 && 0 <= a[cols - 1]! && b[0]! <= 0 && 0 <= b[rows - 1]!;
  const legendX = x1 + 24;
  const legendH = y0 - y1;
  return (
    <svg
      className="landscape-chart"
      viewBox={`0 0 ${SQUARE.width} ${SQUARE.height}`}
      role="img"
      aria-label={`Filled contours of the loss over a ${cols}×${rows} grid, from ${formatNumber(result.min)} to ${formatNumber(result.max)}`}
      data-testid="landscape-contours"
      data-scale={useLog ? 'log' : 'linear'}
    >
      <defs>
        <clipPath id="landscape-clip">
          <rect x={x0} y={y1} width={x1 - x0} height={y0 - y1} />
        </clipPath>
      </defs>
      <g clipPath="url(#landscape-clip)">
        {screenBands.map((band) => (
          <path key={band.value} d={band.d} fill={colour(band.value)} className="band" data-testid="landscape-band" />
        ))}
        {nonFinite.map(({ i, j }) => (
          <rect
            key={`${i},${j}`}
            x={x0 + (i - 0.5) * da}
            y={y0 + (j + 0.5) * db}
            width={da}
            height={-db}
            className="nonfinite-cell"
          >
            <title>non-finite value</title>
          </rect>
        ))}
      </g>
      {x.ticks(6).map((t) => (
        <text key={`x${t}`} x={x(t)} y={y0 + 14} textAnchor="middle" className="tick">
          {formatNumber(t, 3)}
        </text>
      ))}
      {y.ticks(6).map((t) => (
        <text key={`y${t}`} x={x0 - 6} y={y(t)} dy="0.32em" textAnchor="end" className="tick">
          {formatNumber(t, 3)}
        </text>
      ))}
      <rect x={x0} y={y1} width={x1 - x0} height={y0 - y1} className="frame" />
      {showOrigin && (
        <g transform={`translate(${x(0)},${y(0)})`} className="origin-cross" data-testid="landscape-origin">
          <path d="M-7,0H7M0,-7V7" />
          <circle r={3} />
          <title>current prediction (0, 0): L = {formatNumber(result.origin, 6)}</title>
        </g>
      )}
      <text x={(x0 + x1) / 2} y={SQUARE.height - 6} textAnchor="middle" className="axis-label">
        a: {ax.shortLabel}
      </text>
      <text transform={`translate(14,${(y0 + y1) / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">
        b: {bx.shortLabel}
      </text>
      <g
        transform={`translate(${legendX},${y1})`}
        aria-label={`colour scale of L from ${formatNumber(lo)} to ${formatNumber(hi)}`}
      >
        {thresholds.map((t, i) => (
          <rect
            key={t}
            x={0}
            y={legendH - ((i + 1) * legendH) / LEVELS}
            width={14}
            height={legendH / LEVELS + 0.5}
            fill={colour(t)}
          />
        ))}
        <rect x={0} y={0} width={14} height={legendH} className="frame" />
        <text x={18} y={legendH} dy="0.32em" className="tick">
          {formatNumber(lo, 3)}
        </text>
        <text x={18} y={0} dy="0.32em" className="tick">
          {formatNumber(hi, 3)}
        </text>
        <text x={18} y={legendH / 2} dy="0.32em" className="tick">
          {useLog ? 'L (log)' : 'L'}
        </text>
      </g>
    </svg>
  );
}
