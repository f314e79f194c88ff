import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { applyOrder, descendingOrder, descendingOrderTopk, hostDescendingOrder, ranks, scatterByOrder } from './sort';

describeEachBackend('sort ops', () => {
  const data = [0.3, 0.9, 0.1, 0.5, 2, -1, 0, 1.5];
  it('descendingOrder sorts each row', () => {
    const x = tf.tensor2d(data, [2, 4]);
    const o = descendingOrder(x);
    expect(Array.from(o.order)).toEqual([1, 3, 0, 2, 0, 3, 2, 1]);
    expect(Array.from(ranks(o))).toEqual([2, 0, 3, 1, 0, 3, 2, 1]);
    x.dispose();
  });
  it('scatterByOrder puts per-rank values back at each element', () => {
    const o = { rows: 1, m: 3, order: Int32Array.from([2, 0, 1]) };
    expect(Array.from(scatterByOrder([10, 20, 30], o))).toEqual([20, 30, 10]);
  });
  it('applyOrder sorts differentiably (gradient = inverse permutation) without leaking', () => {
    const x = tf.tensor2d(data, [2, 4]);
    const o = descendingOrder(x);
    const w = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4]);
    const before = tf.memory().numTensors;
    const sorted = applyOrder(x, o);
    expect(Array.from(sorted.dataSync())).toEqual([0.9, 0.5, 0.3, 0.1, 2, 1.5, 0, -1].map(Math.fround));
    sorted.dispose();
    const g = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(applyOrder(z as tf.Tensor2D, o), w)))(x);
    // d/dx_i Σ_k w_k x_(k) = w_rank(i)
    expect(Array.from(g.dataSync())).toEqual([3, 1, 4, 2, 5, 8, 7, 6]);
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w]);
  });
});

describeEachBackend('hostDescendingOrder', () => {
  it('is the order of tf.topk, ties by ascending index, also for ±0, negatives and many equal values', () => {
    const g = (() => {
      let s = 12345;
      return () => {
        s = (s * 1664525 + 1013904223) >>> 0;
        return s / 2 ** 32;
      };
    })();
    const m = 3000;
    const values = Float32Array.from({ length: 3 * m }, (_, i) => {
      if (i < m) return Math.floor(g() * 7) / 7; // many ties
      if (i < 2 * m) return (g() - 0.5) * 1e3 * (i % 11 === 0 ? -0 : 1) || (i % 2 ? -0 : 0);
      return Math.fround(g()) * (i % 3 === 0 ? -1 : 1);
    });
    const x = tf.tensor2d(values, [3, m]);
    expect(Array.from(descendingOrder(x).order)).toEqual(Array.from(descendingOrderTopk(x).order));
    x.dispose();
  });
  it('puts NaN last', () => {
    expect(Array.from(hostDescendingOrder(Float32Array.from([1, Number.NaN, 3, -2]), 1, 4))).toEqual([2, 0, 3, 1]);
  });
});
