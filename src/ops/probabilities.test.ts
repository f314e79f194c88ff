import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { softmaxTwoClassFast } from './probabilities';

describeEachBackend('softmaxTwoClassFast', () => {
  it('equals tf.softmax for two classes, tiny probabilities included, and for more classes', () => {
    for (const [values, c] of [
      [[0.3, -1.2, 8, -9, 40, 1, -30, -31, 0, 0], 2],
      [[0.3, -1.2, 2, 8, -9, 1], 3],
    ] as [number[], number][]) {
      const x = tf.tensor4d(values, [1, 1, values.length / c, c]);
      const a = softmaxTwoClassFast(x).dataSync();
      const b = tf.softmax(x).dataSync();
      for (let i = 0; i < a.length; i++) {
        expect(Math.abs((a[i] as number) - (b[i] as number))).toBeLessThanOrEqual(2e-7 * (b[i] as number) + 1e-30);
      }
      x.dispose();
    }
  });
});
