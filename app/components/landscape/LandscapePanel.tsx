// The "Landscape" panel: the focused loss on a line or grid of perturbed logits around the current prediction.
// Computed on request (Compute), off the main thread; edits afterwards mark the result stale instead of
// recomputing (a 15×15 grid is 226 loss evaluations).
import { useId, useState } from 'react';
import { getLoss, isImplemented } from '../../../src';
import { useComputeHost } from '../../compute/host-context';
import { computeLandscape } from '../../compute/landscape/client';
import { formatNumber } from '../../format-number';
import { useStore } from '../../store';
import { describeLandscape } from './describe';
import { DirectionSelect, NumberField } from './fields';
import { LandscapeCompare } from './LandscapeCompare';
import { type ColourScale, LandscapeContours, logScaleApplies } from './LandscapeContours';
import { LandscapeLine } from './LandscapeLine';
import { NamedAxesPanel } from './NamedAxesPanel';
import { PixelCurvesPanel } from './PixelCurvesPanel';
import { axisSpecs, type LandscapeSettings, POINTS_MAX, POINTS_MIN, staleReason, useLandscape } from './state';

/** A number input that keeps what the user typed; a non-number reaches the settings as NaN (flagged there). */
function Controls({ settings, set }: { settings: LandscapeSettings; set: (p: Partial<LandscapeSettings>) => void }) {
  const name = useId();
  const pointsKey = settings.dims === 1 ? 'points1d' : 'points2d';
  return (
    <div className="controls landscape-controls">
      <fieldset className="segmented">
        <legend className="sr-only">Line or grid</legend>
        <label>
          <input
            type="radio"
            name={name}
            checked={settings.dims === 1}
            onChange={() => set({ dims: 1 })}
            data-testid="landscape-1d"
          />{' '}
          1-D line
        </label>
        <label>
          <input
            type="radio"
            name={name}
            checked={settings.dims === 2}
            onChange={() => set({ dims: 2 })}
            data-testid="landscape-2d"
          />{' '}
          2-D grid
        </label>
      </fieldset>
      <DirectionSelect
        label="a along"
        value={settings.dirA}
        onChange={(dirA) => set({ dirA })}
        testId="landscape-dir-a"
      />
      <NumberField label="from" value={settings.fromA} onValue={(fromA) => set({ fromA })} testId="landscape-from-a" />
      <NumberField label="to" value={settings.toA} onValue={(toA) => set({ toA })} testId="landscape-to-a" />
      {settings.dims === 2 && (
        <>
          <DirectionSelect
            label="b along"
            value={settings.dirB}
            onChange={(dirB) => set({ dirB })}
            testId="landscape-dir-b"
          />
          <NumberField
            label="from"
            value={settings.fromB}
            onValue={(fromB) => set({ fromB })}
            testId="landscape-from-b"
          />
          <NumberField label="to" value={settings.toB} onValue={(toB) => set({ toB })} testId="landscape-to-b" />
        </>
      )}
      <NumberField
        key={pointsKey}
        label={settings.dims === 1 ? 'points' : 'points per axis'}
        value={settings[pointsKey]}
        onValue={(v) => set({ [pointsKey]: v })}
        step={1}
        min={POINTS_MIN}
        max={POINTS_MAX}
        testId="landscape-points"
      />
    </div>
  );
}

export function LandscapePanel() {
  const host = useComputeHost();
  const focused = useStore((s) => s.focusedLoss);
  const backendStatus = useStore((s) => s.backendStatus);
  const l = useLandscape();
  const [colourScale, setColourScale] = useState<ColourScale>('linear');
  const def = getLoss(focused);
  const spec = axisSpecs(l.settings);
  // A string, not the masks: an edit re-renders this panel only when the reason changes.
  const stale = useStore((s) => staleReason(l.inputs, s));
  const r = l.result;
  const resultName = r ? getLoss(r.lossId).name : '';
  const canCompute = isImplemented(def) && !('error' in spec) && backendStatus === 'ready';

  return (
    <section className="panel landscape-panel" aria-labelledby="landscape-title" data-testid="landscape-panel">
      <h2 id="landscape-title">
        Loss landscape of <span className="loss-name">{def.name}</span>
      </h2>
      <p className="note">
        The loss at perturbed logits z + a·d₁ (+ b·d₂) around the current prediction z (a = b = 0). Directions:{' '}
        <em>towards the ground truth</em> (a = 1 is a confident correct prediction), <em>confidence</em> (the logits
        scaled by 1 + a) or <em>random</em> (seeded, scaled to the norm of the logits).
      </p>
      <Controls settings={l.settings} set={l.setSettings} />
      {'error' in spec && (
        <p role="alert" className="error" data-testid="landscape-input-error">
          {spec.error}
        </p>
      )}
      <div className="controls">
        <button
          type="button"
          onClick={() => void computeLandscape(host)}
          disabled={!canCompute}
          data-testid="landscape-compute"
        >
          Compute
        </button>
        <output className="muted" data-testid="landscape-status" data-status={l.status} aria-live="polite">
          {l.status === 'running' && l.progress
            ? `Computing… ${l.progress.done} / ${l.progress.total} points`
            : l.status === 'running'
              ? 'Computing…'
              : !isImplemented(def)
                ? `${def.name} is coming: nothing to compute yet.`
                : r
                  ? ''
                  : 'Press Compute: the landscape is computed on request only (it costs one loss evaluation per point).'}
        </output>
      </div>
      {l.status === 'error' && l.error && (
        <p role="alert" className="error" data-testid="landscape-error">
          {l.error}
        </p>
      )}
      {r && (
        <div
          className={stale ? 'landscape-result stale' : 'landscape-result'}
          data-testid="landscape-result"
          data-loss-id={r.lossId}
        >
          {stale && (
            <p className="landscape-stale" data-testid="landscape-stale">
              Stale: {stale}. This shows {resultName} for the earlier inputs; press Compute to update.
            </p>
          )}
          <p className="landscape-description" data-testid="landscape-description">
            {describeLandscape(r, resultName)}
          </p>
          {r.dims === 2 && (
            <label className="landscape-field">
              colour scale{' '}
              <select
                value={colourScale}
                onChange={(e) => setColourScale(e.target.value as ColourScale)}
                data-testid="landscape-colour-scale"
              >
                <option value="linear">linear in L</option>
                <option value="log">logarithmic in L</option>
              </select>
              {colourScale === 'log' && !logScaleApplies(r) && (
                <span className="note" data-testid="landscape-log-unavailable">
                  {' '}
                  (not every value is positive: shown linear)
                </span>
              )}
            </label>
          )}
          {r.dims === 1 ? <LandscapeLine result={r} /> : <LandscapeContours result={r} scale={colourScale} />}
          <dl className="landscape-stats">
            <dt>at the current prediction</dt>
            <dd data-testid="landscape-origin-value" data-value={String(r.origin)}>
              {formatNumber(r.origin, 6)}
            </dd>
            <dt>min</dt>
            <dd data-testid="landscape-min" data-value={String(r.min)}>
              {formatNumber(r.min, 5)}
            </dd>
            <dt>max</dt>
            <dd data-testid="landscape-max" data-value={String(r.max)}>
              {formatNumber(r.max, 5)}
            </dd>
            <dt>time</dt>
            <dd data-testid="landscape-time" data-ms={String(l.wallMs ?? '')} data-engine-ms={String(r.ms)}>
              {l.wallMs === null ? '—' : `${l.wallMs.toFixed(0)} ms`} for {r.evaluations} evaluations (
              {l.ranOn?.backend ?? '?'}, {l.ranOn?.thread ?? '?'})
            </dd>
          </dl>
          {r.nonFinite > 0 && (
            <p role="alert" className="error" data-testid="landscape-nonfinite">
              {r.nonFinite} of {r.rows * r.cols} values are not finite (NaN or ±∞): gaps in the curve, grey cells in the
              grid.
            </p>
          )}
          {r.logitsNorm === 0 && r.axes.some((a) => a.direction !== 'towards-gt') && (
            <p className="note">The logits are all zero, so the confidence and random directions are zero too.</p>
          )}
        </div>
      )}
      <LandscapeCompare />
      <NamedAxesPanel />
      <PixelCurvesPanel />
    </section>
  );
}
