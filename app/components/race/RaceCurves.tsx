// Loss (min–max normalised per racer over the race) and Dice score against the step, with the shown step marked,
// a hover read-out and click-to-show (d3 scales and line paths).
import * as d3 from 'd3';
import { useState } from 'react';
import type { RaceTrajectory } from '../../../src';
import { formatNumber } from '../../format-number';

const W = 560;
const H = 200;
const M = { left: 48, right: 12, top: 10, bottom: 30 };

/** (L − min) / (max − min) over the racer's finite values; a flat curve is 0. */
export function minMaxNormalise(values: Float32Array): number[] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values)
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  return Array.from(values, (v) => (Number.isFinite(v) ? (hi > lo ? (v - lo) / (hi - lo) : 0) : Number.NaN));
}

function Chart({
  title,
  series,
  colours,
  steps,
  step,
  yLabel,
  onStep,
  testId,
}: {
  title: string;
  series: number[][];
  colours: string[];
  steps: number;
  step: number;
  yLabel: string;
  onStep: (t: number) => void;
  testId: string;
}) {
  const [hover, setHover] = useState<number | null>(null);
  const x = d3
    .scaleLinear()
    .domain([0, Math.max(1, steps)])
    .range([M.left, W - M.right]);
  const y = d3
    .scaleLinear()
    .domain([0, 1])
    .range([H - M.bottom, M.top]);
  const line = d3
    .line<number>()
    .defined((v) => Number.isFinite(v))
    .x((_, i) => x(i))
    .y((v) => y(v));
  const at = (ev: React.MouseEvent<SVGSVGElement>) => {
    const box = ev.currentTarget.getBoundingClientRect();
    const px = ((ev.clientX - box.left) / box.width) * W;
    return Math.max(0, Math.min(steps, Math.round(x.invert(px))));
  };
  const t = hover ?? step;
  return (
    <figure className="race-chart">
      <figcaption>{title}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={title}
        data-testid={testId}
        onMouseMove={(ev) => setHover(at(ev))}
        onMouseLeave={() => setHover(null)}
        onClick={(ev) => onStep(at(ev))}
        onKeyDown={(ev) => {
          if (ev.key === 'ArrowLeft') onStep(Math.max(0, step - 1));
          if (ev.key === 'ArrowRight') onStep(Math.min(steps, step + 1));
        }}
      >
        {x.ticks(8).map((v) => (
          <g key={`x${v}`} transform={`translate(${x(v)},0)`}>
            <line y1={H - M.bottom} y2={M.top} className="grid" />
            <text y={H - M.bottom + 14} textAnchor="middle" className="tick">
              {v}
            </text>
          </g>
        ))}
        {y.ticks(4).map((v) => (
          <g key={`y${v}`} transform={`translate(0,${y(v)})`}>
            <line x1={M.left} x2={W - M.right} className="grid" />
            <text x={M.left - 6} dy="0.32em" textAnchor="end" className="tick">
              {v}
            </text>
          </g>
        ))}
        <text x={(M.left + W - M.right) / 2} y={H - 2} textAnchor="middle" className="tick">
          step
        </text>
        <text
          transform={`translate(12,${(H - M.bottom + M.top) / 2}) rotate(-90)`}
          textAnchor="middle"
          className="tick"
        >
          {yLabel}
        </text>
        {series.map((s, i) => (
          <path key={colours[i]} d={line(s) ?? ''} fill="none" stroke={colours[i]} strokeWidth={1.5} />
        ))}
        <line x1={x(step)} x2={x(step)} y1={M.top} y2={H - M.bottom} stroke="currentColor" strokeDasharray="3 3" />
        {hover !== null && <line x1={x(hover)} x2={x(hover)} y1={M.top} y2={H - M.bottom} stroke="#888" />}
      </svg>
      <p className="note" aria-live="off">
        step {t}:{' '}
        {series.map((s, i) => (
          <span key={colours[i]} style={{ color: colours[i], marginRight: 8 }}>
            {formatNumber(s[t] ?? Number.NaN, 3)}
          </span>
        ))}
      </p>
    </figure>
  );
}

export function RaceCurves({
  tr,
  step,
  colours,
  onStep,
}: {
  tr: RaceTrajectory;
  step: number;
  colours: string[];
  onStep: (t: number) => void;
}) {
  const steps = tr.settings.steps;
  return (
    <div className="race-curves">
      <Chart
        title="Loss, min–max normalised per racer over the race: (L(t) − min L) / (max L − min L)"
        series={tr.racers.map((r) => minMaxNormalise(r.loss))}
        colours={colours}
        steps={steps}
        step={step}
        yLabel="normalised loss"
        onStep={onStep}
        testId="race-loss-chart"
      />
      <Chart
        title="Mean foreground Dice score of the argmax prediction"
        series={tr.racers.map((r) => Array.from(r.dice))}
        colours={colours}
        steps={steps}
        step={step}
        yLabel="Dice"
        onStep={onStep}
        testId="race-dice-chart"
      />
    </div>
  );
}
