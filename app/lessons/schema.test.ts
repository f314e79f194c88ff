import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LessonError, parseLesson, parseLessonIndex } from './schema';

const DIR = resolve(import.meta.dirname, '../../public/lessons');
const read = (f: string) => JSON.parse(readFileSync(resolve(DIR, f), 'utf8'));

function minimal(): Record<string, unknown> {
  return {
    format: 'segloss-lesson@1',
    id: 'x',
    title: 'X',
    summary: 'S',
    steps: [
      { title: 'one', text: 'a', state: { enabled: ['dice', 'cross-entropy'] } },
      {
        title: 'two',
        text: 'b',
        state: { enabled: ['dice', 'cross-entropy'] },
        question: {
          kind: 'larger',
          prompt: 'p',
          a: { label: 'A', loss: 'dice' },
          b: { label: 'B', loss: 'dice', step: 0 },
        },
      },
    ],
  };
}

function messageOf(json: unknown): string {
  try {
    parseLesson(json, 'bad.json');
  } catch (e) {
    expect(e).toBeInstanceOf(LessonError);
    return (e as Error).message;
  }
  throw new Error('accepted a malformed lesson');
}

describe('lesson schema', () => {
  it('accepts every shipped lesson, and the index lists exactly the lesson files', () => {
    const index = parseLessonIndex(read('index.json'));
    expect(index.length).toBeGreaterThanOrEqual(6);
    const files = readdirSync(DIR).filter((f) => f !== 'index.json' && f.endsWith('.json'));
    expect(index.map((e) => e.file).sort()).toEqual(files.sort());
    for (const e of index) {
      const lesson = parseLesson(read(e.file), e.file);
      expect(lesson.id).toBe(e.id);
      expect(lesson.title).toBe(e.title);
    }
  });

  it('accepts a minimal lesson', () => {
    expect(parseLesson(minimal()).steps).toHaveLength(2);
  });

  it('rejects malformed lessons with the file, the path and what was expected', () => {
    // biome-ignore lint/suspicious/noExplicitAny: the test breaks the JSON on purpose
    type Json = any;
    const m = (f: (j: Json) => void) => {
      const j = minimal() as Json;
      f(j);
      return messageOf(j);
    };
    expect(m((j) => (j.format = 'segloss-lesson@9'))).toMatch(/^bad\.json: format: .*segloss-lesson@1/);
    expect(m((j) => (j.steps[1].question.a.loss = 'dise'))).toBe(
      'bad.json: steps[1].question.a.loss: expected a loss id of the registry (e.g. dice, cross-entropy), got "dise"',
    );
    expect(m((j) => (j.steps = []))).toBe('bad.json: steps: expected at least one step, got 0');
    expect(m((j) => (j.steps[0].text = ''))).toMatch(/^bad\.json: steps\[0\]\.text: expected a non-empty text/);
    expect(m((j) => (j.steps[0].colour = 'red'))).toMatch(/^bad\.json: steps\[0\]\.colour: unknown key/);
    expect(m((j) => (j.steps[0].state.prediction = 'perfectly'))).toMatch(/steps\[0\]\.state\.prediction: .*"perfect"/);
    expect(m((j) => (j.steps[0].state.derive = { confidence: 2 }))).toMatch(/steps\[0\]\.state\.derive\.confidence/);
    expect(m((j) => (j.steps[0].state.params = { dice: { smoothNr: -1 } }))).toMatch(
      /^bad\.json: steps\[0\]\.state\.params: bad parameter: .*smoothNr/,
    );
    expect(m((j) => (j.steps[1].question.b.step = 1))).toBe(
      "bad.json: steps[1].question: operand 2 ('B') refers to step 1, which is not an earlier step",
    );
    expect(m((j) => (j.steps[1].question.a.loss = 'focal'))).toBe(
      'bad.json: steps[1].question: focal is asked about but not in state.enabled',
    );
    expect(m((j) => (j.steps[1].question.kind = 'guess'))).toMatch(/steps\[1\]\.question\.kind: .*"larger"/);
  });

  it('accepts race and landscape settings, and names what is wrong with them', () => {
    // biome-ignore lint/suspicious/noExplicitAny: the test edits the JSON freely
    type Json = any;
    const withPanels = (): Json => {
      const j = minimal() as Json;
      j.steps[1].race = { losses: ['cross-entropy', 'dice'], mode: 'network', steps: 40, run: 'invite' };
      j.steps[1].landscape = {
        kind: 'named',
        axes: [{ transform: 'shift-x', from: -16, to: 0 }],
        losses: ['dice', 'boundary-loss'],
        run: 'auto',
      };
      j.steps[1].question.a = { label: 'A', loss: 'dice', race: 'dice', raceStep: 20 };
      j.steps[1].question.b = { label: 'B', loss: 'boundary-loss', drop: { from: 0, to: -8 } };
      return j;
    };
    const ok = parseLesson(withPanels());
    expect(ok.steps[1]?.race?.mode).toBe('network');
    expect(ok.steps[1]?.landscape?.axes[0]?.transform).toBe('shift-x');
    const m = (f: (j: Json) => void) => {
      const j = withPanels();
      f(j);
      return messageOf(j);
    };
    expect(m((j) => (j.steps[1].race.mode = 'convnet'))).toMatch(/^bad\.json: steps\[1\]\.race\.mode: .*"network"/);
    expect(m((j) => (j.steps[1].race.steps = 5000))).toMatch(/steps\[1\]\.race\.steps/);
    expect(m((j) => (j.steps[1].race.losses = ['dice', 'dice']))).toBe(
      'bad.json: steps[1].race.losses: a loss is listed twice',
    );
    expect(m((j) => (j.steps[1].landscape.axes[0].transform = 'rotate'))).toMatch(
      /steps\[1\]\.landscape\.axes\[0\]\.transform/,
    );
    expect(m((j) => (j.steps[1].landscape.axes[0].from = -999))).toBe(
      'bad.json: steps[1].landscape.axes[0]: shift x needs -256 ≤ from < to ≤ 256 (px), got -999 … 0',
    );
    expect(m((j) => delete j.steps[1].race)).toBe(
      "bad.json: steps[1].question: operand 1 ('A') asks about the race, but the step has no race settings",
    );
    expect(m((j) => (j.steps[1].question.a.raceStep = 41))).toBe(
      "bad.json: steps[1].question: operand 1 ('A'): raceStep 41 is beyond the race's 40 steps",
    );
    expect(m((j) => (j.steps[1].question.b.loss = 'iou'))).toBe(
      "bad.json: steps[1].question: operand 2 ('B'): iou is not in landscape.losses",
    );
    expect(m((j) => (j.steps[1].question.b.drop.to = -20))).toBe(
      "bad.json: steps[1].question: operand 2 ('B'): coordinate -20 is outside the landscape's -16 … 0",
    );
    expect(m((j) => (j.steps[1].question.b.step = 0))).toBe(
      "bad.json: steps[1].question: operand 2 ('B') names more than one of step, race, at and drop",
    );
  });

  it('rejects a malformed index with a message', () => {
    expect(() => parseLessonIndex([])).toThrow('lessons/index.json: (top level): expected at least one lesson, got 0');
    expect(() =>
      parseLessonIndex([
        { id: 'a', title: 'A', file: 'a.json' },
        { id: 'a', title: 'B', file: 'b.json' },
      ]),
    ).toThrow("lessons/index.json: the id 'a' appears twice");
    expect(() => parseLessonIndex([{ id: 'a', title: 'A', file: '../secret' }])).toThrow(/\[0\]\.file/);
  });
});
