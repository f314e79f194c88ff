import { expect, it } from 'vitest';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { bandLabels, standardLossProperties } from '../../testing/loss-properties';
import { lossValue, normal, rng } from '../../testing/properties';

const shape: [number, number, number, number] = [2, 5, 6, 3];
const labels = bandLabels(2, 5, 6, 3);

// (1 − TI)^0.75 approaches its minimum 0 slowly: at margin 12 it is still 2e-4, so use margin 20.
standardLossProperties('focal-tversky', { shape, labels, margin: 20, lr: 20 });
standardLossProperties('focal-tversky', {
  shape,
  labels,
  params: { reduction: 'classMean', includeBackground: true, gamma: 1.5 },
  margin: 20,
  lr: 20,
});

describeEachBackend('focal-tversky values', () => {
  const x = normal(rng(7), 180, 2);
  it('γ = 1 on C = 2 is the batch Tversky loss of the foreground class', () => {
    const s: [number, number, number, number] = [2, 5, 6, 2];
    const l = bandLabels(2, 5, 6, 2);
    const x2 = normal(rng(8), 120, 2);
    expect(lossValue('focal-tversky', x2, l, s, { gamma: 1 })).toBeCloseTo(
      lossValue('tversky', x2, l, s, {
        alpha: 0.3,
        beta: 0.7,
        includeBackground: false,
        batch: true,
        smoothNr: 1,
        smoothDr: 1,
      }),
      5,
    );
  });
  it('is (Tversky loss)^γ', () => {
    const t = lossValue('focal-tversky', x, labels, shape, { gamma: 1 });
    expect(lossValue('focal-tversky', x, labels, shape)).toBeCloseTo(t ** 0.75, 5);
  });
  it("gammaConvention 'inverse' uses the exponent 1/γ (paper and survey)", () => {
    expect(lossValue('focal-tversky', x, labels, shape, { gamma: 4 / 3, gammaConvention: 'inverse' })).toBeCloseTo(
      lossValue('focal-tversky', x, labels, shape, { gamma: 0.75 }),
      5,
    );
  });
  it('classSum is C′ times classMean', () => {
    const sum = lossValue('focal-tversky', x, labels, shape, { reduction: 'classSum' });
    expect(sum).toBeCloseTo(2 * lossValue('focal-tversky', x, labels, shape, { reduction: 'classMean' }), 5);
  });
});

standardBadInputs('focal-tversky');
