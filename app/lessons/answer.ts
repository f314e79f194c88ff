// The answer of a predict-then-reveal question, computed from loss values (the live results of the current
// state, values recorded when an earlier step was shown, the step's race result or its 1-D landscape). Pure: the
// panel passes the numbers in.
import type { LossId } from '../../src';
import type { LessonQuestion, QuestionOperand } from './schema';

/** A finished race of this step: per racer the loss value and Dice score at every step 0..steps. */
export interface RaceValues {
  steps: number;
  racers: Partial<Record<LossId, { loss: ArrayLike<number>; dice: ArrayLike<number> }>>;
}

/** This step's 1-D landscape: the coordinates and each loss's values there. */
export interface LineValues {
  coords: ArrayLike<number>;
  values: Partial<Record<LossId, ArrayLike<number> | null>>;
}

/** Values per loss: the current results, and per earlier step the values recorded when it was shown. */
export interface AnswerInputs {
  current: Partial<Record<LossId, number | null>>;
  recorded: Record<number, Partial<Record<LossId, number | null>>>;
  /** The step's race when it has run with the step's settings on the current masks, else null. */
  race?: RaceValues | null;
  /** The step's landscape when it was computed with the step's settings from the current masks, else null. */
  line?: LineValues | null;
}

export type Answer = { ok: true; correct: number; values: number[]; labels: string[] } | { ok: false; reason: string };

export function operandsOf(q: LessonQuestion): QuestionOperand[] {
  return q.kind === 'larger' ? [q.a, q.b] : q.options;
}

const finite = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

function raceValue(op: QuestionOperand, race: RaceValues | null | undefined): number | string {
  if (!race) return `${op.label} comes from the race: run it first (the Run button of this step)`;
  const racer = race.racers[op.loss];
  if (!racer) return `${op.label}: ${op.loss} is not in the race`;
  const t = Math.min(op.raceStep ?? race.steps, race.steps);
  const v = (op.race === 'dice' ? racer.dice : racer.loss)[t];
  return finite(v) ? v : `${op.label} has no finite value at race step ${t}`;
}

function nearest(coords: ArrayLike<number>, x: number): number {
  let best = 0;
  for (let i = 1; i < coords.length; i++) if (Math.abs(coords[i]! - x) < Math.abs(coords[best]! - x)) best = i;
  return best;
}

function lineValue(op: QuestionOperand, line: LineValues | null | undefined): number | string {
  if (!line) return `${op.label} comes from the landscape: compute it first (the Run button of this step)`;
  const vals = line.values[op.loss];
  if (!vals) return `${op.label}: ${op.loss} has no values on the landscape`;
  if (op.drop) {
    const a = vals[nearest(line.coords, op.drop.from)];
    const b = vals[nearest(line.coords, op.drop.to)];
    const all = Array.from(vals).filter(Number.isFinite);
    if (!finite(a) || !finite(b) || all.length === 0) return `${op.label} is not finite on the landscape`;
    const span = Math.max(...all) - Math.min(...all);
    return span > 0 ? (a - b) / span : 0;
  }
  const v = vals[nearest(line.coords, op.at as number)];
  return finite(v) ? v : `${op.label} is not finite at ${op.at}`;
}

function operandValue(op: QuestionOperand, inputs: AnswerInputs): number | string {
  if (op.race !== undefined) return raceValue(op, inputs.race);
  if (op.at !== undefined || op.drop) return lineValue(op, inputs.line);
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
