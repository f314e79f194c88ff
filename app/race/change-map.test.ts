import { describe, expect, it } from 'vitest';
import { trueClassChange } from './change-map';

describe('trueClassChange', () => {
  it('is the change of the true class probability per pixel, in [−1, 1]', () => {
    // 2 pixels × 2 classes; pixel 0 is class 1, pixel 1 class 0.
    const start = new Uint8Array([255, 0, 51, 204]);
    const later = new Uint8Array([0, 255, 204, 51]);
    expect(Array.from(trueClassChange(later, start, [1, 0], 2))).toEqual([1, 0.6000000238418579]);
    expect(Array.from(trueClassChange(start, start, [1, 0], 2))).toEqual([0, 0]);
  });
});
