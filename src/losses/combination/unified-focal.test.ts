import { expect, it } from 'vitest';
import { computeLoss } from '../../compute';
import { describeEachBackend } from '../../testing/backends';
import { bandLabels, standardLossProperties } from '../../testing/loss-properties';
import { lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';

const shape: [number, number, number, number] = [2, 5, 6, 2];
const labels = bandLabels(2, 5, 6, 2);

// The clip of p at 1e−7 floors the rare-class term (1 − mTI_1)^{1−γ}: at margin 20 the value is ≈ 1e−4, not 0.
standardLossProperties('unified-focal', { shape, labels, margin: 20, minimumTolerance: 1e-3, lr: 5 });
standardLossProperties('unified-focal', {
  shape,
  labels,
  params: { form: 'symmetric', weight: 0.3, delta: 0.7, gamma: 0.3 },
  margin: 20,
  minimumTolerance: 2e-3,
  lr: 5,
});

describeEachBackend('unified-focal values', () => {
  const x = normal(rng(7), 120, 2);
  it("weightOn 'focal' with λ equals the official weight side with w = 1 − λ", () => {
    expect(lossValue('unified-focal', x, labels, shape, { weight: 0.3, weightOn: 'focal' })).toBeCloseTo(
      lossValue('unified-focal', x, labels, shape, { weight: 0.7 }),
      6,
    );
  });
  it('γ = 0 makes the asymmetric and symmetric forms equal', () => {
    expect(lossValue('unified-focal', x, labels, shape, { gamma: 0, form: 'symmetric' })).toBeCloseTo(
      lossValue('unified-focal', x, labels, shape, { gamma: 0 }),
      6,
    );
  });
  it('weight = 0 is the asymmetric focal part alone: δ-weighted CE on the foreground', () => {
    // γ = 0 and δ = 0.5: the focal part is 0.5 · CE
    expect(lossValue('unified-focal', x, labels, shape, { weight: 0, gamma: 0, delta: 0.5 })).toBeCloseTo(
      0.5 * lossValue('cross-entropy', x, labels, shape),
      5,
    );
  });
  it('is binary only', () => {
    const x3 = tf.zeros([1, 2, 2, 3]) as tf.Tensor4D;
    const t = tf.zeros([1, 2, 2], 'int32') as tf.Tensor3D;
    expect(() => computeLoss('unified-focal', x3, t)).toThrow(/binary/);
    tf.dispose([x3, t]);
  });
});
