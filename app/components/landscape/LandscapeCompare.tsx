// "Compare losses": several losses along one line from the current prediction, normalised onto one axis
// (d3-scale + d3-shape, colours from d3's Tableau10 scheme), so a learner sees which loss falls fastest towards
// the ground truth, which rewards over-confidence, and so on. Computed on request in the compute worker.
import { line, scaleLinear, schemeTableau10 } from 'd3';
import type { LossId } from '../../../src';
import { getLoss, IMPLEMENTED_LOSSES } from '../../../src';
import { useComputeHost } from '../../compute/host-context';
import { computeComparison } from '../../compute/landscape/client';
import { formatNumber } from '../../format-number';
import { useStore } from '../../store';
import { FRAME, inner } from './chart-frame';
import { compareInputError, compareLosses, useCompare } from './compare-state';
import { DirectionSelect, NumberField } from './fields';
import { LineChartFrame } from './LineChartFrame';
import { type LineNormalisation, NORMALISATIONS, normaliseLine } from './normalise';
import { POINTS_MAX, POINTS_MIN } from './state';

export const colourOf = (i: number) => schemeTableau10[i % schemeTableau10.length]!;

interface DrawnLine {
  id: LossId;
  colour: string;
  values: number[];
}

function CompareChart(props: { coords: number[]; lines: DrawnLine[]; how: LineNormalisation; axisLabel: string }) {
  const { coords, lines, how } = props;
  const { x0, x1, y0, y1 } = inner(FRAME);
  const x = scaleLinear()
    .domain([coords[0]!, coords[coords.length - 1]!])
    .range([x0, x1]);
  const finite = lines.flatMap((l) => l.values.filter(Number.isFinite));
  const lo = Math.min(how === 'minmax' ? 0 : 1, ...finite);
  const hi = Math.max(1, ...finite);
  const pad = 0.05 * (hi - lo || 1);
  const y = scaleLinear()
    .domain([lo - pad, hi + pad])
    .range([y0, y1])
    .nice();
  const showOrigin = coords[0]! <= 0 && 0 <= coords[coords.length - 1]!;
  const i0 = coords.indexOf(0);
  return (
    <svg
      className="landscape-chart"
      viewBox={`0 0 ${FRAME.width} ${FRAME.height}`}
      role="img"
      aria-label={`${lines.length} losses along one line, normalised: ${NORMALISATIONS[how].axis}`}
      data-testid="compare-chart"
      data-coords={coords.join(',')}
    >
      <LineChartFrame x={x} y={y} coords={coords} />
      {lines.map((l) => {
        const d = line<number>()
          .defined((v) => Number.isFinite(v))
          .x((_, i) => x(coords[i]!))
          .y((v) => y(v))(l.values);
        return d ? (
          <path
            key={l.id}
            d={d}
            className="compare-curve"
            stroke={l.colour}
            data-testid="compare-curve"
            data-loss-id={l.id}
            data-values={l.values.join(',')}
          >
            <title>{getLoss(l.id).name}</title>
          </path>
        ) : null;
      })}
      {i0 >= 0 &&
        lines.map((l) =>
          Number.isFinite(l.values[i0]) ? (
            <circle
              key={l.id}
              cx={x(0)}
              cy={y(l.values[i0]!)}
              r={4}
              className="compare-origin"
              stroke={l.colour}
              data-testid="compare-origin"
            >
              <title>
                current prediction, {getLoss(l.id).name}: {formatNumber(l.values[i0], 5)}
              </title>
            </circle>
          ) : null,
        )}
      {showOrigin && (
        <text x={x(0)} y={y1 + 12} textAnchor="middle" className="tick">
          now
        </text>
      )}
      <text x={(x0 + x1) / 2} y={FRAME.height - 6} textAnchor="middle" className="axis-label">
        a: {props.axisLabel}
      </text>
      <text transform={`translate(14,${(y0 + y1) / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">
        {NORMALISATIONS[how].axis}
      </text>
    </svg>
  );
}

/** A fold-out list of checkboxes, one per implemented loss (shared with the named-axes and pixel-curve views). */
export function LossPicker({
  chosen,
  onChange,
  testId = 'compare-loss',
  summary = 'Losses to compare',
}: {
  chosen: LossId[];
  onChange: (ids: LossId[]) => void;
  testId?: string;
  summary?: string;
}) {
  return (
    <details className="compare-picker">
      <summary>
        {summary} ({chosen.length})
      </summary>
      <div className="compare-picker-list">
        {IMPLEMENTED_LOSSES.map((d) => (
          <label key={d.id}>
            <input
              type="checkbox"
              checked={chosen.includes(d.id)}
              onChange={(e) => onChange(e.target.checked ? [...chosen, d.id] : chosen.filter((id) => id !== d.id))}
              data-testid={testId}
              data-loss-id={d.id}
            />{' '}
            {d.name}
          </label>
        ))}
      </div>
    </details>
  );
}

export function LandscapeCompare() {
  const host = useComputeHost();
  const multiples = useStore((s) => s.multiples);
  const backendStatus = useStore((s) => s.backendStatus);
  const c = useCompare();
  const { settings, setSettings } = c;
  const chosen = compareLosses(settings, multiples);
  const bad = compareInputError(settings, chosen);
  const r = c.result;
  // A boolean, not the masks: an edit re-renders this panel (25 checkboxes) only when it turns stale.
  const stale = useStore((s) => !!(r && c.inputs && (c.inputs.target !== s.target || c.inputs.logits !== s.logits)));
  const how = settings.normalisation;

  const drawn: DrawnLine[] = [];
  const notes: { id: LossId; text: string }[] = [];
  let coords: number[] = [];
  let axisLabel = '';
  r?.lines.forEach((entry, i) => {
    const colour = colourOf(i);
    if (!entry.result) {
      notes.push({ id: entry.lossId, text: entry.error ?? 'not computed' });
      return;
    }
    const axis = entry.result.axes[0];
    if (axis) {
      coords = Array.from(axis.coords);
      axisLabel = axis.shortLabel;
    }
    const n = normaliseLine(entry.result, how);
    if ('error' in n) notes.push({ id: entry.lossId, text: `not drawn: ${n.error}` });
    else drawn.push({ id: entry.lossId, colour, values: n.values });
  });

  return (
    <section className="landscape-compare" aria-labelledby="compare-title" data-testid="compare-panel">
      <h3 id="compare-title">Compare losses along one line</h3>
      <p className="note">
        How does each loss respond as the prediction moves towards the ground truth, or gets more or less confident?
        Every loss is evaluated at the same logits z + a·d; the values are normalised so that losses of very different
        scales share one axis.
      </p>
      <div className="controls landscape-controls">
        <LossPicker chosen={chosen} onChange={(losses) => setSettings({ losses })} />
        <DirectionSelect
          label="a along"
          value={settings.direction}
          onChange={(direction) => setSettings({ direction })}
          testId="compare-direction"
        />
        <NumberField
          label="from"
          value={settings.from}
          onValue={(from) => setSettings({ from })}
          testId="compare-from"
        />
        <NumberField label="to" value={settings.to} onValue={(to) => setSettings({ to })} testId="compare-to" />
        <NumberField
          label="points"
          value={settings.points}
          onValue={(points) => setSettings({ points })}
          step={1}
          min={POINTS_MIN}
          max={POINTS_MAX}
          testId="compare-points"
        />
        <label>
          normalise{' '}
          <select
            value={how}
            onChange={(e) => setSettings({ normalisation: e.target.value as LineNormalisation })}
            data-testid="compare-normalisation"
          >
            {(Object.keys(NORMALISATIONS) as LineNormalisation[]).map((k) => (
              <option key={k} value={k}>
                {NORMALISATIONS[k].label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {bad && (
        <p role="alert" className="error" data-testid="compare-input-error">
          {bad}
        </p>
      )}
      <div className="controls">
        <button
          type="button"
          onClick={() => void computeComparison(host)}
          disabled={bad !== null || backendStatus !== 'ready'}
          data-testid="compare-compute"
        >
          Compare {chosen.length} losses
        </button>
        <output className="muted" data-testid="compare-status" data-status={c.status} aria-live="polite">
          {c.status === 'running' && c.progress
            ? `Computing… ${c.progress.done} / ${c.progress.total} evaluations`
            : c.status === 'done' && r
              ? `${r.evaluations} evaluations in ${c.wallMs === null ? '?' : c.wallMs.toFixed(0)} ms`
              : ''}
        </output>
      </div>
      {c.status === 'error' && c.error && (
        <p role="alert" className="error" data-testid="compare-error">
          {c.error}
        </p>
      )}
      {r && (
        <div className={stale ? 'landscape-result stale' : 'landscape-result'} data-testid="compare-result">
          {stale && (
            <p className="landscape-stale" data-testid="compare-stale">
              Stale: the masks changed since; press Compare to update.
            </p>
          )}
          <p className="landscape-description" data-testid="compare-normalisation-note" data-normalisation={how}>
            Normalised: {NORMALISATIONS[how].explain}.
          </p>
          {coords.length > 0 && drawn.length > 0 && (
            <CompareChart coords={coords} lines={drawn} how={how} axisLabel={axisLabel} />
          )}
          <ul className="compare-legend" data-testid="compare-legend">
            {drawn.map((l) => (
              <li key={l.id} data-loss-id={l.id} data-testid="compare-legend-item">
                <span className="compare-swatch" style={{ background: l.colour }} aria-hidden="true" />
                {getLoss(l.id).name}
              </li>
            ))}
          </ul>
          {notes.map((n) => (
            <p key={n.id} role="alert" className="error" data-testid="compare-loss-error" data-loss-id={n.id}>
              {getLoss(n.id).name}: {n.text}
            </p>
          ))}
        </div>
      )}
    </section>
  );
}
