import { describe, expect, it } from 'vitest';
import { lessonQuery, parseLessonLink, withLessonQuery } from './url';

describe('lesson links', () => {
  it('round-trips lesson, step and the hidden/locked controls', () => {
    const link = {
      lesson: 'class-imbalance',
      step: 2,
      hide: ['table' as const, 'heatmap' as const],
      lock: ['editors' as const],
      untilAnswer: true,
    };
    const q = lessonQuery(link);
    expect(q).toBe('lesson=class-imbalance&step=3&hide=table,heatmap&lock=editors&until=answer');
    expect(parseLessonLink(`?${q}`)).toEqual({ ...link, problems: [] });
  });

  it('keeps other parameters and the share hash when replacing the lesson parameters', () => {
    const href = withLessonQuery('http://x/app/?backend=wasm&lesson=old&step=9#share=v1&loss=dice&end=1', {
      lesson: null,
      step: 0,
      hide: ['table'],
      lock: [],
      untilAnswer: false,
    });
    expect(href).toBe('http://x/app/?backend=wasm&hide=table#share=v1&loss=dice&end=1');
  });

  it('names each bad value and falls back to safe defaults', () => {
    const p = parseLessonLink('?lesson=../x&step=0&hide=table,sidebar&lock=nope&until=never');
    expect(p.lesson).toBeNull();
    expect(p.step).toBe(0);
    expect(p.hide).toEqual(['table']);
    expect(p.lock).toEqual([]);
    expect(p.problems).toEqual([
      "lesson: '../x' is not a lesson id",
      "step: '0' is not a step number (1, 2, …); showing step 1",
      expect.stringMatching(/^hide: unknown control 'sidebar' \(known: table, /),
      expect.stringMatching(/^lock: unknown control 'nope'/),
      "until: only 'answer' is understood, not 'never'",
    ]);
    expect(parseLessonLink('?step=abc').problems[0]).toMatch(/'abc' is not a step number/);
  });
});
