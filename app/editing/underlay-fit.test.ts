import { describe, expect, it } from 'vitest';
import { underlayFits } from './underlay-fit';

describe('underlayFits', () => {
  it('accepts grids of the image shape up to the rounding of one side', () => {
    expect(underlayFits({ width: 600, height: 520 }, { width: 600, height: 520 })).toBe(true);
    expect(underlayFits({ width: 600, height: 520 }, { width: 512, height: 444 })).toBe(true);
    expect(underlayFits({ width: 600, height: 520 }, { width: 64, height: 55 })).toBe(true);
    expect(underlayFits({ width: 256, height: 256 }, { width: 64, height: 64 })).toBe(true);
  });

  it('refuses grids of another shape', () => {
    expect(underlayFits({ width: 600, height: 520 }, { width: 64, height: 64 })).toBe(false);
    expect(underlayFits({ width: 256, height: 256 }, { width: 512, height: 444 })).toBe(false);
    expect(underlayFits({ width: 1000, height: 10 }, { width: 64, height: 64 })).toBe(false);
  });
});
