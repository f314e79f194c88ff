import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { blockFactor, pixelMatMul, pixelMatMulBatched, pixelMatMulBatchedHost } from './pixel-matmul';
import { mulberry32 } from './random';

const randomValues = (n: number, seed: number) => {
  const rand = mulberry32(seed);
  return Float32Array.from({ length: n }, () => rand() * 8 - 4);
};

describeEachBackend('pixelMatMul', (backend) => {
  it('takes several pixels per row on wasm only, and never under a gradient tape', () => {
    const wasm = backend === 'wasm';
    expect([8, 6, 5].map((rows) => blockFactor(2, 2, rows))).toEqual(wasm ? [4, 2, 1] : [1, 1, 1]);
    expect(blockFactor(8, 8, 8)).toBe(wasm ? 2 : 1);
    expect(blockFactor(9, 2, 8)).toBe(1);
    tf.grad((t: tf.Tensor) => {
      expect(blockFactor(2, 2, 8)).toBe(1);
      return tf.sum(t);
    })(tf.zeros([2]));
  });

  // 8 pixels take the 4-per-row product on wasm, 6 the 2-per-row one, 5 the plain one
  for (const pixels of [8, 6, 5]) {
    for (const [k, n] of [
      [2, 2],
      [3, 2],
      [3, 3],
    ] as const) {
      it(`gives exactly the plain product for ${pixels} pixels, ${k}×${n}`, () => {
        const x = tf.tensor3d(randomValues(pixels * k, pixels + k), [1, pixels, k]);
        const m = randomValues(k * n, 7 * k + n);
        const got = pixelMatMul(x, m, k, n);
        const want = tf.matMul(tf.reshape(x, [-1, k]) as tf.Tensor2D, tf.tensor2d(m, [k, n]));
        expect(got.shape).toEqual([1, pixels, n]);
        expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
        tf.dispose([x, got, want]);
      });
    }
  }

  it('keeps the leading shape of a channels-last tensor', () => {
    const x = tf.tensor4d(randomValues(2 * 4 * 4 * 2, 3), [2, 4, 4, 2]);
    const y = pixelMatMul(x, [1, -1, -1, 1], 2, 2);
    expect(y.shape).toEqual([2, 4, 4, 2]);
    const xs = x.dataSync();
    const ys = y.dataSync();
    for (let i = 0; i < xs.length; i += 2) {
      expect(ys[i]).toBe(Math.fround((xs[i] as number) - (xs[i + 1] as number)));
      expect(ys[i + 1]).toBe(Math.fround((xs[i + 1] as number) - (xs[i] as number)));
    }
    tf.dispose([x, y]);
  });

  it('is differentiable (the plain product under a tape): ∂/∂x of Σ (x M) ⊙ w is w Mᵀ', () => {
    const x = tf.tensor2d(randomValues(8 * 2, 5), [8, 2]);
    const w = tf.tensor2d(randomValues(8 * 2, 6), [8, 2]);
    const m = [0.5, -2, 3, 0.25];
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(pixelMatMul(t, m, 2, 2), w)))(x);
    const want = tf.matMul(w, tf.tensor2d(m, [2, 2]), false, true);
    const a = g.dataSync();
    const b = want.dataSync();
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i] as number, 5);
    tf.dispose([x, w, g, want]);
  });

  it('says what does not fit', () => {
    const x = tf.zeros([4, 3]);
    expect(() => pixelMatMul(x, [1, 0, 0, 1], 2, 2)).toThrow(/do not fit/);
    x.dispose();
  });
});

describeEachBackend('pixelMatMulBatched and pixelMatMulBatchedHost', () => {
  for (const pixels of [8, 6, 5]) {
    it(`gives exactly the batched product for ${pixels} pixels, per-image and shared matrices`, () => {
      const x = tf.tensor3d(randomValues(2 * pixels * 3, pixels), [2, pixels, 3]);
      const perImage = tf.tensor3d(randomValues(2 * 3 * 2, 11), [2, 3, 2]);
      const shared = tf.tensor3d(randomValues(3 * 2, 12), [1, 3, 2]);
      for (const mats of [perImage, shared]) {
        const got = pixelMatMulBatched(x, mats);
        const fromHost = pixelMatMulBatchedHost(x, mats.dataSync() as Float32Array, mats.shape[0], 3, 2);
        const want = tf.matMul(x, mats.shape[0] === 2 ? mats : tf.tile(mats, [2, 1, 1]));
        expect(got.shape).toEqual([2, pixels, 2]);
        expect(fromHost.shape).toEqual([2, pixels, 2]);
        expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
        expect(Array.from(fromHost.dataSync())).toEqual(Array.from(want.dataSync()));
        tf.dispose([got, fromHost, want]);
      }
      tf.dispose([x, perImage, shared]);
    });
  }

  it('says what does not fit', () => {
    const x = tf.zeros([2, 4, 3]) as tf.Tensor3D;
    const m = tf.zeros([3, 3, 2]) as tf.Tensor3D;
    expect(() => pixelMatMulBatched(x, m)).toThrow(/do not fit/);
    expect(() => pixelMatMulBatchedHost(x, new Float32Array(18), 3, 3, 2)).toThrow(/do not fit/);
    expect(() => pixelMatMulBatchedHost(x, new Float32Array(5), 1, 3, 2)).toThrow(/do not fit/);
    tf.dispose([x, m]);
  });
});
