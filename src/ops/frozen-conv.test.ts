import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { normal, rng } from '../testing/properties';
import { tf } from '../tf';
import {
  depthToSpace2,
  frozenConv2d,
  frozenConv2dBlockGradient,
  gradientKernel,
  maxPool2x2,
  maxPoolRelu2x2,
  spaceToDepth2,
  spaceToDepthKernel,
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

describeEachBackend('maxPoolRelu2x2', () => {
  it('equals maxPool2x2(relu(x)), value and gradient, with ties and all-negative windows', () => {
    const g = rng(5);
    const x = tf.tensor4d(
      Array.from({ length: 2 * 6 * 4 * 3 }, () => Math.floor(g() * 5) - 2),
      [2, 6, 4, 3],
    );
    const r = tf.tensor4d(normal(g, 2 * 3 * 2 * 3, 1), [2, 3, 2, 3]);
    const plain = (v: tf.Tensor) => maxPool2x2(tf.relu(v) as tf.Tensor4D);
    expect(Array.from(maxPoolRelu2x2(x).dataSync())).toEqual(Array.from(plain(x).dataSync()));
    const ga = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(maxPoolRelu2x2(v as tf.Tensor4D), r)))(x);
    const gb = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(plain(v), r)))(x);
    const plus = (t: tf.Tensor) => Array.from(t.dataSync(), (v) => v + 0); // −0 and +0 are the same gradient
    expect(plus(ga)).toEqual(plus(gb));
    tf.dispose([x, r, ga, gb]);
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

  it('frozenConv2dBlockGradient: the plain convolution forward, the same input gradient on blocks', () => {
    const g = rng(9);
    const kernel = tf.tensor4d(normal(g, 5 * 5 * 1 * 4, 1), [5, 5, 1, 4]);
    const x = tf.tensor4d(normal(g, 2 * 8 * 6 * 1, 1), [2, 8, 6, 1]);
    const addend = tf.tensor4d(normal(g, 2 * 8 * 6 * 4, 1), [2, 8, 6, 4]);
    const r = tf.tensor4d(normal(g, 2 * 8 * 6 * 4, 1), [2, 8, 6, 4]);
    const blocks = gradientKernel(spaceToDepthKernel(kernel));
    expect(blocks.shape).toEqual([3, 3, 16, 4]);
    const viaBlocks = (v: tf.Tensor) => frozenConv2dBlockGradient(v as tf.Tensor4D, kernel, blocks, addend);
    const plain = (v: tf.Tensor) => tf.add(frozenConv2d(v as tf.Tensor4D, kernel), addend);
    expect(Array.from(viaBlocks(x).dataSync())).toEqual(Array.from(plain(x).dataSync()));
    const ga = tf
      .grad((v: tf.Tensor) => tf.sum(tf.mul(viaBlocks(v), r)))(x)
      .dataSync();
    const gb = tf
      .grad((v: tf.Tensor) => tf.sum(tf.mul(plain(v), r)))(x)
      .dataSync();
    for (let i = 0; i < gb.length; i++) expect(ga[i]).toBeCloseTo(gb[i] as number, 4);
    tf.dispose([kernel, x, addend, r, blocks]);
  });
});
