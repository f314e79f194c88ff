// Every shipped lesson, step by step in Node on the cpu backend: the step state loads through the same code as in
// the page (presets, derivations, parameters), and every question has a definite answer computed by the library.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeLoss, type LossId, tf } from '../../src';
import { setNodeBackend } from '../../src/testing';
import { parsePreset } from '../io/presets';
import { useStore } from '../store';
import { computeAnswer } from './answer';
import { applyStepState } from './apply';
import { parseLesson, parseLessonIndex } from './schema';

const ROOT = resolve(import.meta.dirname, '../../public');
const json = (p: string) => JSON.parse(readFileSync(resolve(ROOT, p), 'utf8'));

function currentValues(): Partial<Record<LossId, number>> {
  const s = useStore.getState();
  const out: Partial<Record<LossId, number>> = {};
  for (const [id, on] of Object.entries(s.enabled) as [LossId, boolean][]) {
    if (!on) continue;
    out[id] = tf.tidy(() => {
      const logits = tf.tensor4d(s.logits, [1, s.height, s.width, s.numClasses]);
      const target = tf.tensor3d(s.target, [1, s.height, s.width], 'int32');
      return computeLoss(id, logits, target, s.params[id] ?? {}).dataSync()[0] as number;
    });
  }
  return out;
}

describe('shipped lessons computed in Node', () => {
  beforeAll(async () => {
    await setNodeBackend('cpu');
  });
  const index = parseLessonIndex(json('lessons/index.json'));
  for (const entry of index) {
    it(`${entry.id}: every step loads and every question has a definite answer`, () => {
      const lesson = parseLesson(json(`lessons/${entry.file}`), entry.file);
      const recorded: Record<number, Partial<Record<LossId, number>>> = {};
      lesson.steps.forEach((step, i) => {
        const preset = step.state?.preset ? parsePreset(json(`presets/${step.state.preset}.json`)) : null;
        applyStepState(step.state, preset);
        recorded[i] = currentValues();
        // Questions about a race or a landscape: app/lessons/lessons-panels.test.ts (WASM, much faster).
        const panelQuestion = step.question?.kind && (step.race || step.landscape);
        if (step.question && !panelQuestion) {
          const a = computeAnswer(step.question, { current: recorded[i], recorded });
          expect(a, `${entry.id} step ${i + 1}`).toMatchObject({ ok: true });
        }
      });
    });
  }

  it('class imbalance: the numbers the lesson text relies on', () => {
    const lesson = parseLesson(json('lessons/class-imbalance.json'));
    const preset = parsePreset(json('presets/small-lesion.json'));
    const at = (i: number) => {
      applyStepState(lesson.steps[i]?.state, preset);
      return currentValues();
    };
    const perfect = at(1);
    const empty = at(2);
    // Dice without background: perfect ≈ 0.545, empty ≈ 0.994; CE barely moves (0.010 → 0.029).
    expect(perfect.dice).toBeCloseTo(0.545, 2);
    expect(empty.dice).toBeCloseTo(0.994, 2);
    expect(empty['cross-entropy']).toBeLessThan(0.03);
    // The numbers: defaults (confidence 0.9, background included), empty → 0.523.
    expect(at(4).dice).toBeCloseTo(0.523, 3);
  });

  it('Hausdorff loss: the empty prediction of the small lesion scores lower than the perfect one', () => {
    const lesson = parseLesson(json('lessons/boundary-hausdorff.json'));
    const preset = parsePreset(json('presets/small-lesion.json'));
    applyStepState(lesson.steps[2]?.state, preset);
    const perfect = currentValues()['hausdorff-distance'] as number;
    applyStepState(lesson.steps[3]?.state, preset);
    const empty = currentValues()['hausdorff-distance'] as number;
    expect(empty).toBeLessThan(perfect);
  });
});
