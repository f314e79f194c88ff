import { expect, it } from 'vitest';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { bandLabels, standardLossProperties } from '../../testing/loss-properties';
import { lossValue, normal, rng } from '../../testing/properties';

const shape: [number, number, number, number] = [2, 5, 6, 3];
const labels = bandLabels(2, 5, 6, 3);

standardLossProperties('sensitivity-specificity', { shape, labels, lr: 30, minDecrease: 0.03 });
standardLossProperties('sensitivity-specificity', {
  shape,
  labels,
  params: { r: 0.05, includeBackground: false, batch: true, smooth: 1e-5 },
  lr: 30,
  minDecrease: 0.03,
});

describeEachBackend('sensitivity-specificity values', () => {
  const x = normal(rng(7), 180, 2);
  it('is linear in r between the foreground (r = 1) and background (r = 0) terms', () => {
    const fg = lossValue('sensitivity-specificity', x, labels, shape, { r: 1 });
    const bg = lossValue('sensitivity-specificity', x, labels, shape, { r: 0 });
    expect(lossValue('sensitivity-specificity', x, labels, shape, { r: 0.3 })).toBeCloseTo(0.3 * fg + 0.7 * bg, 5);
  });
});

standardBadInputs('sensitivity-specificity');
