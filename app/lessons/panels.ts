// A lesson step's race and landscape settings: loaded into the loss race panel and the "named axes" view through
// their own stores (clearing an older result, so a question never reads a race of another step), and read back
// for the step's questions only when the result belongs to the step's settings and the current masks.
import { defaultRate, type LossId } from '../../src';
import { DEFAULT_NAMED_LOSSES, DEFAULT_NAMED_SETTINGS, useNamed } from '../components/landscape/named-state';
import { useRace } from '../race/state';
import { useStore } from '../store';
import type { LineValues, RaceValues } from './answer';
import { type LessonLandscape, type LessonRace, type LessonStep, RACE_DEFAULT_STEPS } from './schema';

/** The race panel's settings for a step's race (the panel's defaults where the step names none). */
export function raceSettingsOf(r: LessonRace) {
  const mode = r.mode ?? 'logits';
  const optimiser = r.optimiser ?? 'adam';
  return {
    losses: r.losses,
    mode,
    optimiser,
    rateKind: 'shared' as const,
    rate: r.lr ?? defaultRate(mode, optimiser),
    rates: {},
    steps: r.steps ?? RACE_DEFAULT_STEPS,
  };
}

export function applyStepRace(r: LessonRace): void {
  useRace.getState().setSettings(raceSettingsOf(r));
  // An older race (another step, other masks) must not answer this step's questions. A race still running keeps
  // its status and progress (so Run stays disabled until it ends); its result will not match this step.
  const running = useRace.getState().status === 'running';
  useRace.setState({
    notice: null,
    ...(running ? {} : { status: 'idle' as const, progress: null }),
    trajectory: null,
    inputs: null,
    error: null,
    step: 0,
    playing: false,
  });
}

export function applyStepLandscape(l: LessonLandscape): void {
  const [a, b] = l.axes;
  const d = DEFAULT_NAMED_SETTINGS;
  useNamed.getState().setSettings({
    ...d,
    dims: l.axes.length === 2 ? 2 : 1,
    base: l.base ?? d.base,
    axisA: a?.transform ?? d.axisA,
    fromA: a?.from ?? d.fromA,
    toA: a?.to ?? d.toA,
    axisB: b?.transform ?? d.axisB,
    fromB: b?.from ?? d.fromB,
    toB: b?.to ?? d.toB,
    points1d: l.points ?? d.points1d,
    points2d: l.points ?? d.points2d,
    losses: l.losses ?? DEFAULT_NAMED_LOSSES,
    metrics: l.metrics ?? d.metrics,
    normalise: l.normalise ?? d.normalise,
  });
  const running = useNamed.getState().status === 'running';
  useNamed.setState({
    ...(running ? {} : { status: 'idle' as const, progress: null }),
    result: null,
    inputs: null,
    error: null,
  });
}

/** Loads the step's race and landscape settings (a step without them leaves those panels as they are). */
export function applyStepPanels(step: LessonStep | undefined): void {
  if (step?.race) applyStepRace(step.race);
  if (step?.landscape) applyStepLandscape(step.landscape);
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The race result when it ran with the step's settings from the current masks; else null. */
export function stepRaceValues(step: LessonStep | undefined): RaceValues | null {
  const want = step?.race;
  const r = useRace.getState();
  const s = useStore.getState();
  const tr = r.trajectory;
  if (!want || r.status !== 'done' || !tr || !r.inputs) return null;
  if (r.inputs.target !== s.target || r.inputs.logits !== s.logits) return null;
  const ws = raceSettingsOf(want);
  const got = tr.settings;
  const rate = got.lr.kind === 'shared' ? got.lr.rate : Number.NaN;
  if (
    got.mode !== ws.mode ||
    got.optimiser !== ws.optimiser ||
    got.steps !== ws.steps ||
    rate !== ws.rate ||
    !sameList(
      got.losses.map((l) => l.id),
      ws.losses,
    )
  )
    return null;
  const racers: RaceValues['racers'] = {};
  for (const racer of tr.racers) racers[racer.id] = { loss: racer.loss, dice: racer.dice };
  return { steps: got.steps, racers };
}

/** The 1-D landscape when it was computed with the step's axis and losses from the current masks; else null. */
export function stepLineValues(step: LessonStep | undefined): LineValues | null {
  const want = step?.landscape;
  const n = useNamed.getState();
  const s = useStore.getState();
  const r = n.result;
  const axis = r?.axes[0];
  const wa = want?.axes[0];
  if (!want || !wa || want.axes.length !== 1 || n.status !== 'done' || !r || !axis || !n.inputs) return null;
  if (n.inputs.target !== s.target || n.inputs.logits !== s.logits || r.dims !== 1) return null;
  if (axis.transform !== wa.transform || axis.from !== wa.from || axis.to !== wa.to) return null;
  if (r.base !== (want.base ?? DEFAULT_NAMED_SETTINGS.base)) return null;
  const values: LineValues['values'] = {};
  for (const l of r.losses) values[l.lossId as LossId] = l.values;
  return { coords: axis.coords, values };
}
