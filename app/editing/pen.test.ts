import { describe, expect, it } from 'vitest';
import { effectivePressure, pressureBrushSize, pressureStrength, rejectsPointer } from './pen';

describe('pen helpers', () => {
  it('treats zero, missing or invalid pressure as 0.5', () => {
    expect(effectivePressure(0)).toBe(0.5);
    expect(effectivePressure(undefined)).toBe(0.5);
    expect(effectivePressure(Number.NaN)).toBe(0.5);
    expect(effectivePressure(0.2)).toBe(0.2);
    expect(effectivePressure(1.5)).toBe(1);
  });

  it('scales the brush size and strength only when enabled', () => {
    expect(pressureBrushSize(10, 0.3, false)).toBe(10);
    expect(pressureBrushSize(10, 0.3, true)).toBe(3);
    expect(pressureBrushSize(10, 1, true)).toBe(10);
    expect(pressureBrushSize(10, 0, true)).toBe(5);
    expect(pressureStrength(0.8, 0.25, true)).toBeCloseTo(0.2);
    expect(pressureStrength(0.8, 0.25, false)).toBe(0.8);
  });

  it('rejects touch only after a pen was seen', () => {
    expect(rejectsPointer('touch', false)).toBe(false);
    expect(rejectsPointer('touch', true)).toBe(true);
    expect(rejectsPointer('pen', true)).toBe(false);
    expect(rejectsPointer('mouse', true)).toBe(false);
  });
});
