// Lesson files (public/lessons/*.json) and their index: the valibot schema and the parsers. A malformed file is
// refused with a message that names the file, the path inside it (steps[2].question.options[1].loss) and what
// was expected, so the panel can say exactly what is wrong instead of showing nothing. Pure: no DOM, no store.
import * as v from 'valibot';
import { isLossId, type LossId, type Params } from '../../src';
import { errorMessage, quote } from '../messages';
import { validateParamsRecord } from '../settings/validate-params';

export const LESSON_FORMAT = 'segloss-lesson@1';

/** Page elements a step can point at (app/lessons/targets.ts maps them to selectors). */
export const LOOK_TARGETS = [
  'table',
  'heatmap',
  'card',
  'editors',
  'gt-editor',
  'pred-editor',
  'derive',
  'taxonomy',
  'landscape',
] as const;
export type LookTarget = (typeof LOOK_TARGETS)[number];

export const DERIVATIONS = ['perfect', 'empty', 'shift', 'blur', 'erode', 'dilate', 'temperature', 'noise'] as const;

const Id = v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'an id of lower-case letters, digits and dashes'));
const Text = (max: number) => v.pipe(v.string(), v.minLength(1, 'a non-empty text'), v.maxLength(max));
const LossRef = v.custom<LossId>(
  (s) => typeof s === 'string' && isLossId(s),
  'a loss id of the registry (e.g. dice, cross-entropy)',
);
const Finite = v.pipe(v.number(), v.finite());

const DeriveSchema = v.strictObject({
  confidence: v.optional(v.pipe(Finite, v.minValue(0.5), v.maxValue(0.9999))),
  dx: v.optional(v.pipe(v.number(), v.integer(), v.minValue(-64), v.maxValue(64))),
  dy: v.optional(v.pipe(v.number(), v.integer(), v.minValue(-64), v.maxValue(64))),
  sigma: v.optional(v.pipe(Finite, v.minValue(0), v.maxValue(16))),
  temperature: v.optional(v.pipe(Finite, v.minValue(0.05), v.maxValue(20))),
  morphRadius: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(16))),
  noiseSigma: v.optional(v.pipe(Finite, v.minValue(0), v.maxValue(10))),
  noiseSeed: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

const StateSchema = v.strictObject({
  /** A preset id of public/presets/index.json. */
  preset: v.optional(Id),
  /** A one-click derivation applied after the preset, with `derive` settings. */
  prediction: v.optional(v.picklist(DERIVATIONS)),
  derive: v.optional(DeriveSchema),
  /** Only these losses run (the others are switched off: faster, and the table shows what matters). */
  enabled: v.optional(v.pipe(v.array(LossRef), v.minLength(1), v.maxLength(25))),
  /** Parameter overrides per loss (every other parameter is at its default). Checked by the library. */
  params: v.optional(v.record(v.string(), v.record(v.string(), v.unknown()))),
  focus: v.optional(LossRef),
  heatmapClass: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(7))),
  multiples: v.optional(v.array(LossRef)),
});

const Operand = v.strictObject({
  label: Text(80),
  loss: LossRef,
  /** The value recorded when step `step` (0-based, an earlier step of this lesson) was shown; else the current one. */
  step: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

const QuestionSchema = v.variant('kind', [
  v.strictObject({
    kind: v.literal('larger'),
    prompt: Text(400),
    a: Operand,
    b: Operand,
    explain: v.optional(Text(1200)),
  }),
  v.strictObject({
    kind: v.literal('choice'),
    prompt: Text(400),
    /** The right option is the one whose value is the largest (or smallest). */
    pick: v.picklist(['largest', 'smallest']),
    options: v.pipe(v.array(Operand), v.minLength(2, 'at least 2 options'), v.maxLength(6, 'at most 6 options')),
    explain: v.optional(Text(1200)),
  }),
]);

const StepSchema = v.strictObject({
  title: Text(120),
  /** Markdown with $…$ / $$…$$ KaTeX; raw HTML is not rendered. */
  text: Text(4000),
  state: v.optional(StateSchema),
  look: v.optional(v.picklist(LOOK_TARGETS)),
  /** Also highlight this loss's row of the table. */
  lookLoss: v.optional(LossRef),
  question: v.optional(QuestionSchema),
});

const LessonSchema = v.strictObject({
  format: v.literal(LESSON_FORMAT),
  id: Id,
  title: Text(120),
  summary: Text(400),
  steps: v.pipe(v.array(StepSchema), v.minLength(1, 'at least one step'), v.maxLength(30, 'at most 30 steps')),
});

const IndexSchema = v.pipe(
  v.array(v.strictObject({ id: Id, title: Text(120), file: v.pipe(v.string(), v.regex(/^[a-z0-9-]+\.json$/)) })),
  v.minLength(1, 'at least one lesson'),
);

export type LessonStep = v.InferOutput<typeof StepSchema>;
export type LessonState = v.InferOutput<typeof StateSchema>;
export type LessonQuestion = v.InferOutput<typeof QuestionSchema>;
export type QuestionOperand = v.InferOutput<typeof Operand>;
export type Lesson = v.InferOutput<typeof LessonSchema>;
export type LessonIndexEntry = v.InferOutput<typeof IndexSchema>[number];

export class LessonError extends Error {}

function pathOf(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const k = item.key;
    out += typeof k === 'number' ? `[${k}]` : `${out ? '.' : ''}${String(k)}`;
  }
  return out || '(top level)';
}

/** "steps[2].question.a.loss: expected a loss id of the registry (…), got "dise"" for one issue. */
function describeIssue(issue: v.BaseIssue<unknown>): string {
  const m = issue.message;
  const text = /^Invalid key: Expected never/.test(m)
    ? 'unknown key (not part of the lesson format)'
    : /^Invalid /.test(m)
      ? m.replace(/^Invalid \w+: Expected/, 'expected').replace(' but received ', ', got ')
      : `expected ${m}, got ${issue.received}`;
  return `${pathOf(issue)}: ${text}`;
}

function firstIssue(issues: readonly v.BaseIssue<unknown>[]): v.BaseIssue<unknown> {
  let i = issues[0] as v.BaseIssue<unknown>;
  while (i.issues?.length) i = i.issues[0] as v.BaseIssue<unknown>;
  return i;
}

/** Parses one lesson file or throws a LessonError naming the file and the first problem. */
export function parseLesson(json: unknown, file = 'lesson'): Lesson {
  const r = v.safeParse(LessonSchema, json);
  if (!r.success) throw new LessonError(`${file}: ${describeIssue(firstIssue(r.issues))}`);
  const lesson = r.output;
  lesson.steps.forEach((step, i) => {
    const at = `${file}: steps[${i}]`;
    if (step.state?.params) {
      try {
        validateParamsRecord(step.state.params, 8);
      } catch (e) {
        throw new LessonError(`${at}.state.params: ${errorMessage(e)}`);
      }
    }
    const q = step.question;
    if (!q) return;
    const ops = q.kind === 'larger' ? [q.a, q.b] : q.options;
    ops.forEach((op, k) => {
      if (op.step !== undefined && op.step >= i)
        throw new LessonError(
          `${at}.question: operand ${k + 1} (${quote(op.label)}) refers to step ${op.step}, which is not an earlier step`,
        );
      if (op.step === undefined && step.state?.enabled && !step.state.enabled.includes(op.loss))
        throw new LessonError(`${at}.question: ${op.loss} is asked about but not in state.enabled`);
    });
  });
  return lesson;
}

export function parseLessonIndex(json: unknown): LessonIndexEntry[] {
  const r = v.safeParse(IndexSchema, json);
  if (!r.success) throw new LessonError(`lessons/index.json: ${describeIssue(firstIssue(r.issues))}`);
  const ids = new Set<string>();
  for (const e of r.output) {
    if (ids.has(e.id)) throw new LessonError(`lessons/index.json: the id ${quote(e.id)} appears twice`);
    ids.add(e.id);
  }
  return r.output;
}

export type { LossId, Params };
