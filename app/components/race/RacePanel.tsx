// "The loss race": gradient descent under 1–6 losses from the current prediction, same start and seed, computed
// in the worker in chunks (progress, cancel), then played back: play/pause, step, speed, scrub, rewind; each
// racer's prediction as small multiples, loss and Dice curves, and "adopt this prediction" (one undo step).
import * as d3 from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  defaultRate,
  getLoss,
  IMPLEMENTED_LOSSES,
  type LossId,
  RACE_MAX_LOSSES,
  RACE_MAX_STEPS,
  type RaceMode,
  type RaceOptimiser,
  type RaceTrajectory,
  snapshotIndexAt,
} from '../../../src';
import { useComputeHost } from '../../compute/host-context';
import { trueClassChange } from '../../race/change-map';
import { adoptRacer, cancelRace, startRace } from '../../race/client';
import { RACE_SPEEDS, useRace } from '../../race/state';
import { SCALE_MODES, useHeatmapScale } from '../../render/scale-state';
import { heatmapScales } from '../../render/shared-scale';
import { useStore } from '../../store';
import { ScaleSelect } from '../ScaleSelect';
import { RaceCurves } from './RaceCurves';
import { RacerView } from './RacerView';

const OPTIMISER_NAMES: Record<RaceOptimiser, string> = {
  sgd: 'SGD',
  momentum: 'momentum (μ = 0.9)',
  adam: 'Adam (β₁ 0.9, β₂ 0.999)',
};
const MODE_NAMES: Record<RaceMode, string> = { logits: 'Free logits', network: 'Tiny network' };

/** Steps per second at speed 1. */
const BASE_RATE = 20;

function usePlayback() {
  const playing = useRace((s) => s.playing);
  const acc = useRef(0);
  useEffect(() => {
    if (!playing) return;
    const id = window.setInterval(() => {
      const s = useRace.getState();
      const last = s.trajectory?.settings.steps ?? 0;
      acc.current += (BASE_RATE * s.speed) / 20;
      const n = Math.floor(acc.current);
      acc.current -= n;
      const next = Math.min(last, s.step + n);
      useRace.getState().setPlayback({ step: next, playing: next < last });
    }, 50);
    return () => window.clearInterval(id);
  }, [playing]);
}

function Settings() {
  const st = useRace((s) => s.settings);
  const set = useRace((s) => s.setSettings);
  const running = useRace((s) => s.status === 'running');
  const [stepsText, setStepsText] = useState(String(st.steps));
  useEffect(() => setStepsText(String(st.steps)), [st.steps]);
  const toggle = (id: LossId, on: boolean) =>
    set({ losses: on ? [...st.losses, id] : st.losses.filter((x) => x !== id) });
  const setMode = (mode: RaceMode) => set({ mode, rate: defaultRate(mode, st.optimiser) });
  const setOpt = (optimiser: RaceOptimiser) => set({ optimiser, rate: defaultRate(st.mode, optimiser) });
  return (
    <div className="controls race-controls">
      <fieldset>
        <legend>Losses (1–{RACE_MAX_LOSSES})</legend>
        <div className="race-loss-list">
          {IMPLEMENTED_LOSSES.map((d) => {
            const on = st.losses.includes(d.id);
            return (
              <label key={d.id}>
                <input
                  type="checkbox"
                  data-testid="race-loss"
                  data-loss-id={d.id}
                  checked={on}
                  disabled={running || (!on && st.losses.length >= RACE_MAX_LOSSES)}
                  onChange={(e) => toggle(d.id, e.target.checked)}
                />{' '}
                {d.name}
              </label>
            );
          })}
        </div>
      </fieldset>
      <label>
        Mode{' '}
        <select data-testid="race-mode" value={st.mode} onChange={(e) => setMode(e.target.value as RaceMode)}>
          <option value="logits">Free logits (every pixel its own parameter)</option>
          <option value="network">Tiny network (3 conv 3×3 layers, seed 1)</option>
        </select>
      </label>
      <label>
        Optimiser{' '}
        <select
          data-testid="race-optimiser"
          value={st.optimiser}
          onChange={(e) => setOpt(e.target.value as RaceOptimiser)}
        >
          {(Object.keys(OPTIMISER_NAMES) as RaceOptimiser[]).map((k) => (
            <option key={k} value={k}>
              {OPTIMISER_NAMES[k]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Learning rate{' '}
        <select
          data-testid="race-rate-kind"
          value={st.rateKind}
          onChange={(e) => set({ rateKind: e.target.value as 'shared' | 'per-loss' })}
        >
          <option value="shared">one shared rate, step normalised</option>
          <option value="per-loss">per loss, raw gradient</option>
        </select>
      </label>
      <label>
        η{' '}
        <input
          type="number"
          step="any"
          min={0}
          value={st.rate}
          data-testid="race-rate"
          onChange={(e) => set({ rate: Number(e.target.value) })}
          style={{ width: '6em' }}
        />
      </label>
      {st.rateKind === 'per-loss' &&
        st.losses.map((id) => (
          <label key={id}>
            η {getLoss(id).name}{' '}
            <input
              type="number"
              step="any"
              min={0}
              value={st.rates[id] ?? st.rate}
              onChange={(e) => set({ rates: { ...st.rates, [id]: Number(e.target.value) } })}
              style={{ width: '6em' }}
            />
          </label>
        ))}
      <label>
        Steps{' '}
        <input
          type="number"
          min={1}
          max={RACE_MAX_STEPS}
          step={1}
          data-testid="race-steps"
          value={stepsText}
          onChange={(e) => {
            setStepsText(e.target.value);
            set({ steps: Number(e.target.value) });
          }}
          style={{ width: '6em' }}
        />
      </label>
    </div>
  );
}

function Playback() {
  const tr = useRace((s) => s.trajectory);
  const step = useRace((s) => s.step);
  const playing = useRace((s) => s.playing);
  const speed = useRace((s) => s.speed);
  if (!tr) return null;
  const last = tr.settings.steps;
  const go = (t: number) => useRace.getState().setPlayback({ step: Math.max(0, Math.min(last, t)) });
  return (
    <div className="controls race-playback">
      <button
        type="button"
        onClick={() => useRace.getState().setPlayback({ step: 0, playing: false })}
        data-testid="race-rewind"
      >
        Rewind
      </button>
      <button type="button" onClick={() => go(step - 1)} data-testid="race-back" aria-label="Step back">
        ◀ Step
      </button>
      <button
        type="button"
        data-testid="race-play"
        onClick={() => useRace.getState().setPlayback({ playing: !playing, step: !playing && step >= last ? 0 : step })}
      >
        {playing ? '⏸ Pause' : '▶ Play'}
      </button>
      <button type="button" onClick={() => go(step + 1)} data-testid="race-forward" aria-label="Step forward">
        Step ▶
      </button>
      <label>
        Speed{' '}
        <select
          value={speed}
          data-testid="race-speed"
          onChange={(e) => useRace.getState().setPlayback({ speed: Number(e.target.value) })}
        >
          {RACE_SPEEDS.map((v) => (
            <option key={v} value={v}>
              {v}× ({BASE_RATE * v} steps/s)
            </option>
          ))}
        </select>
      </label>
      <input
        type="range"
        min={0}
        max={last}
        step={1}
        value={step}
        aria-label="Timeline"
        data-testid="race-timeline"
        onChange={(e) => useRace.getState().setPlayback({ step: Number(e.target.value), playing: false })}
        style={{ flex: 1, minWidth: 200 }}
      />
      <output data-testid="race-step" data-step={step}>
        step {step} / {last}
      </output>
    </div>
  );
}

/** Each racer's change of the true class's probability since step 0 at `step`, with the colour-scale limits. */
function useChangeMaps(tr: RaceTrajectory | null, target: Int32Array | null, step: number, on: boolean) {
  const scale = useHeatmapScale((s) => s.mode);
  return useMemo(() => {
    if (!on || !tr || !target || target.length !== tr.width * tr.height) return null;
    const si = snapshotIndexAt(tr, step);
    const maps = tr.racers.map((r) => {
      const now = r.snapshots[si];
      const start = r.snapshots[0];
      return now && start ? trueClassChange(now, start, target, tr.numClasses) : new Float32Array(target.length);
    });
    const limits = heatmapScales(maps, scale);
    return maps.map((values, i) => ({ values, limit: limits[i]! }));
  }, [tr, target, step, on, scale]);
}

function ViewControls({ view, setView }: { view: 'prediction' | 'change'; setView(v: 'prediction' | 'change'): void }) {
  const scale = useHeatmapScale((s) => s.mode);
  return (
    <div className="controls">
      <label>
        show{' '}
        <select
          value={view}
          onChange={(e) => setView(e.target.value as 'prediction' | 'change')}
          data-testid="race-view"
        >
          <option value="prediction">the prediction (class colours by probability)</option>
          <option value="change">change of p(true class) since step 0</option>
        </select>
      </label>
      {view === 'change' && (
        <>
          <ScaleSelect testId="race-scale" />
          <span className="note" data-testid="race-scale-legend" data-scale={scale}>
            Blue: p of the true class fell, red: it rose; {SCALE_MODES[scale].legend} (the same setting as the gradient
            small multiples).
          </span>
        </>
      )}
    </div>
  );
}

export function RacePanel() {
  const host = useComputeHost();
  const r = useRace();
  const backendStatus = useStore((s) => s.backendStatus);
  const [adoptNote, setAdoptNote] = useState<string | null>(null);
  const [view, setView] = useState<'prediction' | 'change'>('prediction');
  const changes = useChangeMaps(r.trajectory, r.inputs?.target ?? null, r.step, view === 'change');
  usePlayback();
  const ref = useRef<HTMLElement>(null);
  const open = r.open;
  useEffect(() => {
    if (open) ref.current?.scrollIntoView?.({ block: 'start' });
  }, [open]);
  const tr = r.trajectory;
  const colours = (tr?.racers ?? []).map((_, i) => d3.schemeTableau10[i % 10]!);
  const s = tr?.settings;
  return (
    <section
      ref={ref}
      className="panel race-panel"
      aria-labelledby="race-title"
      data-testid="race-panel"
      data-status={r.status}
    >
      <h2 id="race-title">The loss race</h2>
      <p className="note">
        Gradient descent from the current prediction under several losses at once: same start, same seed.{' '}
        <em>Free logits</em>: every pixel is its own parameter, so you see each loss's gradient field in motion.{' '}
        <em>Tiny network</em>: three 3×3 conv layers (8 channels, ReLU, fixed seed) and a 1×1 layer started at 0 map the
        underlay (or, without one, an image rendered from the GT: class intensities + noise + blur) to a correction of
        the current logits; shared weights let class imbalance bite (CE neglects a small lesion). With one shared rate,
        each racer's gradient is divided by its root mean square first, so all take steps of the same size.
      </p>
      {r.notice && (
        <p role="alert" className="error" data-testid="race-notice">
          {r.notice}
        </p>
      )}
      <Settings />
      <div className="controls">
        <button
          type="button"
          data-testid="race-run"
          disabled={r.status === 'running' || backendStatus !== 'ready'}
          onClick={() => void startRace(host)}
        >
          Run the race
        </button>
        {r.status === 'running' && (
          <button type="button" data-testid="race-cancel" onClick={() => void cancelRace(host)}>
            Cancel
          </button>
        )}
        {r.progress && (
          <progress
            data-testid="race-progress"
            value={r.progress.done}
            max={r.progress.total}
            aria-label="Race progress"
          />
        )}
        {r.status === 'cancelled' && <span className="note">Cancelled.</span>}
      </div>
      {r.error && (
        <p role="alert" className="error" data-testid="race-error">
          {r.error}
        </p>
      )}
      {tr && s && (
        <div data-testid="race-result">
          <p className="note" data-testid="race-summary" data-ms={r.wallMs ?? ''}>
            {MODE_NAMES[s.mode]}
            {r.networkInput ? ` (input: ${r.networkInput})` : ''} · {OPTIMISER_NAMES[s.optimiser]} ·{' '}
            {s.lr.kind === 'shared'
              ? `one shared rate η = ${s.lr.rate}, step normalised (g / RMS g)`
              : `per-loss rates ${s.lr.rates.join(', ')} on the raw gradient`}{' '}
            · {s.steps} steps in {r.wallMs !== null ? `${(r.wallMs / 1000).toFixed(2)} s` : '?'} ({r.ranOn}) · a racer's
            prediction is kept every {tr.snapshotEvery === 1 ? 'step' : `${tr.snapshotEvery} steps`}.
          </p>
          <Playback />
          <ViewControls view={view} setView={setView} />
          <div className="race-racers">
            {tr.racers.map((racer, i) => (
              <RacerView
                key={racer.id}
                tr={tr}
                racer={racer}
                step={r.step}
                colour={colours[i]!}
                onAdopt={() => setAdoptNote(adoptRacer(i))}
                change={changes?.[i] ?? null}
              />
            ))}
          </div>
          {adoptNote && (
            <p role="alert" className="error">
              {adoptNote}
            </p>
          )}
          <RaceCurves
            tr={tr}
            step={r.step}
            colours={colours}
            onStep={(t) => useRace.getState().setPlayback({ step: t, playing: false })}
          />
        </div>
      )}
    </section>
  );
}
