import { memo, useState } from 'react';
import { getLoss, isImplemented } from '../../src';
import { formatNumber } from '../format-number';
import { P_FLOOR } from '../render/heatmap';
import { useStore } from '../store';
import { GradientCanvas, useGradientMap, useStale } from './GradientCanvas';
import { Legend } from './Legend';
import { useLossError } from './useLossError';

interface Readout {
  x: number;
  y: number;
  p: number;
  label: number;
  g: number;
}

/** The large heatmap of the focused loss with its controls, legend and hover read-out. */
export function GradientHeatmap() {
  const id = useStore((s) => s.focusedLoss);
  const def = getLoss(id);
  const mode = useStore((s) => s.heatmapMode);
  const channel = useStore((s) => s.heatmapClass);
  const error = useLossError(id);
  const enabled = useStore((s) => s.enabled[id]);
  const map = useGradientMap(id);
  const stale = useStale(id);
  const preparing = useStore((s) => s.preparing);
  const [readout, setReadout] = useState<Readout | null>(null);
  const symbol = mode === 'logit' ? `∂L/∂z${subscript(channel)}` : `∂L/∂p${subscript(channel)}`;

  function onMove(e: React.PointerEvent<HTMLCanvasElement>) {
    if (!map) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const x = Math.floor(((e.clientX - rect.left) / rect.width) * map.width);
    const y = Math.floor(((e.clientY - rect.top) / rect.height) * map.height);
    if (x < 0 || y < 0 || x >= map.width || y >= map.height) return;
    // Probabilities and labels of the state the map belongs to, not of the masks now in the store.
    const state = useStore.getState().results[id]?.state;
    const i = y * map.width + x;
    const c = state?.numClasses ?? 2;
    setReadout({
      x,
      y,
      p: state?.probabilities[i * c + map.channel] ?? Number.NaN,
      label: state?.target[i] ?? -1,
      g: map.values[i]!,
    });
  }

  let body: React.ReactNode;
  if (!isImplemented(def)) body = <p className="placeholder">{def.name} is coming: no gradient to show yet.</p>;
  else if (!enabled) body = <p className="placeholder">{def.name} is switched off in the table.</p>;
  else if (error?.loading) body = <p className="placeholder">{error.text}</p>;
  else if (error)
    body = (
      <p role="alert" className="error">
        {error.text}
      </p>
    );
  else if (!map) body = <p className="placeholder">{preparing ?? 'Computing…'}</p>;
  else
    body = (
      <>
        <p className="stale-note" data-testid="heatmap-status" aria-hidden={!stale}>
          {stale ? (preparing ?? 'updating…') : '\u00a0'}
        </p>
        <GradientCanvas
          map={map}
          className="heatmap-large"
          label={`${symbol} of ${def.name}`}
          testId="gradient-heatmap"
          lossId={id}
          stale={stale}
          onPointerMove={onMove}
          onPointerLeave={() => setReadout(null)}
        />
        <Legend max={map.max} label={symbol} />
      </>
    );

  return (
    <section className="panel heatmap-panel" aria-labelledby="heatmap-title">
      <h2 id="heatmap-title">
        Gradient of <span className="loss-name">{def.name}</span>
      </h2>
      <HeatmapControls />
      {body}
      <output className="readout" aria-live="polite">
        {readout
          ? `(${readout.x}, ${readout.y})  target ${readout.label}  p${subscript(channel)} = ${formatNumber(readout.p)}  ${symbol} = ${formatNumber(readout.g)}`
          : 'Hover the map for probability, target and gradient.'}
      </output>
      {mode === 'probability' && (
        <p className="note">
          ∂L/∂p by the chain rule: g/p with p floored at {P_FLOOR} — the gradient along the probability simplex (a
          per-pixel constant the softmax cannot see is dropped).
        </p>
      )}
    </section>
  );
}

/**
 * Mode and class, memoised apart from the heatmap: every result of the focused loss re-renders the heatmap, and
 * React re-applies an input's name and type on each render (attribute changes Blink restyles for).
 */
const HeatmapControls = memo(function HeatmapControls() {
  const mode = useStore((s) => s.heatmapMode);
  const channel = useStore((s) => s.heatmapClass);
  const numClasses = useStore((s) => s.numClasses);
  const setMode = useStore((s) => s.setHeatmapMode);
  const setChannel = useStore((s) => s.setHeatmapClass);
  return (
    <div className="controls">
      <fieldset className="segmented">
        <legend className="sr-only">Gradient with respect to</legend>
        <label>
          <input type="radio" name="gmode" checked={mode === 'logit'} onChange={() => setMode('logit')} /> ∂L/∂logit
        </label>
        <label>
          <input type="radio" name="gmode" checked={mode === 'probability'} onChange={() => setMode('probability')} />{' '}
          ∂L/∂probability
        </label>
      </fieldset>
      <label>
        class{' '}
        <select
          value={Math.min(channel, numClasses - 1)}
          onChange={(e) => setChannel(Number(e.target.value))}
          aria-label="class channel"
        >
          {classList(numClasses).map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
});

const SUB = '₀₁₂₃₄₅₆₇₈₉';
export function subscript(n: number): string {
  return String(n)
    .split('')
    .map((d) => SUB[Number(d)])
    .join('');
}

function classList(n: number): number[] {
  return Array.from({ length: n }, (_, c) => c);
}
