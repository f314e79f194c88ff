import { describe, expect, it } from 'vitest';
import { rectifiedRegionWise } from '../../ops/distance-maps';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { standardLossProperties } from '../../testing/loss-properties';
import { finiteDifferenceError, lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';
import { gradualCeWeight } from './region-wise';

const shape: [number, number, number, number] = [1, 8, 9, 3];
const labels = Int32Array.from({ length: 72 }, (_, k) => {
  const i = Math.floor(k / 9);
  const j = k % 9;
  if ((i - 3.5) ** 2 + (j - 3) ** 2 < 7) return 1;
  return j >= 7 ? 2 : 0;
});

/** The minimum: at a confident correct prediction the loss is mean_{n,c,i} y·Z (−mean depth, negative). */
function analyticMinimum(): number {
  let min = 0;
  for (let c = 0; c < 3; c++) {
    const z = rectifiedRegionWise(labels, 8, 9, c);
    for (let i = 0; i < 72; i++) if (labels[i] === c) min += z[i] as number;
  }
  return min / (72 * 3);
}

standardLossProperties('region-wise', {
  shape,
  labels,
  minimum: analyticMinimum(),
  minimumTolerance: 1e-3,
  lr: 50,
  minDecrease: 0.1,
});

describeEachBackend('region-wise values', () => {
  it('its minimum is negative (Z < 0 inside each class)', () => {
    expect(analyticMinimum()).toBeLessThan(0);
  });
  it('gradient agrees with central finite differences under the epoch schedule', () => {
    expect(finiteDifferenceError('region-wise', normal(rng(1), 216, 1.5), labels, shape, { epoch: 30 })).toBeLessThan(
      2e-2,
    );
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
