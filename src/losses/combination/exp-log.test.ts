import { describe, expect, it } from 'vitest';
import { lossAndGrad } from '../../compute';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { standardLossProperties } from '../../testing/loss-properties';
import { confidentLogits, lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';
import { frequencyWeights } from './exp-log';

const shape: [number, number, number, number] = [1, 6, 7, 3];
const labels = Int32Array.from({ length: 42 }, (_, i) => (i % 7 < 3 ? 0 : i < 21 ? 1 : 2));
const id = 'exp-log';

// (−ln p)^γ with γ = 0.3 reaches 0 only at float32 certainty: the minimum is checked at a logit margin of 30,
// and the noise that must raise it is wide enough (σ = 8) to leave that certainty.
standardLossProperties(id, {
  shape,
  labels,
  margin: 30,
  noiseScale: 8,
  minimumTolerance: 1e-3,
  lr: 5,
  minDecrease: 0.1,
});
standardLossProperties(id, {
  shape,
  labels,
  params: { form: 'segloss', classWeights: [0.2, 0.8, 1] },
  margin: 30,
  noiseScale: 8,
  minimumTolerance: 1e-3,
  lr: 5,
  minDecrease: 0.1,
});
standardBadInputs(id);

describeEachBackend(`${id} values`, () => {
  it('falls towards its minimum 0 as the correct prediction grows confident, with a finite gradient', () => {
    const values = [3, 6, 12, 30].map((m) => lossValue(id, confidentLogits(labels, shape, m), labels, shape));
    for (let k = 1; k < values.length; k++) expect(values[k]).toBeLessThan(values[k - 1] as number);
    // At margin 30 float32 gives −ln p_t = 0 exactly: the floor before x^γ keeps the gradient finite.
    const grad = tf.tidy(() => {
      const x = tf.tensor4d(confidentLogits(labels, shape, 30), shape);
      const t = tf.tensor3d(labels, [1, 6, 7], 'int32');
      return lossAndGrad(id, x, t).grad.dataSync();
    });
    expect(grad.every(Number.isFinite)).toBe(true);
  });
  it('with γ = 1 and unit weights its CE term is the plain cross-entropy', () => {
    const x = normal(rng(4), 126, 1.5);
    const ours = lossValue(id, x, labels, shape, { wDice: 0, wCross: 1, gammaCross: 1, classWeights: [1, 1, 1] });
    expect(ours).toBeCloseTo(lossValue('cross-entropy', x, labels, shape), 5);
  });
  it("form 'segloss' = w_D (−ln mean Dice)^γ + w_C · CE (plain or with explicit weights), from the Dice and CE losses", () => {
    const x = normal(rng(5), 126, 1.5);
    const ours = lossValue(id, x, labels, shape, { form: 'segloss' });
    const meanDice = 1 - lossValue('dice', x, labels, shape, { smoothNr: 1, smoothDr: 1 });
    const ce = lossValue('cross-entropy', x, labels, shape);
    expect(ours).toBeCloseTo(0.8 * (-Math.log(meanDice)) ** 0.3 + 0.2 * ce, 5);
    const weighted = lossValue(id, x, labels, shape, { form: 'segloss', classWeights: [0.2, 0.8, 1] });
    const wce = lossValue('cross-entropy', x, labels, shape, { classWeights: [0.2, 0.8, 1] });
    expect(weighted).toBeCloseTo(0.8 * (-Math.log(meanDice)) ** 0.3 + 0.2 * wce, 5);
  });
});

describe('exp-log class weights', () => {
  it('w_l = sqrt(Σ f / f_l) over the batch, 0 for an absent class', () => {
    const w = frequencyWeights(
      [
        [6, 2, 0],
        [2, 6, 0],
      ],
      3,
    );
    expect(w[0]).toBeCloseTo(Math.sqrt(2), 12);
    expect(w[1]).toBeCloseTo(Math.sqrt(2), 12);
    expect(w[2]).toBe(0);
  });
});
