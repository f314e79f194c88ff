import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { powScalar } from './scalar-power';

describeEachBackend('powScalar', () => {
  it('equals x^γ for integer, half and other exponents', () => {
    const values = [1e-30, 1e-7, 0.01, 0.3, 0.5, 0.999, 1, 2.5, 7];
    const x = tf.tensor1d(values);
    for (const gamma of [0, 0.5, 1, 2, 3, 4, 5, 0.3, 1.7]) {
      const got = powScalar(x, gamma);
      const out = got.dataSync();
      values.forEach((v, i) => {
        const want = v ** gamma;
        expect(Math.abs((out[i] as number) - want)).toBeLessThanOrEqual(2e-6 * want + 1e-37);
      });
      got.dispose();
    }
    x.dispose();
  });
  it('returns a tensor of its own for γ = 1 (the caller may dispose either)', () => {
    const x = tf.tensor1d([2, 3]);
    const y = powScalar(x, 1);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([2, 3]);
    y.dispose();
  });
});
