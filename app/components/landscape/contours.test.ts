import { describe, expect, it } from 'vitest';
import type { LandscapeResult } from '../../../src';
import { contourThresholds, logScaleApplies } from './LandscapeContours';

describe('landscape contour levels', () => {
  it('are evenly spaced in L on the linear scale', () => {
    const t = contourThresholds(0, 12, 'linear', 4);
    expect(t).toEqual([0, 3, 6, 9]);
  });

  it('are evenly spaced in log L on the log scale', () => {
    const t = contourThresholds(1e-4, 1, 'log', 4);
    for (let i = 0; i < 4; i++) expect(Math.log10(t[i] as number)).toBeCloseTo(-4 + i, 10);
  });

  it('use the log scale only when every value is positive and the range is not empty', () => {
    const r = (min: number, max: number) => ({ min, max }) as LandscapeResult;
    expect(logScaleApplies(r(1e-4, 3))).toBe(true);
    expect(logScaleApplies(r(0, 3))).toBe(false);
    expect(logScaleApplies(r(-0.2, 3))).toBe(false);
    expect(logScaleApplies(r(2, 2))).toBe(false);
    expect(logScaleApplies(r(1, Number.NaN))).toBe(false);
  });
});
