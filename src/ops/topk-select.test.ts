import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { stopGradient, topkCount, topkMask, topkSum } from './topk-select';

describeEachBackend('topk-select', () => {
  const data = [0.3, -1.2, 4.5, 2.25, 0.9, 3.1, -0.4, 1.7, 2.6, 0.05, 5.5, -2.0];

  it('topkMask marks exactly the k largest entries and keeps the shape', () => {
    const x = tf.tensor2d(data, [3, 4]);
    const m = topkMask(x, 4);
    expect(m.shape).toEqual([3, 4]);
    expect(Array.from(m.dataSync())).toEqual([0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0]);
    tf.dispose([x, m]);
  });

  it('splits the selection evenly among entries tied at the k-th value (sum stays exact)', () => {
    const x = tf.tensor1d([1, 2, 3, 2, 2, 0]);
    const m = topkMask(x, 3); // 3, then two of the three 2s
    const got = Array.from(m.dataSync());
    [0, 2 / 3, 1, 2 / 3, 2 / 3, 0].forEach((e, i) => {
      expect(got[i]).toBeCloseTo(e, 6);
    });
    const s = topkSum(x, 3);
    expect(s.dataSync()[0]).toBeCloseTo(7, 5);
    tf.dispose([x, m, s]);
  });

  it('handles k = 0 and k ≥ size', () => {
    const x = tf.tensor1d(data);
    const zero = topkMask(x, 0);
    const all = topkMask(x, 99);
    expect(tf.sum(zero).dataSync()[0]).toBe(0);
    expect(tf.sum(all).dataSync()[0]).toBe(data.length);
    tf.dispose([x, zero, all]);
  });

  it('topkSum sums the k largest and its gradient is the constant selection', () => {
    const x = tf.tensor1d(data);
    const { value, grad } = tf.valueAndGrad((v: tf.Tensor) => topkSum(tf.square(v), 3))(x);
    // squares: 30.25 (5.5), 20.25 (4.5), 9.61 (3.1)
    expect(value.dataSync()[0]).toBeCloseTo(30.25 + 20.25 + 9.61, 4);
    const g = Array.from(grad.dataSync());
    const expected = data.map((v) => ([5.5, 4.5, 3.1].includes(v) ? 2 * v : 0));
    for (const [i, gi] of g.entries()) expect(gi).toBeCloseTo(expected[i] as number, 5);
    tf.dispose([x, value, grad]);
  });

  it('stopGradient passes the value and blocks the gradient', () => {
    const x = tf.tensor1d([1, 2, 3]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(v, stopGradient(tf.square(v)))))(x);
    expect(Array.from(g.dataSync())).toEqual([1, 4, 9]);
    tf.dispose([x, g]);
  });

  it('leaks no tensors (forward and backward)', () => {
    const x = tf.tensor1d(data);
    const before = tf.memory().numTensors;
    topkSum(x, 5).dispose();
    tf.tidy(() => {
      tf.grad((v: tf.Tensor) => topkSum(v, 5))(x);
    });
    stopGradient(x).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

it('topkCount truncates like int(P * k / 100)', () => {
  expect(topkCount(64, 10)).toBe(6);
  expect(topkCount(576, 25)).toBe(144);
  expect(topkCount(288, 100)).toBe(288);
  expect(topkCount(5, 10)).toBe(0);
});
