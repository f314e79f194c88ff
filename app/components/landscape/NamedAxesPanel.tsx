// "Named axes": losses and metrics along named transformations of the prediction (shift, blur, dilate/erode,
// temperature, FN/FP mass; src/landscape/transforms.ts). 1-D: many losses + the argmax Dice score and IoU on one
// chart, optionally min–max normalised. 2-D: filled contours of the focused loss over two named axes with
// Dice-score iso-lines, the base prediction marked; a click sets the prediction to that point (one undo step).
import { contours, geoPath, interpolateViridis, line, scaleLinear, scaleSequential } from 'd3';
import { useId } from 'react';
import {
  getLoss,
  isImplemented,
  NAMED_TRANSFORMS,
  type NamedLandscapeResult,
  type NamedTransform,
  TRANSFORM_INFO,
  type TransformBase,
} from '../../../src';
import { useComputeHost } from '../../compute/host-context';
import { adoptNamedPoint, cancelLandscape, computeNamed } from '../../compute/landscape/client';
import { formatNumber } from '../../format-number';
import { useStore } from '../../store';
import { FRAME, inner, SQUARE } from './chart-frame';
import { NumberField } from './fields';
import { colourOf, LossPicker } from './LandscapeCompare';
import { LineChartFrame } from './LineChartFrame';
import { NAMED_POINTS_MAX, NAMED_POINTS_MIN, type NamedSettings, namedAxisSpecs, useNamed } from './named-state';

const DICE_LEVELS = [0.1, 0.25, 0.5, 0.75, 0.9];

interface Series {
  id: string;
  label: string;
  colour: string;
  raw: number[];
  shown: number[];
  dashed: boolean;
  /** A distance in px (HD95, HD): on the right-hand px axis unless normalised. */
  px: boolean;
}

/** (v − min) / (max − min) over the finite values; a flat series is drawn at 0. */
export function minMax(values: readonly number[]): number[] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return values.map(() => Number.NaN);
  const lo = Math.min(...finite);
  const span = Math.max(...finite) - lo;
  return values.map((v) => (Number.isFinite(v) ? (span > 0 ? (v - lo) / span : 0) : Number.NaN));
}

function seriesOf(r: NamedLandscapeResult, metrics: boolean, normalise: boolean): Series[] {
  const out: Series[] = [];
  r.losses.forEach((l, i) => {
    if (!l.values) return;
    const raw = Array.from(l.values);
    out.push({
      id: l.lossId,
      label: getLoss(l.lossId).name,
      colour: colourOf(i),
      raw,
      shown: normalise ? minMax(raw) : raw,
      dashed: false,
      px: false,
    });
  });
  if (metrics) {
    // All from src/metrics: Dice/IoU of the argmax (tensors), HD95/HD of its surfaces (labelMetrics, NaN where
    // undefined: a gap in the line).
    for (const [id, label, values, colour, px] of [
      ['dice', 'Dice score (argmax)', r.dice, '#000000', false],
      ['iou', 'IoU (argmax)', r.iou, '#777777', false],
      ['hd95', 'HD95 (argmax, px)', r.hd95, '#8b4513', true],
      ['hd', 'HD (argmax, px)', r.hd, '#c08040', true],
    ] as const) {
      if (!values) continue;
      const raw = Array.from(values);
      out.push({ id: `metric:${id}`, label, colour, raw, shown: normalise ? minMax(raw) : raw, dashed: true, px });
    }
  }
  return out;
}

function NamedLineChart({ r, series, normalise }: { r: NamedLandscapeResult; series: Series[]; normalise: boolean }) {
  const axis = r.axes[0];
  if (!axis) return null;
  const coords = Array.from(axis.coords);
  // Unnormalised distances (px) get their own axis on the right, so they do not squash the losses.
  const pxAxis = !normalise && series.some((s) => s.px);
  const frame = pxAxis ? { ...FRAME, right: 52 } : FRAME;
  const { x0, x1, y0, y1 } = inner(frame);
  const x = scaleLinear()
    .domain([coords[0]!, coords[coords.length - 1]!])
    .range([x0, x1]);
  const finite = series.filter((s) => !(pxAxis && s.px)).flatMap((s) => s.shown.filter(Number.isFinite));
  const lo = Math.min(0, ...finite);
  const hi = Math.max(1, ...finite);
  const y = scaleLinear()
    .domain([lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)])
    .range([y0, y1])
    .nice();
  const pxMax = Math.max(1, ...series.filter((s) => s.px).flatMap((s) => s.shown.filter(Number.isFinite)));
  const yPx = scaleLinear()
    .domain([0, pxMax * 1.05])
    .range([y0, y1])
    .nice();
  return (
    <svg
      className="landscape-chart"
      viewBox={`0 0 ${FRAME.width} ${FRAME.height}`}
      role="img"
      aria-label={`${series.length} series along ${axis.label}`}
      data-testid="named-chart"
      data-coords={coords.join(',')}
      data-normalised={normalise ? 'minmax' : 'none'}
    >
      <LineChartFrame x={x} y={y} coords={coords} frame={frame} />
      {pxAxis && (
        <g data-testid="named-px-axis">
          {yPx.ticks(6).map((t) => (
            <text key={t} x={x1 + 6} y={yPx(t)} dy="0.32em" className="tick">
              {formatNumber(t, 3)}
            </text>
          ))}
          <text
            transform={`translate(${frame.width - 8},${(y0 + y1) / 2}) rotate(90)`}
            textAnchor="middle"
            className="axis-label"
          >
            HD95, HD (px)
          </text>
        </g>
      )}
      {series.map((s) => {
        const ys = pxAxis && s.px ? yPx : y;
        const d = line<number>()
          .defined((v) => Number.isFinite(v))
          .x((_, i) => x(coords[i]!))
          .y((v) => ys(v))(s.shown);
        return (
          <path
            key={s.id}
            d={d ?? ''}
            className="compare-curve"
            stroke={s.colour}
            strokeDasharray={s.dashed ? '5 3' : undefined}
            data-testid="named-series"
            data-series={s.id}
            data-values={s.raw.join(',')}
            data-axis={pxAxis && s.px ? 'px' : 'left'}
          >
            <title>{s.label}</title>
          </path>
        );
      })}
      <text x={(x0 + x1) / 2} y={FRAME.height - 6} textAnchor="middle" className="axis-label">
        {axis.label}
      </text>
      <text transform={`translate(14,${(y0 + y1) / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">
        {normalise ? 'min–max normalised to [0, 1] per series' : 'value (not normalised)'}
      </text>
    </svg>
  );
}

function NamedGrid({ r, onPick }: { r: NamedLandscapeResult; onPick: (a: number, b: number) => void }) {
  const [ax, bx] = r.axes;
  const values = r.losses[0]?.values;
  if (!ax || !bx || !values) return null;
  const { cols, rows } = r;
  const { x0, x1, y0, y1 } = inner(SQUARE);
  const a = Array.from(ax.coords);
  const b = Array.from(bx.coords);
  const x = scaleLinear()
    .domain([a[0]!, a[cols - 1]!])
    .range([x0, x1]);
  const y = scaleLinear()
    .domain([b[0]!, b[rows - 1]!])
    .range([y0, y1]);
  const finite = Array.from(values).filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0;
  const hiRaw = finite.length ? Math.max(...finite) : 1;
  const hi = hiRaw > lo ? hiRaw : lo + 1e-6;
  const colour = scaleSequential(interpolateViridis).domain([lo, hi]);
  const thresholds = Array.from({ length: 12 }, (_, i) => lo + ((hi - lo) * i) / 12);
  const da = (x(a[cols - 1]!) - x(a[0]!)) / (cols - 1);
  const db = (y(b[rows - 1]!) - y(b[0]!)) / (rows - 1);
  const toScreen = (u: number, v: number): [number, number] => [x0 + (u - 0.5) * da, y0 + (v - 0.5) * db];
  const path = geoPath();
  const draw = (coordinates: number[][][][]) =>
    path({
      type: 'MultiPolygon',
      coordinates: coordinates.map((poly) => poly.map((ring) => ring.map(([u, v]) => toScreen(u ?? 0, v ?? 0)))),
    }) ?? '';
  const bands = contours().size([cols, rows]).thresholds(thresholds)(
    Array.from(values, (v) => (Number.isFinite(v) ? v : hi)),
  );
  const iso = contours().size([cols, rows]).thresholds(DICE_LEVELS)(
    Array.from(r.dice, (v) => (Number.isFinite(v) ? v : 0)),
  );
  const hasOrigin = a[0]! <= 0 && 0 <= a[cols - 1]! && b[0]! <= 0 && 0 <= b[rows - 1]!;
  const lossName = getLoss(r.losses[0]?.lossId ?? 'dice').name;
  const pick = (e: React.MouseEvent<SVGRectElement>) => {
    const svg = e.currentTarget.ownerSVGElement;
    const m = svg?.getScreenCTM();
    if (!svg || !m) return;
    const pt = new DOMPoint(e.clientX, e.clientY).matrixTransform(m.inverse());
    // Snap to the nearest grid point: the value shown there is the one the prediction will have.
    const i = Math.round((pt.x - x0) / da);
    const j = Math.round((pt.y - y0) / db);
    const ai = a[Math.min(cols - 1, Math.max(0, i))]!;
    const bj = b[Math.min(rows - 1, Math.max(0, j))]!;
    onPick(ai, bj);
  };
  return (
    <svg
      className="landscape-chart"
      viewBox={`0 0 ${SQUARE.width} ${SQUARE.height}`}
      role="img"
      aria-label={`${lossName} over a ${cols}×${rows} grid of ${ax.label} and ${bx.label}, with Dice-score iso-lines`}
      data-testid="named-grid"
      data-cols={cols}
      data-rows={rows}
    >
      <defs>
        <clipPath id="named-clip">
          <rect x={x0} y={y1} width={x1 - x0} height={y0 - y1} />
        </clipPath>
      </defs>
      <g clipPath="url(#named-clip)">
        {bands.map((band) => (
          <path key={band.value} d={draw(band.coordinates)} fill={colour(band.value)} data-testid="named-band" />
        ))}
        {iso.map((c) => (
          <path
            key={c.value}
            d={draw(c.coordinates)}
            className="dice-iso"
            fill="none"
            stroke="white"
            strokeDasharray="4 2"
            data-testid="named-dice-iso"
            data-level={c.value}
          >
            <title>Dice score = {c.value}</title>
          </path>
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
      {/* biome-ignore lint/a11y/noStaticElementInteractions: picking a point on a chart is pointer-only; the same point is reachable by typing the axis ranges */}
      <rect
        x={x0}
        y={y1}
        width={x1 - x0}
        height={y0 - y1}
        className="named-click"
        fill="transparent"
        stroke="#555"
        style={{ cursor: 'crosshair', pointerEvents: 'all' }}
        onClick={pick}
        data-testid="named-click-area"
      >
        <title>click: set the prediction to this point (one undo step)</title>
      </rect>
      {hasOrigin && (
        <g
          transform={`translate(${x(0)},${y(0)})`}
          className="origin-cross"
          data-testid="named-origin"
          pointerEvents="none"
        >
          <path d="M-7,0H7M0,-7V7" />
          <circle r={3} />
          <title>{r.base === 'prediction' ? 'the current prediction' : 'the perfect prediction'} (0, 0)</title>
        </g>
      )}
      <text x={(x0 + x1) / 2} y={SQUARE.height - 6} textAnchor="middle" className="axis-label">
        a: {ax.label}
      </text>
      <text transform={`translate(14,${(y0 + y1) / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">
        b: {bx.label}
      </text>
      <g transform={`translate(${x1 + 24},${y1})`}>
        {thresholds.map((t, i) => (
          <rect
            key={t}
            x={0}
            y={(y0 - y1) * (1 - (i + 1) / 12)}
            width={14}
            height={(y0 - y1) / 12 + 0.5}
            fill={colour(t)}
          />
        ))}
        <text x={18} y={y0 - y1} dy="0.32em" className="tick">
          {formatNumber(lo, 3)}
        </text>
        <text x={18} y={0} dy="0.32em" className="tick">
          {formatNumber(hi, 3)}
        </text>
      </g>
    </svg>
  );
}

function AxisControls({
  which,
  settings,
  set,
}: {
  which: 'A' | 'B';
  settings: NamedSettings;
  set: (p: Partial<NamedSettings>) => void;
}) {
  const t = which === 'A' ? settings.axisA : settings.axisB;
  const from = which === 'A' ? settings.fromA : settings.fromB;
  const to = which === 'A' ? settings.toA : settings.toB;
  const lower = which.toLowerCase();
  return (
    <>
      <label>
        {lower} along{' '}
        <select
          value={t}
          data-testid={`named-axis-${lower}`}
          onChange={(e) => {
            const next = e.target.value as NamedTransform;
            const [f, g] = TRANSFORM_INFO[next].defaultRange;
            set(which === 'A' ? { axisA: next, fromA: f, toA: g } : { axisB: next, fromB: f, toB: g });
          }}
        >
          {NAMED_TRANSFORMS.map((k) => (
            <option key={k} value={k} title={TRANSFORM_INFO[k].definition}>
              {TRANSFORM_INFO[k].name} ({TRANSFORM_INFO[k].unit})
            </option>
          ))}
        </select>
      </label>
      <NumberField
        key={`from-${t}`}
        label="from"
        value={from}
        onValue={(v) => set(which === 'A' ? { fromA: v } : { fromB: v })}
        testId={`named-from-${lower}`}
      />
      <NumberField
        key={`to-${t}`}
        label="to"
        value={to}
        onValue={(v) => set(which === 'A' ? { toA: v } : { toB: v })}
        testId={`named-to-${lower}`}
      />
    </>
  );
}

export function NamedAxesPanel() {
  const host = useComputeHost();
  const focused = useStore((s) => s.focusedLoss);
  const backendStatus = useStore((s) => s.backendStatus);
  const n = useNamed();
  const { settings, setSettings: set } = n;
  const name = useId();
  const spec = namedAxisSpecs(settings, focused);
  const r = n.result;
  // A boolean, not the masks: an edit re-renders this panel only when it turns stale.
  const stale = useStore((s) => !!(r && n.inputs && (n.inputs.target !== s.target || n.inputs.logits !== s.logits)));
  const pointsKey = settings.dims === 1 ? 'points1d' : 'points2d';
  const canCompute =
    !('error' in spec) && backendStatus === 'ready' && (settings.dims === 1 || isImplemented(getLoss(focused)));
  const series = r && r.dims === 1 ? seriesOf(r, settings.metrics, settings.normalise) : [];
  return (
    <section className="landscape-compare" aria-labelledby="named-title" data-testid="named-panel">
      <h3 id="named-title">Landscapes along named axes</h3>
      <p className="note">
        The losses at named transformations of the {settings.base === 'prediction' ? 'current' : 'perfect'} prediction:
        shift, blur, dilate/erode, temperature, false-negative mass removed, false-positive mass added (axis a first,
        then b). 0 on every axis is the untransformed prediction.
      </p>
      <div className="controls landscape-controls">
        <fieldset className="segmented">
          <legend className="sr-only">Line or grid</legend>
          <label>
            <input
              type="radio"
              name={name}
              checked={settings.dims === 1}
              onChange={() => set({ dims: 1 })}
              data-testid="named-1d"
            />{' '}
            1-D, many losses
          </label>
          <label>
            <input
              type="radio"
              name={name}
              checked={settings.dims === 2}
              onChange={() => set({ dims: 2 })}
              data-testid="named-2d"
            />{' '}
            2-D, focused loss
          </label>
        </fieldset>
        <label>
          start from{' '}
          <select
            value={settings.base}
            onChange={(e) => set({ base: e.target.value as TransformBase })}
            data-testid="named-base"
          >
            <option value="prediction">the current prediction</option>
            <option value="ground-truth">the perfect prediction (from the GT)</option>
          </select>
        </label>
        <AxisControls which="A" settings={settings} set={set} />
        {settings.dims === 2 && <AxisControls which="B" settings={settings} set={set} />}
        <NumberField
          key={pointsKey}
          label={settings.dims === 1 ? 'points' : 'points per axis'}
          value={settings[pointsKey]}
          onValue={(v) => set({ [pointsKey]: v })}
          step={1}
          min={NAMED_POINTS_MIN}
          max={NAMED_POINTS_MAX}
          testId="named-points"
        />
        {settings.dims === 1 && (
          <>
            <LossPicker
              chosen={settings.losses}
              onChange={(losses) => set({ losses })}
              testId="named-loss"
              summary="Losses"
            />
            <label>
              <input
                type="checkbox"
                checked={settings.metrics}
                onChange={(e) => set({ metrics: e.target.checked })}
                data-testid="named-metrics"
              />{' '}
              metrics: Dice, IoU, HD95, HD
            </label>
            <label>
              <input
                type="checkbox"
                checked={settings.normalise}
                onChange={(e) => set({ normalise: e.target.checked })}
                data-testid="named-normalise"
              />{' '}
              min–max normalise
            </label>
          </>
        )}
      </div>
      {'error' in spec && (
        <p role="alert" className="error" data-testid="named-input-error">
          {spec.error}
        </p>
      )}
      <div className="controls">
        <button
          type="button"
          onClick={() => void computeNamed(host)}
          disabled={!canCompute}
          data-testid="named-compute"
        >
          Compute
        </button>
        {n.status === 'running' && (
          <button type="button" onClick={() => void cancelLandscape(host)} data-testid="named-cancel">
            Cancel
          </button>
        )}
        <output className="muted" data-testid="named-status" data-status={n.status} aria-live="polite">
          {n.status === 'running' && n.progress
            ? `Computing… ${n.progress.done} / ${n.progress.total} points`
            : n.status === 'done' && r
              ? `${r.cols * r.rows} points, ${r.evaluations} loss evaluations in ${n.wallMs === null ? '?' : n.wallMs.toFixed(0)} ms`
              : ''}
        </output>
        {n.status === 'running' && n.progress && (
          <progress value={n.progress.done} max={n.progress.total} data-testid="named-progress" />
        )}
      </div>
      {n.error && (
        <p role="alert" className="error" data-testid="named-error">
          {n.error}
        </p>
      )}
      {r && (
        <div
          className={stale ? 'landscape-result stale' : 'landscape-result'}
          data-testid="named-result"
          data-dims={r.dims}
          data-ms={String(n.wallMs ?? '')}
        >
          {stale && (
            <p className="landscape-stale" data-testid="named-stale">
              Stale: the masks changed since; press Compute to update.
            </p>
          )}
          {r.dims === 1 ? (
            <>
              <NamedLineChart r={r} series={series} normalise={settings.normalise} />
              <ul className="compare-legend" data-testid="named-legend">
                {series.map((s) => (
                  <li key={s.id} data-series={s.id}>
                    <span className="compare-swatch" style={{ background: s.colour }} aria-hidden="true" />
                    {s.label}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <>
              <p className="note">
                Filled contours: {getLoss(r.losses[0]?.lossId ?? 'dice').name}; dashed white lines: Dice score{' '}
                {DICE_LEVELS.join(', ')}; the cross marks (0, 0). Click a point to make it the prediction (Undo restores
                it).
              </p>
              <NamedGrid r={r} onPick={(a, b) => void adoptNamedPoint(host, [a, b])} />
              {n.adopted && (
                <p className="muted" data-testid="named-adopted" data-point={n.adopted.join(',')}>
                  Prediction set to a = {formatNumber(n.adopted[0], 4)}, b = {formatNumber(n.adopted[1], 4)}.
                </p>
              )}
            </>
          )}
          {r.losses
            .filter((l) => l.error)
            .map((l) => (
              <p key={l.lossId} role="alert" className="error" data-testid="named-loss-error" data-loss-id={l.lossId}>
                {getLoss(l.lossId).name}: {l.error}
              </p>
            ))}
        </div>
      )}
    </section>
  );
}
