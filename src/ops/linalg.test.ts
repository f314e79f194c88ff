import { describe, expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { normal, rng } from '../testing/properties';
import { tf } from '../tf';
import {
  batchEye,
  cholesky,
  choleskyPivots,
  gramCholeskyDiagonal,
  logDetSpd,
  solveLower,
  solveLowerTransposed,
  spdInverse,
  spdSolve,
} from './linalg';

/** Row-major product Z Zᵀ + shift·I of a d×m matrix, in float64 (a well-conditioned SPD test matrix). */
function gram(z: Float32Array, d: number, m: number, shift: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = i === j ? shift : 0;
      for (let k = 0; k < m; k++) s += (z[i * m + k] as number) * (z[j * m + k] as number);
      out[i * d + j] = s;
    }
  return out;
}

/** Float64 Cholesky (the textbook algorithm) to compare against. */
function cholesky64(a: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j] as number;
    for (let k = 0; k < j; k++) s -= (l[j * d + k] as number) ** 2;
    const ljj = Math.sqrt(s);
    l[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j] as number;
      for (let k = 0; k < j; k++) t -= (l[i * d + k] as number) * (l[j * d + k] as number);
      l[i * d + j] = t / ljj;
    }
  }
  return l;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

describeEachBackend('linalg', () => {
  it('diagonal matrices: L = √D, pivots = D, log det = Σ log d_i', () => {
    const diag = [4, 9, 0.25, 2];
    const a = tf.tensor3d(
      Float32Array.from({ length: 16 }, (_, k) => (k % 5 === 0 ? (diag[k / 5] as number) : 0)),
      [1, 4, 4],
    );
    const l = cholesky(a);
    const lv = l.dataSync();
    for (let i = 0; i < 4; i++) expect(lv[i * 5]).toBeCloseTo(Math.sqrt(diag[i] as number), 6);
    expect(maxAbsDiff(choleskyPivots(a).dataSync(), diag)).toBeLessThan(1e-6);
    expect(logDetSpd(a).dataSync()[0]).toBeCloseTo(Math.log(4 * 9 * 0.25 * 2), 5);
    tf.dispose([a, l]);
  });

  it('2×2 closed form: L = [[√a,0],[b/√a, √(c − b²/a)]], det = ac − b²', () => {
    const [p, q, r] = [3, 1.2, 2];
    const a = tf.tensor3d([p, q, q, r], [1, 2, 2]);
    const lv = cholesky(a).dataSync();
    expect(lv[0]).toBeCloseTo(Math.sqrt(p), 6);
    expect(lv[1]).toBe(0);
    expect(lv[2]).toBeCloseTo(q / Math.sqrt(p), 6);
    expect(lv[3]).toBeCloseTo(Math.sqrt(r - (q * q) / p), 6);
    expect(logDetSpd(a).dataSync()[0]).toBeCloseTo(Math.log(p * r - q * q), 5);
    a.dispose();
  });

  it('a known 3×3 matrix: [[4,12,−16],[12,37,−43],[−16,−43,98]] = L Lᵀ with L = [[2,0,0],[6,1,0],[−8,5,3]]', () => {
    const a = tf.tensor3d([4, 12, -16, 12, 37, -43, -16, -43, 98], [1, 3, 3]);
    expect(maxAbsDiff(cholesky(a).dataSync(), [2, 0, 0, 6, 1, 0, -8, 5, 3])).toBeLessThan(1e-5);
    expect(logDetSpd(a).dataSync()[0]).toBeCloseTo(Math.log(36), 5);
    a.dispose();
  });

  it('batched 9×9 and 18×18 Gram matrices match a float64 Cholesky; solves and inverse are consistent', () => {
    for (const d of [9, 18]) {
      const b = 3;
      const m = 40;
      const data = new Float32Array(b * d * d);
      const ref: Float64Array[] = [];
      for (let k = 0; k < b; k++) {
        const g = gram(normal(rng(10 + k), d * m, 0.3), d, m, 5e-2);
        data.set(g, k * d * d);
        ref.push(cholesky64(g, d));
      }
      const a = tf.tensor3d(data, [b, d, d]);
      const l = cholesky(a);
      const lv = l.dataSync();
      for (let k = 0; k < b; k++) {
        const ours = lv.subarray(k * d * d, (k + 1) * d * d);
        expect(maxAbsDiff(ours, ref[k] as Float64Array)).toBeLessThan(2e-5 * Math.max(...(ref[k] as Float64Array)));
        let logdet = 0;
        for (let i = 0; i < d; i++) logdet += 2 * Math.log((ref[k] as Float64Array)[i * d + i] as number);
        expect(logDetSpd(a).dataSync()[k]).toBeCloseTo(logdet, 3);
      }
      const rhs = tf.tensor3d(normal(rng(99), b * d * 2), [b, d, 2]);
      // L (L⁻¹ B) = B, Lᵀ (L⁻ᵀ B) = B, A (A⁻¹ B) = B, A A⁻¹ = I
      const y = solveLower(l, rhs);
      expect(maxAbsDiff(tf.matMul(l, y).dataSync(), rhs.dataSync())).toBeLessThan(1e-4);
      const z = solveLowerTransposed(l, rhs);
      expect(maxAbsDiff(tf.matMul(l, z, true).dataSync(), rhs.dataSync())).toBeLessThan(1e-4);
      const x = spdSolve(a, rhs);
      expect(maxAbsDiff(tf.matMul(a, x).dataSync(), rhs.dataSync())).toBeLessThan(1e-3);
      const inv = spdInverse(a);
      const eye = batchEye(b, d);
      expect(maxAbsDiff(tf.matMul(a, inv).dataSync(), eye.dataSync())).toBeLessThan(1e-3);
      tf.dispose([a, l, rhs, y, z, x, inv, eye]);
    }
  });

  it('gradient of log det A(Z) = log det(Z Zᵀ + εI) is 2 (ZZᵀ+εI)⁻¹ Z and matches finite differences', () => {
    const d = 4;
    const m = 6;
    const z0 = normal(rng(5), d * m, 0.7);
    const f = (z: tf.Tensor) => {
      const zz = tf.reshape(z, [1, d, m]) as tf.Tensor3D;
      const a = tf.add(tf.matMul(zz, zz, false, true), batchEye(1, d, 0.1)) as tf.Tensor3D;
      return tf.sum(logDetSpd(a)) as tf.Scalar;
    };
    const zt = tf.tensor1d(z0);
    const g = tf.grad(f)(zt);
    const gv = g.dataSync();
    // closed form
    const closed = tf.tidy(() => {
      const zz = tf.reshape(zt, [1, d, m]) as tf.Tensor3D;
      const a = tf.add(tf.matMul(zz, zz, false, true), batchEye(1, d, 0.1)) as tf.Tensor3D;
      return tf.mul(2, tf.matMul(spdInverse(a), zz)).dataSync();
    });
    expect(maxAbsDiff(gv, closed)).toBeLessThan(1e-4);
    // central differences in float32 (h = 1e-2)
    const h = 1e-2;
    for (let k = 0; k < d * m; k += 5) {
      const val = (delta: number) =>
        tf.tidy(() => {
          const z = Float32Array.from(z0);
          z[k] = (z[k] as number) + delta;
          return f(tf.tensor1d(z)).dataSync()[0] as number;
        });
      const fd = (val(h) - val(-h)) / (2 * h);
      expect(Math.abs(fd - (gv[k] as number))).toBeLessThan(2e-3 * Math.max(1, Math.abs(fd)));
    }
    tf.dispose([zt, g]);
  });

  it('gradients through the inverse and the solves match finite differences', () => {
    const d = 3;
    const a0 = [2.5, 0.4, -0.3, 0.4, 1.7, 0.2, -0.3, 0.2, 1.1];
    const w = [0.3, -1.2, 0.8, 0.5, 0.1, -0.7, 1.5, 0.9, -0.4];
    const f = (a: tf.Tensor) =>
      tf.tidy(() => {
        const sym = tf.reshape(a, [1, d, d]) as tf.Tensor3D;
        return tf.sum(tf.mul(spdInverse(sym), tf.tensor3d(w, [1, d, d]))) as tf.Scalar;
      });
    const at = tf.tensor1d(a0);
    const g = tf.grad(f)(at);
    const gv = g.dataSync();
    const h = 1e-3;
    for (let k = 0; k < 9; k++) {
      if (Math.floor(k / 3) < k % 3) continue; // only the lower triangle is read by the factorisation
      const val = (delta: number) =>
        tf.tidy(() => {
          const a = Float32Array.from(a0);
          a[k] = (a[k] as number) + delta;
          return f(tf.tensor1d(a)).dataSync()[0] as number;
        });
      const fd = (val(h) - val(-h)) / (2 * h);
      expect(Math.abs(fd - (gv[k] as number))).toBeLessThan(5e-3 * Math.max(1, Math.abs(fd)));
    }
    tf.dispose([at, g]);
  });

  it('gramCholeskyDiagonal(X) equals the Cholesky diagonal of XᵀX, and keeps the digits that XᵀX loses', () => {
    const m = 30;
    const k = 6;
    const x0 = normal(rng(21), m * k, 0.5);
    // a 2-column near-dependency: column 5 = column 0 + 1e-3·noise, so the last pivot is tiny next to ‖x‖²
    const noise = normal(rng(22), m, 1e-3);
    for (let i = 0; i < m; i++) x0[i * k + 5] = (x0[i * k] as number) + (noise[i] as number);
    const xt = new Float64Array(k * m); // columns as rows, float64, for the reference
    for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) xt[j * m + i] = x0[i * k + j] as number;
    const ref = cholesky64(gram(Float32Array.from(xt), k, m, 0), k);
    const x = tf.tensor3d(x0, [1, m, k]);
    const ours = tf.tidy(() => gramCholeskyDiagonal(tf.transpose(x, [0, 2, 1]) as tf.Tensor3D).dataSync());
    for (let j = 0; j < k; j++) {
      const r = ref[j * k + j] as number;
      expect(Math.abs((ours[j] as number) - r) / r).toBeLessThan(j === 5 ? 1e-3 : 1e-5);
    }
    const viaGram = tf.tidy(() => choleskyPivots(tf.matMul(x, x, true, false)).dataSync());
    const lastRef = (ref[k * k - 1] as number) ** 2;
    // the float32 Gram matrix loses the small pivot (relative error ≫ that of Gram–Schmidt)
    expect(Math.abs((ours[5] as number) ** 2 - lastRef)).toBeLessThan(Math.abs((viaGram[5] as number) - lastRef));
    // gradient: Σ_j log L_jj = ½ log det XᵀX, so both routes give the same gradient on a well-conditioned X
    const w = tf.tensor3d(normal(rng(23), 2 * 10 * 4), [2, 10, 4]); // B = 2 problems, m = 10, k = 4
    const viaMgs = tf.grad((z: tf.Tensor) =>
      tf.sum(tf.log(gramCholeskyDiagonal(tf.transpose(z, [0, 2, 1]) as tf.Tensor3D))),
    )(w);
    const viaChol = tf.grad((z: tf.Tensor) =>
      tf.mul(0.5, tf.sum(logDetSpd(tf.matMul(z as tf.Tensor3D, z as tf.Tensor3D, true, false)))),
    )(w);
    expect(maxAbsDiff(viaMgs.dataSync(), viaChol.dataSync())).toBeLessThan(1e-4);
    // with a shift: the diagonal of chol(XᵀX + 0.1·I), value and gradient
    const shifted = tf.tidy(() => gramCholeskyDiagonal(tf.transpose(w, [0, 2, 1]) as tf.Tensor3D, 0.1).dataSync());
    const pivots = tf.tidy(() =>
      choleskyPivots(tf.add(tf.matMul(w, w, true, false), batchEye(2, 4, 0.1)) as tf.Tensor3D).dataSync(),
    );
    expect(
      maxAbsDiff(
        Array.from(shifted, (v) => v * v),
        pivots,
      ),
    ).toBeLessThan(1e-4);
    const gShift = tf.grad((z: tf.Tensor) =>
      tf.sum(tf.log(gramCholeskyDiagonal(tf.transpose(z, [0, 2, 1]) as tf.Tensor3D, 0.1))),
    )(w);
    const gChol = tf.grad((z: tf.Tensor) =>
      tf.mul(
        0.5,
        tf.sum(
          logDetSpd(
            tf.add(tf.matMul(z as tf.Tensor3D, z as tf.Tensor3D, true, false), batchEye(2, 4, 0.1)) as tf.Tensor3D,
          ),
        ),
      ),
    )(w);
    expect(maxAbsDiff(gShift.dataSync(), gChol.dataSync())).toBeLessThan(1e-4);
    tf.dispose([x, w, viaMgs, viaChol, gShift, gChol]);
  });

  it('leaks no tensors', () => {
    const a = tf.tensor3d([4, 1, 1, 3], [1, 2, 2]);
    const before = tf.memory().numTensors;
    tf.dispose([cholesky(a), choleskyPivots(a), logDetSpd(a), spdInverse(a), gramCholeskyDiagonal(a)]);
    tf.tidy(() => {
      tf.grad((x: tf.Tensor) => tf.sum(gramCholeskyDiagonal(x as tf.Tensor3D, 0.5)))(a);
    });
    tf.tidy(() => {
      tf.grad((x: tf.Tensor) => tf.sum(logDetSpd(x as tf.Tensor3D)))(a);
    });
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });
});

describe('linalg input checks', () => {
  it('rejects non-square input', () => {
    const a = tf.zeros([1, 2, 3]) as tf.Tensor3D;
    expect(() => cholesky(a)).toThrow(/square/);
    a.dispose();
  });
});
