import { describe, expect, it } from 'vitest';
import { computeAnswer } from './answer';
import type { LessonQuestion } from './schema';

const larger: LessonQuestion = {
  kind: 'larger',
  prompt: 'p',
  a: { label: 'CE now', loss: 'cross-entropy' },
  b: { label: 'Dice at step 1', loss: 'dice', step: 0 },
};
const choice = (pick: 'largest' | 'smallest'): LessonQuestion => ({
  kind: 'choice',
  prompt: 'p',
  pick,
  options: [
    { label: 'Dice', loss: 'dice' },
    { label: 'IoU', loss: 'iou' },
    { label: 'CE', loss: 'cross-entropy' },
  ],
});

describe('computeAnswer', () => {
  it('picks the larger of a current and a recorded value', () => {
    const inputs = { current: { 'cross-entropy': 0.03 }, recorded: { 0: { dice: 0.5 } } };
    expect(computeAnswer(larger, inputs)).toEqual({
      ok: true,
      correct: 1,
      values: [0.03, 0.5],
      labels: ['CE now', 'Dice at step 1'],
    });
    expect(computeAnswer(larger, { current: { 'cross-entropy': 0.7 }, recorded: { 0: { dice: 0.5 } } })).toMatchObject({
      correct: 0,
    });
  });

  it('picks the largest or smallest option, negative values included', () => {
    const current = { dice: -0.2, iou: 0.4, 'cross-entropy': 0.1 };
    expect(computeAnswer(choice('largest'), { current, recorded: {} })).toMatchObject({ ok: true, correct: 1 });
    expect(computeAnswer(choice('smallest'), { current, recorded: {} })).toMatchObject({ ok: true, correct: 0 });
  });

  it('gives a reason instead of an answer for missing, switched-off, non-finite and tied values', () => {
    expect(computeAnswer(larger, { current: { 'cross-entropy': 0.1 }, recorded: {} })).toEqual({
      ok: false,
      reason: 'the value of Dice at step 1 comes from step 1: open that step first',
    });
    expect(computeAnswer(larger, { current: {}, recorded: { 0: { dice: 1 } } })).toEqual({
      ok: false,
      reason: 'CE now (cross-entropy) is switched off',
    });
    expect(computeAnswer(larger, { current: { 'cross-entropy': Number.NaN }, recorded: { 0: { dice: 1 } } })).toEqual({
      ok: false,
      reason: 'CE now has no finite value now',
    });
    expect(computeAnswer(larger, { current: { 'cross-entropy': 0.5 }, recorded: { 0: { dice: 0.5 } } })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/same value/),
    });
  });

  it('reads race operands at their race step (default: the last) and landscape operands at a coordinate', () => {
    const q: LessonQuestion = {
      kind: 'choice',
      prompt: 'p',
      pick: 'smallest',
      options: [
        { label: 'CE net at 1', loss: 'cross-entropy', race: 'dice', raceStep: 1 },
        { label: 'Dice net, last', loss: 'dice', race: 'dice' },
        { label: 'Dice loss, last', loss: 'dice', race: 'loss' },
      ],
    };
    const race = {
      steps: 2,
      racers: {
        'cross-entropy': { loss: [0.1, 0.05, 0.04], dice: [0.5, 0, 0.2] },
        dice: { loss: [0.5, 0.4, 0.3], dice: [0.5, 0.6, 0.9] },
      },
    };
    expect(computeAnswer(q, { current: {}, recorded: {}, race })).toMatchObject({ correct: 0, values: [0, 0.9, 0.3] });
    expect(computeAnswer(q, { current: {}, recorded: {}, race: null })).toMatchObject({ ok: false });
    const line = { coords: [-8, -4, 0], values: { dice: [0.2, 0.9, 0.9], 'boundary-loss': [-1, 1, 3] } };
    const l: LessonQuestion = {
      kind: 'larger',
      prompt: 'p',
      a: { label: 'Dice drop', loss: 'dice', drop: { from: -0.4, to: -3 } },
      b: { label: 'BL drop', loss: 'boundary-loss', drop: { from: 0, to: -4 } },
    };
    // Nearest coordinates (0 → -4 for Dice: no change; boundary loss 3 → 1 of a range of 4).
    expect(computeAnswer(l, { current: {}, recorded: {}, line })).toMatchObject({ correct: 1, values: [0, 0.5] });
    const at: LessonQuestion = { ...l, a: { label: 'Dice at -8', loss: 'dice', at: -7 } };
    expect(computeAnswer(at, { current: {}, recorded: {}, line })).toMatchObject({ values: [0.2, 0.5] });
  });
});
