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
});
