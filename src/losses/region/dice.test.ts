import { describe, expect, it } from 'vitest';
import { computeLoss } from '../../compute';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { bandLabels, standardLossProperties } from '../../testing/loss-properties';
import { confidentLogits, descend, finiteDifferenceError, lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';

const shape: [number, number, number, number] = [1, 6, 7, 3];
const labels = Int32Array.from({ length: 42 }, (_, i) => (i % 7 < 3 ? 0 : i < 21 ? 1 : 2));

describeEachBackend('dice', () => {
  it('is ≈ 0 at a confident correct prediction', () => {
    expect(lossValue('dice', confidentLogits(labels, shape), labels, shape)).toBeLessThan(1e-4);
  });
  it('gradient agrees with central finite differences', () => {
    const x = normal(rng(1), 42 * 3, 1.5);
    expect(finiteDifferenceError('dice', x, labels, shape)).toBeLessThan(2e-2);
  });
  it('50 steps of gradient descent lower it', () => {
    const { before, after } = descend('dice', normal(rng(2), 42 * 3, 2), labels, shape, {}, 50, 20);
    expect(after).toBeLessThan(before - 0.1);
  });
  it('leaks no tensors', () => {
    const x = tf.tensor4d(normal(rng(3), 42 * 3), shape);
    const t = tf.tensor3d(labels, shape.slice(0, 3) as [number, number, number], 'int32');
    const before = tf.memory().numTensors;
    computeLoss('dice', x, t).dispose();
    tf.tidy(() => {
      tf.grad((z: tf.Tensor) => computeLoss('dice', z as tf.Tensor4D, t))(x);
    });
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    t.dispose();
  });
});

describe('dice parameters', () => {
  it('rejects a NaN smoothing with a message naming the parameter', () => {
    const x = tf.zeros([1, 2, 2, 2]) as tf.Tensor4D;
    const t = tf.zeros([1, 2, 2], 'int32') as tf.Tensor3D;
    expect(() => computeLoss('dice', x, t, { smoothNr: Number.NaN })).toThrow(/smoothNr/);
    tf.dispose([x, t]);
  });
});

standardBadInputs('dice');

// The shared property suite (issue 10.8), on the standard 2×5×6×3 band image.
standardLossProperties('dice', {
  shape: [2, 5, 6, 3],
  labels: bandLabels(2, 5, 6, 3),
  lr: 20,
  title: 'dice standard properties',
});
