import { describe, expect, it } from 'vitest';
import { computeLoss } from '../../compute';
import { rectifiedRegionWise } from '../../ops/distance-maps';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { confidentLogits, descend, finiteDifferenceError, lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';
import { gradualCeWeight } from './region-wise';

const shape: [number, number, number, number] = [1, 8, 9, 3];
const labels = Int32Array.from({ length: 72 }, (_, k) => {
  const i = Math.floor(k / 9);
  const j = k % 9;
  if ((i - 3.5) ** 2 + (j - 3) ** 2 < 7) return 1;
  return j >= 7 ? 2 : 0;
});

describeEachBackend('region-wise', () => {
  it('its minimum is negative: at a confident correct prediction it is mean_{n,c,i} y·Z (−mean depth)', () => {
    let min = 0;
    for (let c = 0; c < 3; c++) {
      const z = rectifiedRegionWise(labels, 8, 9, c);
      for (let i = 0; i < 72; i++) if (labels[i] === c) min += z[i] as number;
    }
    min /= 72 * 3;
    const v = lossValue('region-wise', confidentLogits(labels, shape), labels, shape);
    expect(min).toBeLessThan(0);
    expect(Math.abs(v - min)).toBeLessThan(1e-3);
    for (let s = 0; s < 5; s++)
      expect(lossValue('region-wise', normal(rng(s), 216, 2), labels, shape)).toBeGreaterThan(v);
  });
  it('gradient agrees with central finite differences (plain and scheduled)', () => {
    const x = normal(rng(1), 216, 1.5);
    expect(finiteDifferenceError('region-wise', x, labels, shape)).toBeLessThan(2e-2);
    expect(finiteDifferenceError('region-wise', x, labels, shape, { epoch: 30 })).toBeLessThan(2e-2);
  });
  it('50 steps of gradient descent lower it', () => {
    const { before, after } = descend('region-wise', normal(rng(2), 216, 2), labels, shape, {}, 50, 50);
    expect(after).toBeLessThan(before - 0.1);
  });
  it('leaks no tensors', () => {
    const x = tf.tensor4d(normal(rng(3), 216), shape);
    const t = tf.tensor3d(labels, [1, 8, 9], 'int32');
    const before = tf.memory().numTensors;
    computeLoss('region-wise', x, t, { epoch: 10 }).dispose();
    tf.tidy(() => {
      tf.grad((z: tf.Tensor) => computeLoss('region-wise', z as tf.Tensor4D, t))(x);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, t]);
  });
});

describe('region-wise epoch schedule', () => {
  it('a = max((100 − e)/100, 0.01)', () => {
    expect(gradualCeWeight(0)).toBe(1);
    expect(gradualCeWeight(50)).toBe(0.5);
    expect(gradualCeWeight(99)).toBeCloseTo(0.01, 12);
    expect(gradualCeWeight(500)).toBe(0.01);
  });
  it('epoch 0 is cross-entropy; the schedule interpolates linearly between CE and RW', () => {
    const x = normal(rng(6), 216, 2);
    const ce = lossValue('cross-entropy', x, labels, shape);
    const rw = lossValue('region-wise', x, labels, shape);
    expect(lossValue('region-wise', x, labels, shape, { epoch: 0 })).toBeCloseTo(ce, 5);
    expect(lossValue('region-wise', x, labels, shape, { epoch: 40 })).toBeCloseTo(0.6 * ce + 0.4 * rw, 5);
    expect(lossValue('region-wise', x, labels, shape, { epoch: 300 })).toBeCloseTo(0.01 * ce + 0.99 * rw, 5);
    expect(() => lossValue('region-wise', x, labels, shape, { epoch: 1.5 })).toThrow(/epoch/);
  });
  it('an absent class contributes its mean probability (Z = 1 everywhere)', () => {
    const two = Int32Array.from(labels, (v) => (v === 2 ? 0 : v));
    const x = normal(rng(7), 216, 2);
    const p = tf.tidy(() => tf.softmax(tf.tensor4d(x, shape)).dataSync());
    let absent = 0;
    for (let i = 0; i < 72; i++) absent += p[i * 3 + 2] as number;
    let rest = 0;
    for (const c of [0, 1]) {
      const z = rectifiedRegionWise(two, 8, 9, c);
      for (let i = 0; i < 72; i++) rest += (p[i * 3 + c] as number) * (z[i] as number);
    }
    expect(lossValue('region-wise', x, two, shape)).toBeCloseTo((absent + rest) / 216, 5);
  });
});

standardBadInputs('region-wise');
