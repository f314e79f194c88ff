import { expect, it } from 'vitest';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { bandLabels, standardLossProperties } from '../../testing/loss-properties';
import { lossValue, normal, rng, softmaxByHand } from '../../testing/properties';

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
  it('equals the per-image, per-class formula computed by hand (r = 0.1, s = 1, with background)', () => {
    const p = softmaxByHand(x, 3);
    let total = 0;
    for (let b = 0; b < 2; b++)
      for (let k = 0; k < 3; k++) {
        let missed = 0;
        let fg = 0;
        let extra = 0;
        let bg = 0;
        for (let i = b * 30; i < (b + 1) * 30; i++) {
          const y = labels[i] === k ? 1 : 0;
          const q = p[i * 3 + k] as number;
          missed += (1 - q) ** 2 * y;
          extra += q ** 2 * (1 - y);
          fg += y;
          bg += 1 - y;
        }
        total += 0.1 * (missed / (fg + 1)) + 0.9 * (extra / (bg + 1));
      }
    expect(lossValue('sensitivity-specificity', x, labels, shape)).toBeCloseTo(total / 6, 5);
  });
  it('is linear in r between the foreground (r = 1) and background (r = 0) terms', () => {
    const fg = lossValue('sensitivity-specificity', x, labels, shape, { r: 1 });
    const bg = lossValue('sensitivity-specificity', x, labels, shape, { r: 0 });
    expect(lossValue('sensitivity-specificity', x, labels, shape, { r: 0.3 })).toBeCloseTo(0.3 * fg + 0.7 * bg, 5);
  });
});

standardBadInputs('sensitivity-specificity');
