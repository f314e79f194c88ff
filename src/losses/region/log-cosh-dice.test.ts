import { expect, it } from 'vitest';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { bandLabels, standardLossProperties } from '../../testing/loss-properties';
import { lossValue, normal, rng, softmaxByHand } from '../../testing/properties';
import { tf } from '../../tf';
import { log1pAccurate, logCosh } from './log-cosh-dice';

const shape: [number, number, number, number] = [2, 5, 6, 3];
const labels = bandLabels(2, 5, 6, 3);

standardLossProperties('log-cosh-dice', { shape, labels, lr: 30, minDecrease: 0.02 });
standardLossProperties('log-cosh-dice', {
  shape,
  labels,
  params: { includeBackground: true, smooth: 1e-5 },
  lr: 30,
  minDecrease: 0.02,
});

describeEachBackend('log-cosh-dice values', () => {
  it('is log cosh of the global foreground Dice loss, (FP + FN)/(2TP + FP + FN + s), computed by hand', () => {
    const x = normal(rng(7), 180, 2);
    const p = softmaxByHand(x, 3);
    let tp = 0;
    let errors = 0;
    for (let i = 0; i < 60; i++)
      for (let k = 1; k < 3; k++) {
        const y = labels[i] === k ? 1 : 0;
        const q = p[i * 3 + k] as number;
        tp += q * y;
        errors += q * (1 - y) + (1 - q) * y;
      }
    const dice = errors / (2 * tp + errors + 1);
    const v = lossValue('log-cosh-dice', x, labels, shape);
    expect(v).toBeCloseTo(Math.log(Math.cosh(dice)), 5);
    expect(v).toBeLessThan(dice); // log cosh x < x for x > 0: a smoothed Dice loss, never larger
  });
});

describeEachBackend('logCosh', () => {
  it('matches log(cosh(x)) in double precision from 1e-5 to 1 (relative 1e-5)', () => {
    const xs = [1e-5, 1e-4, 2e-3, 0.05, 0.3, 0.45, 1];
    const got = tf.tidy(() => logCosh(tf.tensor1d(xs)).dataSync());
    xs.forEach((x, i) => {
      const exact = Math.log(Math.cosh(x));
      expect(Math.abs((got[i] as number) - exact) / exact).toBeLessThan(1e-5);
    });
  });
});

describeEachBackend('logCosh gradient', () => {
  it('is tanh x, accurate from 1e-5 to 20 and for negative x (relative 1e-5)', () => {
    const xs = [1e-5, 2e-3, 0.3, 1, 20, -0.05, -3];
    const got = tf.tidy(() =>
      tf
        .grad((t: tf.Tensor) => tf.sum(logCosh(t)))(tf.tensor1d(xs))
        .dataSync(),
    );
    xs.forEach((x, i) => {
      expect(Math.abs((got[i] as number) - Math.tanh(x)) / Math.abs(Math.tanh(x))).toBeLessThan(1e-5);
    });
  });
});

describeEachBackend('log1pAccurate', () => {
  it('matches Math.log1p from 1e-9 to 0.5 (relative 2e-6), on both sides of the series switch', () => {
    const zs = [1e-9, 5e-8, 1e-6, 1e-4, 0.01, 0.0999, 0.1, 0.2, 0.5];
    const got = tf.tidy(() => log1pAccurate(tf.tensor1d(zs)).dataSync());
    zs.forEach((z, i) => {
      expect(Math.abs((got[i] as number) - Math.log1p(z)) / Math.log1p(z)).toBeLessThan(2e-6);
    });
  });
});

standardBadInputs('log-cosh-dice');
