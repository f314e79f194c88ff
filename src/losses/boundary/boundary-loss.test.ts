import { describe, expect, it } from 'vitest';
import { computeLoss } from '../../compute';
import { signedDistance } from '../../ops/distance-maps';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { confidentLogits, descend, finiteDifferenceError, lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';

const shape: [number, number, number, number] = [1, 8, 9, 3];
// class 1: a 5×5 block; class 2: a 3-wide bar on the right
const labels = Int32Array.from({ length: 72 }, (_, k) => {
  const i = Math.floor(k / 9);
  const j = k % 9;
  if (i >= 1 && i <= 5 && j >= 1 && j <= 5) return 1;
  return j >= 6 ? 2 : 0;
});

/** The loss at a perfect prediction: mean over the supervised classes of φ on the class (≤ 0). */
function analyticMinimum(classes: number[]): number {
  let s = 0;
  for (const c of classes) {
    const phi = signedDistance(labels, 8, 9, c, 'trunc');
    for (let i = 0; i < 72; i++) if (labels[i] === c) s += phi[i] as number;
  }
  return s / (72 * classes.length);
}

describeEachBackend('boundary-loss', () => {
  it('its minimum is negative: at a confident correct prediction it equals −mean interior depth', () => {
    const v = lossValue('boundary-loss', confidentLogits(labels, shape), labels, shape);
    const min = analyticMinimum([1, 2]);
    expect(min).toBeLessThan(0);
    expect(Math.abs(v - min)).toBeLessThan(1e-3);
    for (let s = 0; s < 5; s++)
      expect(lossValue('boundary-loss', normal(rng(s), 216, 2), labels, shape)).toBeGreaterThan(v);
  });
  it('gradient agrees with central finite differences (both roundings)', () => {
    const x = normal(rng(1), 216, 1.5);
    expect(finiteDifferenceError('boundary-loss', x, labels, shape)).toBeLessThan(2e-2);
    expect(
      finiteDifferenceError('boundary-loss', x, labels, shape, { distanceRounding: 'none', classes: [0, 2] }),
    ).toBeLessThan(2e-2);
  });
  it('50 steps of gradient descent lower it', () => {
    const { before, after } = descend('boundary-loss', normal(rng(2), 216, 2), labels, shape, {}, 50, 50);
    expect(after).toBeLessThan(before - 0.2);
  });
  it('leaks no tensors (own context: cached maps are disposed with it)', () => {
    const x = tf.tensor4d(normal(rng(3), 216), shape);
    const t = tf.tensor3d(labels, [1, 8, 9], 'int32');
    const before = tf.memory().numTensors;
    computeLoss('boundary-loss', x, t).dispose();
    tf.tidy(() => {
      tf.grad((z: tf.Tensor) => computeLoss('boundary-loss', z as tf.Tensor4D, t))(x);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, t]);
  });
});

describe('boundary-loss parameters', () => {
  it('classes select the averaged maps; duplicates count twice; out-of-range classes throw', () => {
    const x = normal(rng(4), 216, 2);
    const v1 = lossValue('boundary-loss', x, labels, shape, { classes: [1] });
    const v2 = lossValue('boundary-loss', x, labels, shape, { classes: [2] });
    expect(lossValue('boundary-loss', x, labels, shape)).toBeCloseTo((v1 + v2) / 2, 5);
    expect(lossValue('boundary-loss', x, labels, shape, { classes: [1, 1, 2] })).toBeCloseTo((2 * v1 + v2) / 3, 5);
    expect(() => lossValue('boundary-loss', x, labels, shape, { classes: [3] })).toThrow(/outside/);
    expect(() => lossValue('boundary-loss', x, labels, shape, { distanceRounding: 'round' })).toThrow(
      /distanceRounding/,
    );
  });
  it('truncation changes the map only where distances are not integers', () => {
    const x = normal(rng(5), 216, 2);
    const a = lossValue('boundary-loss', x, labels, shape, { distanceRounding: 'trunc' });
    const b = lossValue('boundary-loss', x, labels, shape, { distanceRounding: 'none' });
    expect(Math.abs(a - b)).toBeGreaterThan(1e-4); // diagonal distances (√2, √5, …) are truncated
    const flat = Int32Array.from({ length: 72 }, (_, k) => (k % 9 < 3 ? 1 : 0)); // straight edge: integer distances
    expect(lossValue('boundary-loss', x, flat, shape, { distanceRounding: 'trunc' })).toBeCloseTo(
      lossValue('boundary-loss', x, flat, shape, { distanceRounding: 'none' }),
      6,
    );
  });
});

standardBadInputs('boundary-loss');
