import { expect, it } from 'vitest';
import { computeLoss } from '../../compute';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
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
  it('the symmetric form equals a float64 transcription of the official sym_unified_focal_loss', () => {
    // loss_functions.py: symmetric_focal_tversky_loss (per image and class, enhancement on both classes) and
    // symmetric_focal_loss (suppression on both classes), combined as weight·FTL + (1 − weight)·FL.
    const [n, h, w] = [shape[0], shape[1], shape[2]];
    const { weight, delta, gamma } = { weight: 0.3, delta: 0.7, gamma: 0.3 };
    const eps = 1e-7;
    const clip = (v: number) => Math.min(1 - eps, Math.max(eps, v));
    let ftl = 0;
    let fl = 0;
    for (let b = 0; b < n; b++) {
      const tp = [0, 0];
      const fn = [0, 0];
      const fp = [0, 0];
      for (let i = 0; i < h * w; i++) {
        const k = b * h * w + i;
        const z0 = x[k * 2] as number;
        const z1 = x[k * 2 + 1] as number;
        const m = Math.max(z0, z1);
        const e0 = Math.exp(z0 - m);
        const e1 = Math.exp(z1 - m);
        const p = [clip(e0 / (e0 + e1)), clip(e1 / (e0 + e1))];
        const t = labels[k] as number;
        for (let c = 0; c < 2; c++) {
          const y = t === c ? 1 : 0;
          tp[c] = (tp[c] as number) + y * (p[c] as number);
          fn[c] = (fn[c] as number) + y * (1 - (p[c] as number));
          fp[c] = (fp[c] as number) + (1 - y) * (p[c] as number);
          const ce = -y * Math.log(p[c] as number);
          fl += (c === 0 ? 1 - delta : delta) * (1 - (p[c] as number)) ** gamma * ce;
        }
      }
      for (let c = 0; c < 2; c++) {
        const ti =
          ((tp[c] as number) + eps) /
          ((tp[c] as number) + delta * (fn[c] as number) + (1 - delta) * (fp[c] as number) + eps);
        ftl += (1 - ti) ** (1 - gamma);
      }
    }
    const official = weight * (ftl / (2 * n)) + (1 - weight) * (fl / (n * h * w));
    expect(lossValue('unified-focal', x, labels, shape, { form: 'symmetric', weight, delta, gamma })).toBeCloseTo(
      official,
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

standardBadInputs('unified-focal');
