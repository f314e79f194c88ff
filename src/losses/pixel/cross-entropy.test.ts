import { expect, it } from 'vitest';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { bandLabels, standardLossProperties } from '../../testing/loss-properties';
import { lossValue, normal, rng } from '../../testing/properties';

const shape: [number, number, number, number] = [2, 5, 6, 3];
const labels = bandLabels(2, 5, 6, 3);

standardLossProperties('cross-entropy', { shape, labels });
standardLossProperties('cross-entropy', { shape, labels, params: { classWeights: [0.2, 1, 3] } });
standardLossProperties('cross-entropy', {
  shape,
  labels,
  params: { labelSmoothing: 0.1 },
  // With smoothing the minimum is the entropy of q = (1 − ε)·y + ε/C, reached at p = q: a logit margin of
  // log(q_true / q_other) = log 28 for ε = 0.1, C = 3.
  margin: Math.log(28),
  minimum: -((0.9 + 0.1 / 3) * Math.log(0.9 + 0.1 / 3) + 2 * (0.1 / 3) * Math.log(0.1 / 3)),
});
standardBadInputs('cross-entropy');

describeEachBackend('cross-entropy values', () => {
  const x = normal(rng(7), 180, 2);
  it('is the mean of −log p of the true class (checked by hand)', () => {
    let sum = 0;
    for (let i = 0; i < 60; i++) {
      const z = [x[i * 3], x[i * 3 + 1], x[i * 3 + 2]] as number[];
      const m = Math.max(...z);
      const lse = m + Math.log(z.reduce((a, b) => a + Math.exp(b - m), 0));
      sum += lse - (z[labels[i] as number] as number);
    }
    expect(lossValue('cross-entropy', x, labels, shape)).toBeCloseTo(sum / 60, 5);
  });
  it('equal class weights give the unweighted loss (the weights are normalised)', () => {
    expect(lossValue('cross-entropy', x, labels, shape, { classWeights: [5, 5, 5] })).toBeCloseTo(
      lossValue('cross-entropy', x, labels, shape),
      5,
    );
  });
});
