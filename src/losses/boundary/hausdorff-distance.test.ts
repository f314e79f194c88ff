import { describe, expect, it } from 'vitest';
import { computeLoss } from '../../compute';
import { describeEachBackend } from '../../testing/backends';
import { confidentLogits, descend, finiteDifferenceError, lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';

const shape: [number, number, number, number] = [1, 8, 9, 3];
const labels = Int32Array.from({ length: 72 }, (_, k) => {
  const i = Math.floor(k / 9);
  const j = k % 9;
  if (i >= 2 && i <= 5 && j >= 1 && j <= 4) return 1;
  return j >= 7 ? 2 : 0;
});

/** Logits whose class probabilities all stay away from the 0.5 threshold (finite differences stay smooth). */
function awayFromThreshold(seed: number): Float32Array {
  const x = normal(rng(seed), 216, 1.5);
  for (let i = 0; i < 216; i += 3) {
    const m = Math.max(x[i] as number, x[i + 1] as number, x[i + 2] as number);
    const e = [0, 1, 2].map((k) => Math.exp((x[i + k] as number) - m));
    const s = e[0]! + e[1]! + e[2]!;
    for (let k = 0; k < 3; k++) {
      const p = e[k]! / s;
      if (Math.abs(p - 0.5) < 0.05) x[i + k] = (x[i + k] as number) + (p > 0.5 ? 0.5 : -0.5);
    }
  }
  return x;
}

describeEachBackend('hausdorff-distance', () => {
  for (const estimator of ['distance-transform', 'erosion'] as const) {
    describe(estimator, () => {
      it('is ≈ 0 at a confident correct prediction', () => {
        expect(
          lossValue('hausdorff-distance', confidentLogits(labels, shape), labels, shape, { estimator }),
        ).toBeLessThan(1e-4);
      });
      it('gradient agrees with central finite differences', () => {
        const x = awayFromThreshold(1);
        expect(finiteDifferenceError('hausdorff-distance', x, labels, shape, { estimator })).toBeLessThan(2e-2);
        expect(
          finiteDifferenceError('hausdorff-distance', x, labels, shape, {
            estimator,
            alpha: 1,
            includeBackground: true,
          }),
        ).toBeLessThan(2e-2);
      });
      it('50 steps of gradient descent lower it', () => {
        const { before, after } = descend(
          'hausdorff-distance',
          normal(rng(2), 216, 2),
          labels,
          shape,
          { estimator },
          50,
          0.5,
        );
        expect(after).toBeLessThan(0.7 * before); // the prediction field moves with p: not a fixed quadratic
      });
      it('leaks no tensors', () => {
        const x = tf.tensor4d(normal(rng(3), 216), shape);
        const t = tf.tensor3d(labels, [1, 8, 9], 'int32');
        const before = tf.memory().numTensors;
        computeLoss('hausdorff-distance', x, t, { estimator }).dispose();
        tf.tidy(() => {
          tf.grad((z: tf.Tensor) => computeLoss('hausdorff-distance', z as tf.Tensor4D, t, { estimator }))(x);
        });
        expect(tf.memory().numTensors).toBe(before);
        tf.dispose([x, t]);
      });
    });
  }
});

describe('hausdorff-distance parameters', () => {
  it('batch gives the same value as per-image averaging (equal image sizes)', () => {
    const two = Int32Array.from({ length: 144 }, (_, k) => labels[k % 72] as number);
    const s2: [number, number, number, number] = [2, 8, 9, 3];
    const x = normal(rng(8), 432, 2);
    expect(lossValue('hausdorff-distance', x, two, s2, { batch: true })).toBeCloseTo(
      lossValue('hausdorff-distance', x, two, s2, { batch: false }),
      4,
    );
  });
  it('a larger alpha weighs far-off errors more: an error far from both boundaries grows with α', () => {
    // prediction = ground truth except one far pixel of class 2 predicted as class 1
    const x = confidentLogits(labels, shape, 6);
    const far = 0; // (0, 0): background, far from class 1 and 2 boundaries
    x[far * 3 + 1] = 12;
    const a1 = lossValue('hausdorff-distance', x, labels, shape, { alpha: 1 });
    const a2 = lossValue('hausdorff-distance', x, labels, shape, { alpha: 2 });
    expect(a2).toBeGreaterThan(a1);
  });
});
