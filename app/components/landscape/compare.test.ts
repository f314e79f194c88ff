import { describe, expect, it } from 'vitest';
import type { LandscapeResult } from '../../../src';
import { compareInputError, compareLosses, FALLBACK_COMPARE, useCompare } from './compare-state';
import { normaliseLine } from './normalise';

function line(values: number[], origin: number): LandscapeResult {
  const finite = values.filter(Number.isFinite);
  return {
    values: Float32Array.from(values),
    origin,
    min: finite.length ? Math.min(...finite) : Number.NaN,
    max: finite.length ? Math.max(...finite) : Number.NaN,
  } as LandscapeResult;
}

describe('normaliseLine', () => {
  it('relative: divides by the value at the current prediction (so a = 0 maps to 1)', () => {
    const r = normaliseLine(line([4, 2, 1], 2), 'relative');
    expect(r).toEqual({ values: [2, 1, 0.5] });
  });

  it('relative: refuses a zero or non-finite value at the current prediction', () => {
    expect(normaliseLine(line([1, 0, 1], 0), 'relative')).toEqual({ error: expect.stringMatching(/is 0/) });
    expect('error' in normaliseLine(line([1, Number.NaN, 1], Number.NaN), 'relative')).toBe(true);
  });

  it('min–max: maps to [0, 1], keeps NaN gaps, a flat line sits at 0', () => {
    expect(normaliseLine(line([3, 1, Number.NaN, 5], 1), 'minmax')).toEqual({ values: [0.5, 0, Number.NaN, 1] });
    expect(normaliseLine(line([2, 2], 2), 'minmax')).toEqual({ values: [0, 0] });
    expect('error' in normaliseLine(line([Number.NaN], Number.NaN), 'minmax')).toBe(true);
  });
});

describe('compare settings', () => {
  const settings = useCompare.getState().settings;

  it('defaults to the implemented small multiples, else the fallback; an explicit choice wins', () => {
    expect(compareLosses(settings, ['dice', 'focal'])).toEqual(['dice', 'focal']);
    expect(compareLosses(settings, [])).toEqual(FALLBACK_COMPARE);
    expect(compareLosses({ ...settings, losses: ['iou'] }, ['dice'])).toEqual(['iou']);
  });

  it('flags no losses, a bad resolution and a bad range', () => {
    expect(compareInputError(settings, ['dice'])).toBeNull();
    expect(compareInputError(settings, [])).toMatch(/at least one/);
    expect(compareInputError({ ...settings, points: 50 }, ['dice'])).toMatch(/11 to 31/);
    expect(compareInputError({ ...settings, from: 1, to: 1 }, ['dice'])).toMatch(/from < to/);
  });
});
