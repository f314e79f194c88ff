import { expect, it } from 'vitest';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { bandLabels, standardLossProperties } from '../../testing/loss-properties';
import { confidentLogits, lossValue, normal, rng } from '../../testing/properties';

const shape: [number, number, number, number] = [2, 5, 6, 3];
const labels = bandLabels(2, 5, 6, 3);

standardLossProperties('focal', { shape, labels, lr: 3 });
standardLossProperties('focal', { shape, labels, params: { gamma: 0.5, alpha: 0.25 }, lr: 3 });

describeEachBackend('focal values', () => {
  const x = normal(rng(7), 180, 2);
  it('γ = 0 without α is cross-entropy', () => {
    expect(lossValue('focal', x, labels, shape, { gamma: 0 })).toBeCloseTo(
      lossValue('cross-entropy', x, labels, shape),
      5,
    );
  });
  it('focusing lowers the loss (every pixel is weighted by (1 − p_t)^γ ≤ 1)', () => {
    expect(lossValue('focal', x, labels, shape)).toBeLessThan(lossValue('focal', x, labels, shape, { gamma: 0 }));
  });
  it('α = 0.5 halves the unweighted loss', () => {
    expect(lossValue('focal', x, labels, shape, { alpha: 0.5 })).toBeCloseTo(
      0.5 * lossValue('focal', x, labels, shape),
      5,
    );
  });
  it('is accurate for a very confident prediction (1 − p_t from the other classes)', () => {
    // margin 8: 1 − p_t = 2e^{-8}/(1 + 2e^{-8}), −log p_t = log(1 + 2e^{-8}); the same at every pixel.
    const q = (2 * Math.exp(-8)) / (1 + 2 * Math.exp(-8));
    const exact = q * q * Math.log1p(2 * Math.exp(-8));
    const v = lossValue('focal', confidentLogits(labels, shape, 8), labels, shape);
    expect(Math.abs(v - exact) / exact).toBeLessThan(1e-4);
  });
});

standardBadInputs('focal');
