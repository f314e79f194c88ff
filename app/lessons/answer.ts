// The answer of a predict-then-reveal question, computed from loss values (the live results of the current
// state, or values recorded when an earlier step was shown). Pure: the panel passes the numbers in.
import type { LossId } from '../../src';
import type { LessonQuestion, QuestionOperand } from './schema';

/** Values per loss: the current results, and per earlier step the values recorded when it was shown. */
export interface AnswerInputs {
  current: Partial<Record<LossId, number | null>>;
  recorded: Record<number, Partial<Record<LossId, number | null>>>;
}

export type Answer = { ok: true; correct: number; values: number[]; labels: string[] } | { ok: false; reason: string };

export function operandsOf(q: LessonQuestion): QuestionOperand[] {
  return q.kind === 'larger' ? [q.a, q.b] : q.options;
}

function operandValue(op: QuestionOperand, inputs: AnswerInputs): number | string {
  if (op.step !== undefined) {
    const rec = inputs.recorded[op.step];
    if (!rec) return `the value of ${op.label} comes from step ${op.step + 1}: open that step first`;
    const v = rec[op.loss];
    return typeof v === 'number' && Number.isFinite(v) ? v : `${op.label} had no finite value at step ${op.step + 1}`;
  }
  const v = inputs.current[op.loss];
  if (v === undefined) return `${op.label} (${op.loss}) is switched off`;
  return typeof v === 'number' && Number.isFinite(v) ? v : `${op.label} has no finite value now`;
}

/**
 * The index of the right option: for "which is larger?" the larger of a and b, for a choice the largest or
 * smallest value. Ties (|Δ| ≤ 1e-6 · max(1, |x|)) are reported as a reason rather than picked arbitrarily.
 */
export function computeAnswer(q: LessonQuestion, inputs: AnswerInputs): Answer {
  const ops = operandsOf(q);
  const values: number[] = [];
  for (const op of ops) {
    const v = operandValue(op, inputs);
    if (typeof v === 'string') return { ok: false, reason: v };
    values.push(v);
  }
  const pickSmallest = q.kind === 'choice' && q.pick === 'smallest';
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    if (pickSmallest ? values[i]! < values[best]! : values[i]! > values[best]!) best = i;
  }
  const bestValue = values[best]!;
  const tie = values.some((x, i) => i !== best && Math.abs(x - bestValue) <= 1e-6 * Math.max(1, Math.abs(bestValue)));
  if (tie) return { ok: false, reason: 'two options have the same value here, so there is no single answer' };
  return { ok: true, correct: best, values, labels: ops.map((o) => o.label) };
}
