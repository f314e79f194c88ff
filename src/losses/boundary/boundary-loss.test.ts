import { describe, expect, it } from 'vitest';
import { signedDistance } from '../../ops/distance-maps';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { standardLossProperties } from '../../testing/loss-properties';
import { confidentLogits, finiteDifferenceError, lossValue, normal, rng } from '../../testing/properties';

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

// The minimum is negative: at a confident correct prediction the loss is −(mean interior depth).
standardLossProperties('boundary-loss', {
  shape,
  labels,
  minimum: analyticMinimum([1, 2]),
  minimumTolerance: 1e-3,
  lr: 50,
  minDecrease: 0.2,
});
standardBadInputs('boundary-loss', [
  { what: 'classes = [] (nothing supervised)', params: { classes: [] }, says: ['boundary-loss', "'classes'", '[]'] },
  { what: 'classes = [0, 2] for C = 2', params: { classes: [0, 2] }, says: ['boundary-loss', "'classes'", '[0, 2]'] },
]);

describeEachBackend('boundary-loss values', () => {
  it('the analytic minimum is negative (−mean interior depth of the supervised classes)', () => {
    expect(analyticMinimum([1, 2])).toBeLessThan(0);
    expect(lossValue('boundary-loss', confidentLogits(labels, shape), labels, shape, { classes: [2] })).toBeCloseTo(
      analyticMinimum([2]),
      3,
    );
  });
  it('gradient agrees with central finite differences without rounding and with the background supervised', () => {
    const x = normal(rng(1), 216, 1.5);
    expect(
      finiteDifferenceError('boundary-loss', x, labels, shape, { distanceRounding: 'none', classes: [0, 2] }),
    ).toBeLessThan(2e-2);
  });
});

describe('boundary-loss parameters', () => {
  it('classes select the averaged maps; duplicates count twice; out-of-range classes throw', () => {
    const x = normal(rng(4), 216, 2);
    const v1 = lossValue('boundary-loss', x, labels, shape, { classes: [1] });
    const v2 = lossValue('boundary-loss', x, labels, shape, { classes: [2] });
    expect(lossValue('boundary-loss', x, labels, shape)).toBeCloseTo((v1 + v2) / 2, 5);
    expect(lossValue('boundary-loss', x, labels, shape, { classes: [1, 1, 2] })).toBeCloseTo((2 * v1 + v2) / 3, 5);
    expect(() => lossValue('boundary-loss', x, labels, shape, { classes: [3] })).toThrow(/'classes' .*outside/);
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
