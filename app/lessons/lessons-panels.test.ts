// The shipped lesson steps with race or landscape settings, in Node on WASM: the step's settings go through the
// same code as in the page (applyStepState + applyStepPanels into the race and named-axes stores), the library
// runs the race / the landscape, and every question gets a definite answer — the one the lesson text explains.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateNamedLandscape, type LossId, runRace, tf } from '../../src';
import { setNodeBackend } from '../../src/testing';
import { namedAxisSpecs, useNamed } from '../components/landscape/named-state';
import { parsePreset } from '../io/presets';
import { raceSettings, useRace } from '../race/state';
import { useStore } from '../store';
import { computeAnswer, type LineValues, type RaceValues } from './answer';
import { applyStepState } from './apply';
import { applyStepPanels } from './panels';
import { type LessonStep, parseLesson } from './schema';

const ROOT = resolve(import.meta.dirname, '../../public');
const json = (p: string) => JSON.parse(readFileSync(resolve(ROOT, p), 'utf8'));

function load(file: string, pick: (s: LessonStep) => boolean): LessonStep {
  const lesson = parseLesson(json(`lessons/${file}`), file);
  const step = lesson.steps.find(pick);
  if (!step) throw new Error(`${file}: no such step`);
  const preset = step.state?.preset ? parsePreset(json(`presets/${step.state.preset}.json`)) : null;
  applyStepState(step.state, preset);
  applyStepPanels(step);
  return step;
}

function masks() {
  const s = useStore.getState();
  return {
    logits: tf.tensor4d(s.logits, [1, s.height, s.width, s.numClasses]),
    target: tf.tensor3d(s.target, [1, s.height, s.width], 'int32'),
  };
}

describe('lesson steps with a race or a landscape (WASM)', () => {
  beforeAll(async () => {
    await setNodeBackend('wasm');
  });

  it('class imbalance: on the tiny network, cross-entropy loses the small lesion, Dice keeps it', async () => {
    const step = load('class-imbalance.json', (s) => !!s.race);
    const s = useStore.getState();
    expect([s.width, s.height]).toEqual([64, 64]);
    // The step's settings reached the race panel (and an older race result was cleared).
    const panel = useRace.getState();
    expect(panel.trajectory).toBeNull();
    expect(panel.settings).toMatchObject({ mode: 'network', steps: 40, rate: 0.01, losses: ['cross-entropy', 'dice'] });
    const { logits, target } = masks();
    const tr = await runRace(raceSettings(panel.settings), { logits, target });
    tf.dispose([logits, target]);
    const race: RaceValues = { steps: tr.settings.steps, racers: {} };
    for (const r of tr.racers) race.racers[r.id] = { loss: r.loss, dice: r.dice };
    const answer = computeAnswer(step.question!, { current: {}, recorded: {}, race });
    expect(answer).toMatchObject({ ok: true, correct: 0 });
    const [ce, dice] = tr.racers;
    expect(ce?.dice[20]).toBeLessThan(0.1); // the lesion is gone from the CE network's argmax
    expect(dice?.dice[20]).toBeGreaterThan(0.4);
    expect(dice?.dice[40]).toBeGreaterThan(ce?.dice[40] as number);
    // Without the race the question says what to do instead of guessing.
    expect(computeAnswer(step.question!, { current: {}, recorded: {}, race: null })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/run it first/),
    });
  }, 300_000);

  it('no overlap: along the shift Dice is flat while boundary and HD losses fall', async () => {
    const step = load('no-overlap.json', (s) => !!s.landscape);
    const st = useNamed.getState().settings;
    expect(st).toMatchObject({ dims: 1, axisA: 'shift-x', fromA: -64, toA: 0, points1d: 17 });
    const spec = namedAxisSpecs(st, 'dice');
    if ('error' in spec) throw new Error(spec.error);
    const params = useStore.getState().params;
    const { logits, target } = masks();
    const r = await evaluateNamedLandscape(
      spec.losses.map((id) => ({ id, params: params[id] ?? {} })),
      logits,
      target,
      spec.axes,
      { base: st.base },
    );
    tf.dispose([logits, target]);
    const line: LineValues = { coords: r.axes[0]!.coords, values: {} };
    for (const l of r.losses) line.values[l.lossId as LossId] = l.values;
    const answer = computeAnswer(step.question!, { current: {}, recorded: {}, line });
    expect(answer).toMatchObject({ ok: true, correct: 0 });
    if (!answer.ok) return;
    expect(Math.abs(answer.values[0] as number)).toBeLessThan(0.01); // Dice: flat without overlap
    expect(answer.values[1]).toBeGreaterThan(0.2);
    expect(answer.values[2]).toBeGreaterThan(0.2);
  }, 300_000);
});
