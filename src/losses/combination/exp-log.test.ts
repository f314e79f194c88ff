import { describe, expect, it } from 'vitest';
import { computeLoss, lossAndGrad } from '../../compute';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { confidentLogits, descend, finiteDifferenceError, lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';
import { frequencyWeights } from './exp-log';

const shape: [number, number, number, number] = [1, 6, 7, 3];
const labels = Int32Array.from({ length: 42 }, (_, i) => (i % 7 < 3 ? 0 : i < 21 ? 1 : 2));
const id = 'exp-log';

describeEachBackend(id, () => {
  it('falls towards its minimum 0 as the correct prediction grows confident, with a finite gradient', () => {
    const values = [3, 6, 12, 30].map((m) => lossValue(id, confidentLogits(labels, shape, m), labels, shape));
    for (let k = 1; k < values.length; k++) expect(values[k]).toBeLessThan(values[k - 1] as number);
    expect(values[3]).toBeGreaterThanOrEqual(0);
    expect(values[3]).toBeLessThan(1e-3);
    expect(lossValue(id, normal(rng(9), 126, 2), labels, shape)).toBeGreaterThan(values[0] as number);
    // At margin 30 float32 gives −ln p_t = 0 exactly: the floor before x^γ keeps the gradient finite.
    const grad = tf.tidy(() => {
      const x = tf.tensor4d(confidentLogits(labels, shape, 30), shape);
      const t = tf.tensor3d(labels, [1, 6, 7], 'int32');
      return lossAndGrad(id, x, t).grad.dataSync();
    });
    expect(grad.every(Number.isFinite)).toBe(true);
  });
  it('gradient agrees with central finite differences', () => {
    const x = normal(rng(1), 126, 1.5);
    expect(finiteDifferenceError(id, x, labels, shape)).toBeLessThan(2e-2);
    expect(finiteDifferenceError(id, x, labels, shape, { form: 'segloss', classWeights: [0.2, 0.8, 1] })).toBeLessThan(
      2e-2,
    );
  });
  it('50 steps of gradient descent lower it', () => {
    const { before, after } = descend(id, normal(rng(2), 126, 2), labels, shape, {}, 50, 5);
    expect(after).toBeLessThan(before - 0.1);
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
  it('leaks no tensors', () => {
    const x = tf.tensor4d(normal(rng(3), 126), shape);
    const t = tf.tensor3d(labels, shape.slice(0, 3) as [number, number, number], 'int32');
    const before = tf.memory().numTensors;
    computeLoss(id, x, t).dispose();
    tf.tidy(() => {
      tf.grad((z: tf.Tensor) => computeLoss(id, z as tf.Tensor4D, t))(x);
      tf.grad((z: tf.Tensor) => computeLoss(id, z as tf.Tensor4D, t, { form: 'segloss' }))(x);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, t]);
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

standardBadInputs('exp-log');
