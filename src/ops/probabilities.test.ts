import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { logSoftmax, softmax } from './probabilities';

describeEachBackend('softmax and logSoftmax (closed-form gradients, two-class forms)', () => {
  // large margins (±40, −100) check that nothing under- or overflows; tf.softmax / tf.logSoftmax are the reference
  const cases: [number[], number][] = [
    [[0.3, -1.2, 8, -9, 40, 1, -30, -31, 0, 0, 60, -40, -50, 50], 2],
    [[0.3, -1.2, 2, 8, -9, 1, 40, -60, 0], 3],
  ];
  const weights = (n: number) => tf.tensor1d(Array.from({ length: n }, (_, i) => ((i * 7) % 5) - 2));

  it('values equal the TF.js kernels: probabilities to 2 ulp, log-probabilities to 3e-7 absolute', () => {
    for (const [values, c] of cases) {
      const x = tf.tensor4d(values, [1, 1, values.length / c, c]);
      const [p, q] = [softmax(x).dataSync(), tf.softmax(x).dataSync()];
      const [lp, lq] = [logSoftmax(x).dataSync(), tf.logSoftmax(x).dataSync()];
      for (let i = 0; i < p.length; i++) {
        expect(Math.abs((p[i] as number) - (q[i] as number))).toBeLessThanOrEqual(2.4e-7 * (q[i] as number) + 1e-30);
        expect(Math.abs((lp[i] as number) - (lq[i] as number))).toBeLessThanOrEqual(
          3e-7 + 1e-7 * Math.abs(lq[i] as number),
        );
      }
      x.dispose();
    }
  });

  it('gradients equal the tape gradients of tf.softmax / tf.logSoftmax', () => {
    for (const [values, c] of cases) {
      const x = tf.tensor4d(values, [1, 1, values.length / c, c]);
      const w = tf.reshape(weights(values.length), x.shape);
      for (const [ours, theirs] of [
        [softmax, (v: tf.Tensor4D) => tf.softmax(v)],
        [logSoftmax, (v: tf.Tensor4D) => tf.logSoftmax(v)],
      ] as const) {
        const g = tf
          .grad((v: tf.Tensor) => tf.sum(tf.mul(ours(v as tf.Tensor4D), w)))(x)
          .dataSync();
        const h = tf
          .grad((v: tf.Tensor) => tf.sum(tf.mul(theirs(v as tf.Tensor4D), w)))(x)
          .dataSync();
        for (let i = 0; i < g.length; i++) {
          expect(Math.abs((g[i] as number) - (h[i] as number))).toBeLessThanOrEqual(
            1e-6 + 1e-6 * Math.abs(h[i] as number),
          );
        }
      }
      x.dispose();
      w.dispose();
    }
  });
});
