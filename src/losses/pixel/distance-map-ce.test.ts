import { expect, it } from 'vitest';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { standardLossProperties } from '../../testing/loss-properties';
import { lossValue, normal, rng } from '../../testing/properties';

const shape: [number, number, number, number] = [1, 9, 10, 3];
const labels = Int32Array.from({ length: 90 }, (_, k) => {
  const i = Math.floor(k / 10);
  const j = k % 10;
  if (i >= 1 && i <= 6 && j >= 1 && j <= 6) return 1;
  return i >= 7 && j >= 7 ? 2 : 0;
});

standardLossProperties('distance-map-ce', { shape, labels, lr: 5, minDecrease: 1 });
standardLossProperties('distance-map-ce', { shape, labels, params: { weightOffset: 0 }, lr: 5, minDecrease: 0.5 });
standardBadInputs('distance-map-ce');

describeEachBackend('distance-map-ce weighting', () => {
  it('is affine in weightOffset with slope = plain cross-entropy (the weights really are applied)', () => {
    const x = normal(rng(4), 270, 2);
    const ce = lossValue('cross-entropy', x, labels, shape);
    const l0 = lossValue('distance-map-ce', x, labels, shape, { weightOffset: 0 });
    const l1 = lossValue('distance-map-ce', x, labels, shape, { weightOffset: 1 });
    const l3 = lossValue('distance-map-ce', x, labels, shape, { weightOffset: 3 });
    expect(l1 - l0).toBeCloseTo(ce, 4);
    expect(l3 - l0).toBeCloseTo(3 * ce, 4);
    expect(l0).toBeGreaterThan(0); // Φ-weighted part is not empty
    expect(l1).toBeGreaterThan(ce); // unlike SegLoss DisPenalizedCE, which returns plain CE
  });
  it('a single-class image (reference: NaN) gives weightOffset × CE', () => {
    const flat = new Int32Array(90);
    const x = normal(rng(5), 270, 2);
    const ce = lossValue('cross-entropy', x, flat, shape);
    expect(lossValue('distance-map-ce', x, flat, shape, { weightOffset: 2 })).toBeCloseTo(2 * ce, 4);
  });
  it('a one-pixel object (reference: NaN) is finite', () => {
    const one = new Int32Array(90);
    one[44] = 1;
    expect(Number.isFinite(lossValue('distance-map-ce', normal(rng(6), 270, 2), one, shape))).toBe(true);
  });
});
