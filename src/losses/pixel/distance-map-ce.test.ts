import { describe, expect, it } from 'vitest';
import { computeLoss } from '../../compute';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { bandLabels, standardLossProperties } from '../../testing/loss-properties';
import { confidentLogits, descend, finiteDifferenceError, lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';

const shape: [number, number, number, number] = [1, 9, 10, 3];
const labels = Int32Array.from({ length: 90 }, (_, k) => {
  const i = Math.floor(k / 10);
  const j = k % 10;
  if (i >= 1 && i <= 6 && j >= 1 && j <= 6) return 1;
  return i >= 7 && j >= 7 ? 2 : 0;
});

describeEachBackend('distance-map-ce', () => {
  it('is ≈ 0 at a confident correct prediction', () => {
    expect(lossValue('distance-map-ce', confidentLogits(labels, shape), labels, shape)).toBeLessThan(1e-4);
  });
  it('gradient agrees with central finite differences', () => {
    const x = normal(rng(1), 270, 1.5);
    expect(finiteDifferenceError('distance-map-ce', x, labels, shape)).toBeLessThan(2e-2);
    expect(finiteDifferenceError('distance-map-ce', x, labels, shape, { weightOffset: 0 })).toBeLessThan(2e-2);
  });
  it('50 steps of gradient descent lower it', () => {
    const { before, after } = descend('distance-map-ce', normal(rng(2), 270, 2), labels, shape, {}, 50, 5);
    expect(after).toBeLessThan(before - 1);
  });
  it('leaks no tensors', () => {
    const x = tf.tensor4d(normal(rng(3), 270), shape);
    const t = tf.tensor3d(labels, [1, 9, 10], 'int32');
    const before = tf.memory().numTensors;
    computeLoss('distance-map-ce', x, t).dispose();
    tf.tidy(() => {
      tf.grad((z: tf.Tensor) => computeLoss('distance-map-ce', z as tf.Tensor4D, t))(x);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, t]);
  });
});

describe('distance-map-ce weighting', () => {
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

standardBadInputs('distance-map-ce');

// The shared property suite (issue 10.8), on the standard 2×5×6×3 band image.
standardLossProperties('distance-map-ce', {
  shape: [2, 5, 6, 3],
  labels: bandLabels(2, 5, 6, 3),
  title: 'distance-map-ce standard properties',
});
