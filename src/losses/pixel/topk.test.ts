import { describe, expect, it } from 'vitest';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { bandLabels, standardLossProperties } from '../../testing/loss-properties';
import { lossValue, normal, rng } from '../../testing/properties';
import { topkPixels } from './topk';

const shape: [number, number, number, number] = [2, 5, 6, 3];
const labels = bandLabels(2, 5, 6, 3);

standardLossProperties('topk', { shape, labels });
standardLossProperties('topk', { shape, labels, params: { kPercent: 30 } });

describeEachBackend('topk values', () => {
  const x = normal(rng(7), 180, 2);
  it('kPercent = 100 is the mean cross-entropy', () => {
    expect(lossValue('topk', x, labels, shape, { kPercent: 100 })).toBeCloseTo(
      lossValue('cross-entropy', x, labels, shape),
      5,
    );
  });
  it('averages the hardest pixels, so it is at least the mean CE and grows as k shrinks', () => {
    const ce = lossValue('cross-entropy', x, labels, shape);
    const k30 = lossValue('topk', x, labels, shape, { kPercent: 30 });
    const k10 = lossValue('topk', x, labels, shape, { kPercent: 10 });
    expect(k30).toBeGreaterThan(ce);
    expect(k10).toBeGreaterThan(k30);
  });
  it('keeps at least one pixel: a tiny kPercent gives the largest CE (finite, where the reference is NaN)', () => {
    const v = lossValue('topk', x, labels, shape, { kPercent: 0.1 });
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeGreaterThan(lossValue('topk', x, labels, shape, { kPercent: 10 }));
  });
});

describe('topk k', () => {
  it('is ⌊P·k/100⌋ and at least 1', () => {
    expect(topkPixels(60, 10)).toBe(6);
    expect(topkPixels(60, 1)).toBe(1);
    expect(topkPixels(60, 0)).toBe(1);
  });
});

standardBadInputs('topk');
