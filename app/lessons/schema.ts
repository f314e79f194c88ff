// Lesson files (public/lessons/*.json) and their index: the valibot schema and the parsers. A malformed file is
// refused with a message that names the file, the path inside it (steps[2].question.options[1].loss) and what
// was expected, so the panel can say exactly what is wrong instead of showing nothing. Pure: no DOM, no store.
import * as v from 'valibot';
import {
  getLoss,
  isImplemented,
  isLossId,
  type LossId,
  NAMED_TRANSFORMS,
  type Params,
  RACE_MAX_LOSSES,
  RACE_MAX_STEPS,
  TRANSFORM_INFO,
} from '../../src';
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
  'named-axes',
  'race',
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
  /** Resample the masks to this grid (after the preset): e.g. 64 so that a race step runs quickly. */
  grid: v.optional(v.picklist([64, 128, 256])),
});

/** Run the panel as soon as the step is shown, or invite the student to press the step's Run button. */
const RunSchema = v.optional(v.picklist(['auto', 'invite']));

/** Settings of the loss race panel (app/race/state.ts); every other setting is at the panel's default. */
const RaceStepSchema = v.strictObject({
  losses: v.pipe(v.array(LossRef), v.minLength(1), v.maxLength(RACE_MAX_LOSSES)),
  mode: v.optional(v.picklist(['logits', 'network'])),
  optimiser: v.optional(v.picklist(['sgd', 'momentum', 'adam'])),
  /** The shared learning rate (step normalised); default: the panel's default for the mode and optimiser. */
  lr: v.optional(v.pipe(Finite, v.gtValue(0), v.maxValue(100))),
  steps: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(RACE_MAX_STEPS))),
  run: RunSchema,
});

const AxisSchema = v.strictObject({ transform: v.picklist(NAMED_TRANSFORMS), from: Finite, to: Finite });

/** Settings of the "Landscapes along named axes" view (app/components/landscape/named-state.ts). */
const LandscapeStepSchema = v.strictObject({
  kind: v.literal('named'),
  /** One axis: a line of every loss in `losses`; two axes: a grid of the focused loss. */
  axes: v.pipe(v.array(AxisSchema), v.minLength(1), v.maxLength(2)),
  points: v.optional(v.pipe(v.number(), v.integer(), v.minValue(5), v.maxValue(65))),
  losses: v.optional(v.pipe(v.array(LossRef), v.minLength(1), v.maxLength(8))),
  base: v.optional(v.picklist(['prediction', 'ground-truth'])),
  metrics: v.optional(v.boolean()),
  normalise: v.optional(v.boolean()),
  run: RunSchema,
});

const Operand = v.strictObject({
  label: Text(80),
  loss: LossRef,
  /** The value recorded when step `step` (0-based, an earlier step of this lesson) was shown; else the current one. */
  step: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  /** From this step's race: the racer's Dice score or loss value at race step `raceStep` (default: the last). */
  race: v.optional(v.picklist(['dice', 'loss'])),
  raceStep: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  /** From this step's 1-D landscape: the loss at the coordinate nearest to `at`, … */
  at: v.optional(Finite),
  /** … or its drop from `from` to `to` as a fraction of its range on the chart: (L(from) − L(to)) / (max − min). */
  drop: v.optional(v.strictObject({ from: Finite, to: Finite })),
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
  race: v.optional(RaceStepSchema),
  landscape: v.optional(LandscapeStepSchema),
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
export type LessonRace = v.InferOutput<typeof RaceStepSchema>;
export type LessonLandscape = v.InferOutput<typeof LandscapeStepSchema>;
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
    checkPanels(step, at);
    const q = step.question;
    if (!q) return;
    const ops = q.kind === 'larger' ? [q.a, q.b] : q.options;
    ops.forEach((op, k) => {
      const where = `${at}.question: operand ${k + 1} (${quote(op.label)})`;
      const sources = [op.step !== undefined, op.race !== undefined, op.at !== undefined, op.drop !== undefined];
      if (sources.filter(Boolean).length > 1)
        throw new LessonError(`${where} names more than one of step, race, at and drop`);
      if (op.step !== undefined && op.step >= i)
        throw new LessonError(`${where} refers to step ${op.step}, which is not an earlier step`);
      if (op.raceStep !== undefined && op.race === undefined)
        throw new LessonError(`${where} has raceStep without race`);
      if (op.race !== undefined) checkRaceOperand(step, op, where);
      else if (op.at !== undefined || op.drop) checkLandscapeOperand(step, op, where);
      else if (op.step === undefined && step.state?.enabled && !step.state.enabled.includes(op.loss))
        throw new LessonError(`${at}.question: ${op.loss} is asked about but not in state.enabled`);
    });
  });
  return lesson;
}

/** The race and landscape settings beyond what the schema can say (implemented losses, axis ranges). */
function checkPanels(step: LessonStep, at: string): void {
  for (const id of step.race?.losses ?? [])
    if (!isImplemented(getLoss(id))) throw new LessonError(`${at}.race.losses: ${id} is not implemented`);
  if (step.race && new Set(step.race.losses).size !== step.race.losses.length)
    throw new LessonError(`${at}.race.losses: a loss is listed twice`);
  const l = step.landscape;
  if (!l) return;
  l.axes.forEach((a, k) => {
    const info = TRANSFORM_INFO[a.transform];
    if (!(a.from < a.to && a.from >= info.min && a.to <= info.max))
      throw new LessonError(
        `${at}.landscape.axes[${k}]: ${info.name} needs ${info.min} ≤ from < to ≤ ${info.max} (${info.unit}), got ${a.from} … ${a.to}`,
      );
  });
  if (l.axes.length === 2 && l.axes[0]?.transform === l.axes[1]?.transform)
    throw new LessonError(`${at}.landscape.axes: the two axes must differ`);
  for (const id of l.losses ?? [])
    if (!isImplemented(getLoss(id))) throw new LessonError(`${at}.landscape.losses: ${id} is not implemented`);
}

function checkRaceOperand(step: LessonStep, op: QuestionOperand, where: string): void {
  if (!step.race) throw new LessonError(`${where} asks about the race, but the step has no race settings`);
  if (!step.race.losses.includes(op.loss)) throw new LessonError(`${where}: ${op.loss} is not in race.losses`);
  const steps = step.race.steps ?? RACE_DEFAULT_STEPS;
  if (op.raceStep !== undefined && op.raceStep > steps)
    throw new LessonError(`${where}: raceStep ${op.raceStep} is beyond the race's ${steps} steps`);
}

function checkLandscapeOperand(step: LessonStep, op: QuestionOperand, where: string): void {
  const l = step.landscape;
  if (l?.axes.length !== 1)
    throw new LessonError(`${where} asks about the landscape, but the step has no 1-D landscape settings`);
  if (!(l.losses ?? []).includes(op.loss)) throw new LessonError(`${where}: ${op.loss} is not in landscape.losses`);
  const axis = l.axes[0] as { from: number; to: number };
  for (const x of op.drop ? [op.drop.from, op.drop.to] : [op.at as number])
    if (x < axis.from || x > axis.to)
      throw new LessonError(`${where}: coordinate ${x} is outside the landscape's ${axis.from} … ${axis.to}`);
}

/** The race panel's default step count (app/race/state.ts), used when a step's race names none. */
export const RACE_DEFAULT_STEPS = 200;

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
