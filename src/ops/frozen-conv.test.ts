import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { normal, rng } from '../testing/properties';
import { tf } from '../tf';
import {
  depthToSpace2,
  frozenConv2d,
  frozenConvMaxPoolRelu,
  gradientKernel,
  maxPool2x2,
  spaceToDepth2,
  spaceToDepthKernel,
  subPixelMajor,
} from './frozen-conv';

/** Direct 'same' convolution and the gradient of Σ y·r with respect to x, in float64 loops. */
function reference(
  x: Float32Array,
  wt: Float32Array,
  r: Float32Array,
  s: number[],
  k: number,
  cout: number,
  d: number,
) {
  const [b, h, w, cin] = s as [number, number, number, number];
  const y = new Float64Array(b * h * w * cout);
  const dx = new Float64Array(x.length);
  const half = (k - 1) / 2;
  for (let n = 0; n < b; n++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        for (let t1 = 0; t1 < k; t1++)
          for (let t2 = 0; t2 < k; t2++) {
            const p = i + d * (t1 - half);
            const q = j + d * (t2 - half);
            if (p < 0 || p >= h || q < 0 || q >= w) continue;
            for (let ci = 0; ci < cin; ci++)
              for (let co = 0; co < cout; co++) {
                const wv = wt[((t1 * k + t2) * cin + ci) * cout + co] as number;
                const yi = ((n * h + i) * w + j) * cout + co;
                const xi = ((n * h + p) * w + q) * cin + ci;
                y[yi] = (y[yi] as number) + wv * (x[xi] as number);
                dx[xi] = (dx[xi] as number) + wv * (r[yi] as number);
              }
          }
  return { y, dx };
}

describeEachBackend('frozenConv2d', () => {
  for (const [k, d] of [
    [3, 1],
    [5, 1],
    [3, 2],
    [1, 1],
  ] as const) {
    it(`matches a direct convolution and its input gradient (k = ${k}, dilation ${d})`, () => {
      const shape = [2, 6, 8, 3];
      const cout = 4;
      const g = rng(10 * k + d);
      const x = Float32Array.from(normal(g, 2 * 6 * 8 * 3, 1));
      const wt = Float32Array.from(normal(g, k * k * 3 * cout, 1));
      const r = Float32Array.from(normal(g, 2 * 6 * 8 * cout, 1));
      const want = reference(x, wt, r, shape, k, cout, d);
      const kernel = tf.tensor4d(wt, [k, k, 3, cout]);
      const xt = tf.tensor4d(x, shape as [number, number, number, number]);
      const rt = tf.tensor4d(r, [2, 6, 8, cout]);
      const y = frozenConv2d(xt, kernel, d);
      const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(frozenConv2d(v as tf.Tensor4D, kernel, d), rt)))(xt);
      const [gy, gdx] = [y.dataSync(), dx.dataSync()];
      for (let i = 0; i < gy.length; i++) expect(gy[i]).toBeCloseTo(want.y[i] as number, 4);
      for (let i = 0; i < gdx.length; i++) expect(gdx[i]).toBeCloseTo(want.dx[i] as number, 4);
      tf.dispose([kernel, xt, rt, y, dx]);
    });
  }
  it('refuses an even kernel', () => {
    const x = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
    const kernel = tf.zeros([2, 2, 1, 1]) as tf.Tensor4D;
    expect(() => frozenConv2d(x, kernel)).toThrow(/odd square kernel/);
    tf.dispose([x, kernel]);
  });
});

describeEachBackend('maxPool2x2', () => {
  it('equals the max over 2×2 windows, with the gradient of tf.max (every tied maximum gets dy)', () => {
    // small integers: many ties inside the windows
    const g = rng(3);
    const x = tf.tensor4d(
      Array.from({ length: 2 * 6 * 4 * 3 }, () => Math.floor(g() * 3)),
      [2, 6, 4, 3],
    );
    const r = tf.tensor4d(normal(g, 2 * 3 * 2 * 3, 1), [2, 3, 2, 3]);
    const viaMax = (v: tf.Tensor) => tf.max(tf.reshape(v, [2, 3, 2, 2, 2, 3]), [2, 4]);
    const a = maxPool2x2(x);
    const b = viaMax(x);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const ga = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(maxPool2x2(v as tf.Tensor4D), r)))(x);
    const gb = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(viaMax(v), r)))(x);
    const [da, db] = [ga.dataSync(), gb.dataSync()];
    for (let i = 0; i < da.length; i++) expect(da[i]).toBeCloseTo(db[i] as number, 6);
    tf.dispose([x, r, a, b, ga, gb]);
  });
});

describeEachBackend('frozenConvMaxPoolRelu', () => {
  // small-integer inputs and kernels: exact float sums, many tied maxima inside the windows and all-negative windows
  const ints = (g: () => number, n: number, lo: number, hi: number) =>
    Array.from({ length: n }, () => lo + Math.floor(g() * (hi - lo + 1)));
  for (const [k, cin, cout, block] of [
    [5, 1, 4, true],
    [3, 3, 4, false],
  ] as const) {
    it(`equals maxPool2x2(relu(conv + bias + addend)), value and gradient (k = ${k}, ${block ? 'block' : 'plain'} input gradient)`, () => {
      const g = rng(20 + k);
      const shape = [2, 6, 8, cin] as [number, number, number, number];
      const x = tf.tensor4d(ints(g, 2 * 6 * 8 * cin, -1, 1), shape);
      const kernel = tf.tensor4d(ints(g, k * k * cin * cout, -1, 1), [k, k, cin, cout]);
      const bias = tf.tensor1d(ints(g, cout, -1, 1));
      const addend = tf.tensor4d(ints(g, 2 * 6 * 8 * cout, -2, 2), [2, 6, 8, cout]);
      const r = tf.tensor4d(normal(g, 2 * 3 * 4 * cout, 1), [2, 3, 4, cout]);
      const gradient = block
        ? { blockGradKernel: gradientKernel(spaceToDepthKernel(kernel)) }
        : { gradKernel: gradientKernel(kernel) };
      const addSub = subPixelMajor(addend);
      const fused = (v: tf.Tensor) => frozenConvMaxPoolRelu(v as tf.Tensor4D, kernel, gradient, bias, addSub);
      const plain = (v: tf.Tensor) =>
        maxPool2x2(tf.relu(tf.add(tf.add(frozenConv2d(v as tf.Tensor4D, kernel), bias), addend)) as tf.Tensor4D);
      expect(Array.from(fused(x).dataSync())).toEqual(Array.from(plain(x).dataSync()));
      const ga = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(fused(v), r)))(x);
      const gb = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(plain(v), r)))(x);
      const [da, db] = [ga.dataSync(), gb.dataSync()];
      for (let i = 0; i < db.length; i++) expect(da[i]).toBeCloseTo(db[i] as number, 4);
      tf.dispose([x, kernel, bias, addend, addSub, r, ga, gb, ...Object.values(gradient)]);
    });
  }

  it('subPixelMajor puts pixel (2P + a, 2Q + b) at [2a + b, B, P, Q]', () => {
    const x = tf.tensor4d(
      Array.from({ length: 2 * 4 * 6 * 3 }, (_, i) => i),
      [2, 4, 6, 3],
    );
    const s = subPixelMajor(x);
    expect(s.shape).toEqual([4, 2, 2, 3, 3]);
    const xs = x.arraySync() as number[][][][];
    const ss = s.arraySync() as number[][][][][];
    expect(ss[1 * 2 + 0]?.[1]?.[1]?.[2]?.[2]).toBe(xs[1]?.[3]?.[4]?.[2]);
    expect(ss[0 * 2 + 1]?.[0]?.[0]?.[2]?.[1]).toBe(xs[0]?.[0]?.[5]?.[1]);
    tf.dispose([x, s]);
  });
});

describeEachBackend('2×2 blocks', () => {
  it('depthToSpace2 inverts spaceToDepth2, block (P, Q) sub-pixel (a, b) in channel (2a + b)·C + c', () => {
    const x = tf.tensor4d(
      Array.from({ length: 2 * 4 * 6 * 3 }, (_, i) => i),
      [2, 4, 6, 3],
    );
    const s = spaceToDepth2(x);
    expect(s.shape).toEqual([2, 2, 3, 12]);
    const xs = x.arraySync() as number[][][][];
    const ss = s.arraySync() as number[][][][];
    expect(ss[1]?.[1]?.[2]?.[(1 * 2 + 0) * 3 + 2]).toBe(xs[1]?.[3]?.[4]?.[2]);
    expect(Array.from(depthToSpace2(s).dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, s]);
  });
});
