// "Per-pixel curves": for one pixel (click the small map, or type x/y), each chosen loss's contribution and its
// gradient against that pixel's probability of its true class, everything else held fixed
// (src/landscape/pixel-curves.ts) — the Focal-vs-CE figure of Lin et al., live on the current masks.
import { line, scaleLinear } from 'd3';
import { useEffect, useRef, useState } from 'react';
import { getLoss, type LossId, PIXEL_P_REF } from '../../../src';
import { useComputeHost } from '../../compute/host-context';
import { computePixelCurves } from '../../compute/landscape/client';
import { PALETTE } from '../../editing/palette';
import { formatNumber } from '../../format-number';
import { useStore } from '../../store';
import { inner } from './chart-frame';
import { colourOf, LossPicker } from './LandscapeCompare';
import { usePixelCurves } from './pixel-state';

const HALF = { width: 300, height: 240, left: 56, right: 10, top: 12, bottom: 40 } as const;

/** The ground truth as a small clickable map, the chosen pixel outlined. */
function PixelMap({
  onPick,
  pixel,
}: {
  onPick: (x: number, y: number) => void;
  pixel: { x: number; y: number } | null;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const target = useStore((s) => s.target);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      const rgb = PALETTE[target[i] ?? 0]?.rgb ?? [0, 0, 0];
      img.data.set([rgb[0], rgb[1], rgb[2], 255], i * 4);
    }
    ctx.putImageData(img, 0, 0);
    if (pixel) {
      ctx.fillStyle = 'rgba(255,0,0,0.9)';
      ctx.fillRect(pixel.x, pixel.y, 1, 1);
    }
  }, [width, height, target, pixel]);
  return (
    <canvas
      ref={ref}
      width={width}
      height={height}
      className="pixel-map"
      style={{ width: 160, height: 160, imageRendering: 'pixelated', cursor: 'crosshair', border: '1px solid #999' }}
      data-testid="pixel-map"
      aria-label="ground truth: click a pixel"
      onClick={(e) => {
        const r = e.currentTarget.getBoundingClientRect();
        const x = Math.min(width - 1, Math.max(0, Math.floor(((e.clientX - r.left) / r.width) * width)));
        const y = Math.min(height - 1, Math.max(0, Math.floor(((e.clientY - r.top) / r.height) * height)));
        onPick(x, y);
      }}
    />
  );
}

function CurveChart(props: {
  ps: number[];
  curves: { id: LossId; values: number[] }[];
  kind: 'contribution' | 'gradient';
  current: number;
}) {
  const { ps, curves, kind } = props;
  const { x0, x1, y0, y1 } = inner(HALF);
  const x = scaleLinear().domain([0, 1]).range([x0, x1]);
  const finite = curves.flatMap((c) => c.values.filter(Number.isFinite));
  const y = scaleLinear()
    .domain([Math.min(0, ...finite), Math.max(0, ...finite)])
    .range([y0, y1])
    .nice();
  return (
    <svg
      className="landscape-chart"
      style={{ maxWidth: 420 }}
      viewBox={`0 0 ${HALF.width} ${HALF.height}`}
      role="img"
      aria-label={`${kind} of each loss against the pixel's probability of its true class`}
      data-testid={`pixel-chart-${kind}`}
      data-ps={ps.join(',')}
    >
      {x.ticks(5).map((t) => (
        <text key={`x${t}`} x={x(t)} y={y0 + 14} textAnchor="middle" className="tick">
          {formatNumber(t, 2)}
        </text>
      ))}
      {y.ticks(5).map((t) => (
        <g key={`y${t}`} transform={`translate(0,${y(t)})`}>
          <line x1={x0} x2={x1} className="grid" />
          <text x={x0 - 6} dy="0.32em" textAnchor="end" className="tick">
            {formatNumber(t, 3)}
          </text>
        </g>
      ))}
      <rect x={x0} y={y1} width={x1 - x0} height={y0 - y1} className="frame" />
      <line x1={x(props.current)} x2={x(props.current)} y1={y0} y2={y1} className="origin-line" />
      {curves.map((c, i) => (
        <path
          key={c.id}
          d={
            line<number>()
              .defined((v) => Number.isFinite(v))
              .x((_, k) => x(ps[k]!))
              .y((v) => y(v))(c.values) ?? ''
          }
          className="compare-curve"
          stroke={colourOf(i)}
          data-testid="pixel-curve"
          data-loss-id={c.id}
          data-kind={kind}
          data-values={c.values.join(',')}
        >
          <title>{getLoss(c.id).name}</title>
        </path>
      ))}
      <text x={(x0 + x1) / 2} y={HALF.height - 6} textAnchor="middle" className="axis-label">
        p of the true class at the pixel
      </text>
      <text transform={`translate(12,${(y0 + y1) / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">
        {kind === 'contribution' ? 'N·(L(p) − L(p≈1))' : 'N·dL/dp'}
      </text>
    </svg>
  );
}

export function PixelCurvesPanel() {
  const host = useComputeHost();
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const backendStatus = useStore((s) => s.backendStatus);
  const pc = usePixelCurves();
  const [xy, setXy] = useState({ x: Math.floor(width / 2), y: Math.floor(height / 2) });
  const run = (x: number, y: number) => {
    setXy({ x, y });
    void computePixelCurves(host, x, y);
  };
  const r = pc.result;
  const stale = r && pc.pixel && (r.x !== pc.pixel.x || r.y !== pc.pixel.y);
  const good = r?.curves.filter((c) => c.contribution && c.gradient) ?? [];
  // A pixel picked on an editor canvas (pick mode or Alt+click): its curves.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new pick triggers this
  useEffect(() => {
    if (pc.picked) run(pc.picked.x, pc.picked.y);
  }, [pc.picked]);
  // Recompute when the prediction changes while curves are shown (cheap: one pixel, ~41 points per loss).
  // Subscribed, not selected: an edit re-renders this panel only when its curves change.
  useEffect(
    () =>
      useStore.subscribe((s, prev) => {
        const px = usePixelCurves.getState().pixel;
        if (s.logits !== prev.logits && px && s.backendStatus === 'ready') void computePixelCurves(host, px.x, px.y);
      }),
    [host],
  );
  return (
    <section className="landscape-compare" aria-labelledby="pixel-title" data-testid="pixel-panel">
      <h3 id="pixel-title">Per-pixel curves</h3>
      <p className="note">
        One pixel's probability p of its true class is swept from 0.01 to 0.99 (the other classes share 1 − p as now),
        every other pixel fixed. Choose the pixel on the small map, by x/y, or on the editors:{' '}
        <em>Pick on the editor</em> then click, or Alt+click a canvas at any time. Left: the loss change N·(L(p) − L(p ={' '}
        {PIXEL_P_REF})) with N pixels, which is −log p for cross-entropy; right: N·dL/dp.
      </p>
      <div className="controls landscape-controls">
        <PixelMap onPick={run} pixel={pc.pixel} />
        <button
          type="button"
          aria-pressed={pc.pickArmed}
          onClick={() => pc.armPick(!pc.pickArmed)}
          data-testid="pixel-pick"
          title="The next click on the ground-truth or prediction canvas picks the pixel instead of drawing (Alt+click always does)"
        >
          {pc.pickArmed ? 'Click a pixel on an editor…' : 'Pick on the editor'}
        </button>
        <label className="landscape-field">
          x{' '}
          <input
            type="number"
            className="num-input"
            min={0}
            max={width - 1}
            value={xy.x}
            onChange={(e) => setXy({ ...xy, x: Number(e.target.value) })}
            data-testid="pixel-x"
          />
        </label>
        <label className="landscape-field">
          y{' '}
          <input
            type="number"
            className="num-input"
            min={0}
            max={height - 1}
            value={xy.y}
            onChange={(e) => setXy({ ...xy, y: Number(e.target.value) })}
            data-testid="pixel-y"
          />
        </label>
        <LossPicker chosen={pc.losses} onChange={pc.setLosses} testId="pixel-loss" summary="Losses" />
        <button
          type="button"
          disabled={backendStatus !== 'ready'}
          onClick={() => run(xy.x, xy.y)}
          data-testid="pixel-compute"
        >
          Show curves
        </button>
        <output className="muted" data-testid="pixel-status" data-status={pc.status} aria-live="polite">
          {pc.status === 'running' ? 'Computing…' : ''}
        </output>
      </div>
      {pc.error && (
        <p role="alert" className="error" data-testid="pixel-error">
          {pc.error}
        </p>
      )}
      {r && !stale && (
        <div
          className="landscape-result"
          data-testid="pixel-result"
          data-x={r.x}
          data-y={r.y}
          data-true-class={r.trueClass}
          data-current={r.current}
        >
          <p className="muted">
            Pixel ({r.x}, {r.y}), true class {r.trueClass}, p now {formatNumber(r.current, 4)} (vertical line).
          </p>
          <div className="pixel-charts" style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
            <CurveChart
              ps={Array.from(r.ps)}
              kind="contribution"
              current={r.current}
              curves={good.map((c) => ({ id: c.lossId, values: Array.from(c.contribution ?? []) }))}
            />
            <CurveChart
              ps={Array.from(r.ps)}
              kind="gradient"
              current={r.current}
              curves={good.map((c) => ({ id: c.lossId, values: Array.from(c.gradient ?? []) }))}
            />
          </div>
          <ul className="compare-legend">
            {good.map((c, i) => (
              <li key={c.lossId}>
                <span className="compare-swatch" style={{ background: colourOf(i) }} aria-hidden="true" />
                {getLoss(c.lossId).name}
              </li>
            ))}
          </ul>
          {r.curves
            .filter((c) => c.error)
            .map((c) => (
              <p key={c.lossId} role="alert" className="error" data-testid="pixel-loss-error">
                {getLoss(c.lossId).name}: {c.error}
              </p>
            ))}
        </div>
      )}
    </section>
  );
}
