import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { normal, rng } from '../testing/properties';
import { tf } from '../tf';
import { stagedSum } from './staged-sum';

describeEachBackend('stagedSum', () => {
  it('equals tf.sum over the same axes (shape and value)', () => {
    const x = tf.tensor4d(normal(rng(1), 2 * 3 * 4 * 5), [2, 3, 4, 5]);
    for (const axes of [[1, 2, 3], [1, 2], [-1, 0], undefined]) {
      const a = stagedSum(x, axes);
      const b = tf.sum(x, axes);
      expect(a.shape).toEqual(b.shape);
      const [da, db] = [a.dataSync(), b.dataSync()];
      for (let i = 0; i < da.length; i++) expect(da[i]).toBeCloseTo(db[i] as number, 4);
      tf.dispose([a, b]);
    }
    x.dispose();
  });
  it('keeps a 512² sum of float32 values to 1e-6 relative', () => {
    const n = 512 * 512;
    const data = new Float32Array(n);
    let exact = 0;
    const r = rng(2);
    for (let i = 0; i < n; i++) {
      data[i] = Math.fround(r() * 0.5);
      exact += data[i] as number;
    }
    const got = tf.tidy(() => stagedSum(tf.tensor2d(data, [512, 512])).dataSync()[0] as number);
    expect(Math.abs(got - exact) / exact).toBeLessThan(1e-6);
  });
});
