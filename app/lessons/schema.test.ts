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
