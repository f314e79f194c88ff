import { describe, expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { HostMath, type HostValue } from './host-tail-math';
import { type TailMath, TENSOR_MATH } from './tail-math';

/** A tail exercising every operation: broadcasting, per-class powers, axis sums, selection, ratio, logCosh. */
function everyOperation<V>(m: TailMath<V>, s: V, [w]: V[]): V {
  const [a, b, c] = m.unstack(s) as [V, V, V]; // each [2, 3]
  const sel = m.select(a, [2, 0]); // [2, 2]
  const perClass = m.pow(m.maximum(m.add(b, 0.5), 0.6), [0.75, 1, 2]);
  const rowSums = m.sum(m.mul(perClass, w as V), 1); // [2]
  const r = m.ratio(m.add(c, 1), m.exp(m.neg(b)));
  const mix = m.sub(m.div(m.log1p(m.mul(r, 2)), m.add(m.log(m.add(c, 2)), 1)), m.logCosh(m.sub(a, 0.3)));
  return m.add(m.add(m.mean(sel), m.sum(rowSums)), m.mul(m.mean(mix), m.constant([2])));
}

const SUMS = [0.2, 0.9, 0.4, 0.05, 0.7, 0.3, 0.1, 0.6, 0.8, 1.2, 0.3, 0.45, 0.25, 0.5, 0.75, 1, 1.5, 2];
const WEIGHTS = [1, 0.5, 2];

describeEachBackend('HostMath against the tape (TENSOR_MATH)', () => {
  it('gives the same value and gradient for a tail with every operation', () => {
    const host = new HostMath();
    const input = host.input(SUMS, [3, 2, 3]);
    const out = everyOperation(host, input, [host.input(WEIGHTS, [3])]);
    const grad = host.gradient(out, input);
    const w = tf.tensor1d(WEIGHTS);
    const f = (s: tf.Tensor) => everyOperation(TENSOR_MATH, s, [w]);
    const { value, grads } = tf.valueAndGrads((s: tf.Tensor) => f(s) as tf.Scalar)([tf.tensor3d(SUMS, [3, 2, 3])]);
    expect(out.data[0]).toBeCloseTo(value.dataSync()[0] as number, 5);
    const tape = (grads[0] as tf.Tensor).dataSync();
    for (let i = 0; i < SUMS.length; i++) expect(grad[i]).toBeCloseTo(tape[i] as number, 5);
    tf.dispose([value, ...grads, w]);
  });
});

describe('HostMath', () => {
  const finiteDifference = (f: (m: HostMath, x: HostValue) => HostValue, xs: number[], i: number) => {
    const at = (d: number) => {
      const m = new HostMath();
      const shifted = xs.map((x, k) => (k === i ? x + d : x));
      return f(m, m.input(shifted, [xs.length])).data[0] as number;
    };
    return (at(1e-6) - at(-1e-6)) / 2e-6;
  };

  it('matches central differences on a tail of broadcasts and reductions', () => {
    const xs = [0.3, 1.7, 0.9, 2.2];
    const f = (m: HostMath, x: HostValue) =>
      m.mean(m.div(m.mul(x, m.constant([1, 2, 3, 4])), m.add(m.sum(m.pow(x, 2)), 1)));
    const m = new HostMath();
    const x = m.input(xs, [4]);
    const g = m.gradient(f(m, x), x);
    for (let i = 0; i < xs.length; i++) expect(g[i]).toBeCloseTo(finiteDifference(f, xs, i), 7);
  });

  it('sends maximum’s gradient to its argument where it is at or above the floor, as tf does', () => {
    const m = new HostMath();
    const x = m.input([0.5, 1, 2], [3]);
    const g = m.gradient(m.sum(m.maximum(x, 1)), x);
    expect(Array.from(g)).toEqual([0, 1, 1]);
  });

  it('keeps the ratio’s gradient exact where the autodiff form cancels (background only: E ≫ S)', () => {
    // ∂/∂E of E/(E + S) = S/(E + S)², evaluated as such: with S = 2^−60 and E = 1 the autodiff form
    // 1/(E + S) − E/(E + S)² is 1 − 1 = 0 in float64
    const m = new HostMath();
    const e = m.input([1], [1]);
    const out = m.sum(m.ratio(e, m.constant([2 ** -60])));
    expect(1 / (1 + 2 ** -60) - 1 / (1 + 2 ** -60) ** 2).toBe(0);
    expect((m.gradient(out, e)[0] as number) / 2 ** -60).toBeCloseTo(1, 12);
  });

  it('evaluates log cosh accurately for small and large arguments', () => {
    const m = new HostMath();
    const x = m.input([1e-4, -3e-3, 50, -800], [4]);
    const v = m.logCosh(x).data;
    expect((v[0] as number) / (1e-8 / 2)).toBeCloseTo(1, 8);
    expect((v[1] as number) / (9e-6 / 2)).toBeCloseTo(1, 5);
    expect(v[2]).toBeCloseTo(50 - Math.LN2, 10);
    expect(v[3]).toBeCloseTo(800 - Math.LN2, 10);
    const g = m.gradient(m.sum(m.logCosh(x)), x);
    expect(g[3]).toBe(-1);
  });

  it('sums over one axis, selects and unstacks with gradients back to the right slots', () => {
    const m = new HostMath();
    const x = m.input([1, 2, 3, 4, 5, 6], [2, 3]);
    const rows = m.sum(x, -1);
    expect(Array.from(rows.data)).toEqual([6, 15]);
    expect(Array.from(m.sum(x, 0).data)).toEqual([5, 7, 9]);
    const picked = m.select(x, [2, 0]);
    expect(Array.from(picked.data)).toEqual([3, 1, 6, 4]);
    const [first] = m.unstack(x) as [HostValue];
    const out = m.add(m.sum(m.mul(rows, m.constant([1, 10]))), m.add(m.sum(picked), m.mul(m.sum(first), 100)));
    expect(Array.from(m.gradient(out, x))).toEqual([102, 101, 102, 11, 10, 11]);
  });

  it('refuses shapes that do not broadcast and tails that do not end in a scalar', () => {
    const m = new HostMath();
    const x = m.input([1, 2, 3], [3]);
    expect(() => m.add(x, m.constant([1, 2]))).toThrow(/cannot broadcast \[3\] with \[2\]/);
    expect(() => m.gradient(m.mul(x, 2), x)).toThrow(/must end in a scalar/);
    expect(() => m.input([1, 2], [3])).toThrow(/2 values for shape \[3\]/);
  });
});
