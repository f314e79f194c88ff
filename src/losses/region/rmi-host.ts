/**
 * The RMI term on the host, in float64: from the pooled probabilities Q and pooled one-hot labels Y
 * ([N, h', w', C], row-major), rmi = Σ_c mean_n rmi_nc / R² and its exact gradient with respect to Q.
 *
 * For each image n and class c: Z = [Q_v; Y_v] (2R² × M, the centred R² shifted windows, Q's first),
 * J = Z Zᵀ + αI = L Lᵀ, rmi_nc = Σ_{j ≥ R²} log(L_jj + ε) (the last R² Cholesky pivots of J are those of
 * A + αI, see region-mutual-information.ts). Gradient: with w_j = L_jj / (L_jj + ε) for j ≥ R² (0 before),
 * dL_jj = L_jj · ½ (L⁻¹ dJ L⁻ᵀ)_jj gives ∂rmi_nc/∂J = ½ L⁻ᵀ W L⁻¹ =: ½ G, so ∂rmi_nc/∂Z = G Z; its Q rows go
 * back through the centring (minus their mean) and onto the pixels each window read.
 *
 * Why: in float32 on the device the same quantity needs a Gram–Schmidt of 2R² steps (≈ 2200 kernel launches
 * with its gradient at 256²); here it is a few million float64 multiply-adds, and float64 is what the
 * reference computes in (no cancellation in forming J, so no need for the QR detour).
 */

import { reusable } from '../../ops/reusable';

// rmiHostValueAndGrad's large work arrays, reused between calls (src/ops/reusable.ts says why): the stacked
// windows Z, the gradient with respect to them and the float64 gradient of the pooled map (zeroed before use).
const windowsWork = reusable((n) => new Float64Array(n));
const windowsGradWork = reusable((n) => new Float64Array(n));
const pooledGradWork = reusable((n) => new Float64Array(n));

export interface RmiShape {
  n: number;
  h: number;
  w: number;
  c: number;
  r: number;
}

/** The centred windows of one (n, c) map as d rows of M values (d = R²). */
function centredWindows(x: Float32Array, s: RmiShape, img: number, cls: number, out: Float64Array): void {
  const { h, w, c, r } = s;
  const hh = h - r + 1;
  const ww = w - r + 1;
  const m = hh * ww;
  for (let a = 0; a < r; a++) {
    for (let b = 0; b < r; b++) {
      const row = (a * r + b) * m;
      let sum = 0;
      for (let i = 0; i < hh; i++) {
        for (let j = 0; j < ww; j++) {
          const v = x[((img * h + a + i) * w + b + j) * c + cls] as number;
          out[row + i * ww + j] = v;
          sum += v;
        }
      }
      const mean = sum / m;
      for (let k = 0; k < m; k++) out[row + k] = (out[row + k] as number) - mean;
    }
  }
}

export interface RmiLabelConstants {
  /** The centred label windows of one (image, class), d rows of M values. */
  windows: Float64Array;
  /** Their Gram block, d × d (rows of J from d on, without α). */
  gram: Float64Array;
}

/**
 * Per (image, class), in image-major order: the centred label windows and their Gram block, which depend only
 * on the labels (a caller whose labels stay fixed computes them once). The same loops as the per-call
 * computation, so the same float64 values.
 */
export function rmiLabelConstants(y: Float32Array, s: RmiShape): RmiLabelConstants[] {
  const d = s.r * s.r;
  const m = (s.h - s.r + 1) * (s.w - s.r + 1);
  const out: RmiLabelConstants[] = [];
  for (let img = 0; img < s.n; img++)
    for (let cls = 0; cls < s.c; cls++) {
      const windows = new Float64Array(d * m);
      centredWindows(y, s, img, cls, windows);
      const gram = new Float64Array(d * d);
      for (let a = 0; a < d; a++)
        for (let b = 0; b <= a; b++) {
          let acc = 0;
          for (let t = 0; t < m; t++) acc += (windows[a * m + t] as number) * (windows[b * m + t] as number);
          gram[a * d + b] = acc;
          gram[b * d + a] = acc;
        }
      out.push({ windows, gram });
    }
  return out;
}

/** In-place Cholesky factor (lower) of the k×k SPD matrix a; throws if it is not positive definite. */
function cholesky(a: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * k + j] as number;
      for (let p = 0; p < j; p++) s -= (l[i * k + p] as number) * (l[j * k + p] as number);
      if (i === j) {
        if (!(s > 0)) throw new Error('region-mutual-information: covariance is not positive definite');
        l[i * k + i] = Math.sqrt(s);
      } else l[i * k + j] = s / (l[j * k + j] as number);
    }
  }
  return l;
}

/** Inverse of a lower-triangular k×k matrix (forward substitution on the identity). */
function lowerInverse(l: Float64Array, k: number): Float64Array {
  const u = new Float64Array(k * k);
  for (let col = 0; col < k; col++) {
    for (let i = col; i < k; i++) {
      let s = i === col ? 1 : 0;
      for (let p = col; p < i; p++) s -= (l[i * k + p] as number) * (u[p * k + col] as number);
      u[i * k + col] = s / (l[i * k + i] as number);
    }
  }
  return u;
}

/**
 * Σ_c mean_n rmi_nc / R² and its gradient with respect to q (same layout as q). `y` is constant.
 * alpha = the diagonal regulariser, logEps = ε inside the log. `constants`: rmiLabelConstants(y, s), when the
 * caller keeps them for a fixed ground truth.
 */
export function rmiHostValueAndGrad(
  q: Float32Array,
  y: Float32Array,
  s: RmiShape,
  alpha: number,
  logEps: number,
  constants: RmiLabelConstants[] = rmiLabelConstants(y, s),
): { value: number; grad: Float32Array } {
  const { n, h, w, c, r } = s;
  const d = r * r;
  const k = 2 * d;
  const hh = h - r + 1;
  const ww = w - r + 1;
  const m = hh * ww;
  const coef = 1 / (n * d);
  const z = windowsWork(k * m);
  const zq = z.subarray(0, d * m);
  const zy = z.subarray(d * m);
  const grad = pooledGradWork(q.length).fill(0);
  const gz = windowsGradWork(d * m);
  let value = 0;
  for (let img = 0; img < n; img++) {
    for (let cls = 0; cls < c; cls++) {
      centredWindows(q, s, img, cls, zq);
      const yc = constants[img * c + cls] as RmiLabelConstants;
      zy.set(yc.windows);
      const j = new Float64Array(k * k);
      for (let a = 0; a < k; a++) {
        // rows b < d (probability rows) by dot products, four at a time (each summed in the order of t, so
        // the same float64 values as one at a time); both label rows: the constant Gram block
        const qRows = Math.min(a + 1, d);
        for (let b = 0; b < qRows; b += 4) dotRows(z, m, a, b, Math.min(4, qRows - b), j, k);
        for (let b = d; b <= a; b++) j[a * k + b] = yc.gram[(a - d) * d + (b - d)] as number;
        for (let b = 0; b < a; b++) j[b * k + a] = j[a * k + b] as number;
        j[a * k + a] = (j[a * k + a] as number) + alpha;
      }
      const l = cholesky(j, k);
      const u = lowerInverse(l, k);
      const wgt = new Float64Array(k);
      for (let p = d; p < k; p++) {
        const ljj = l[p * k + p] as number;
        value += coef * Math.log(ljj + logEps);
        wgt[p] = ljj / (ljj + logEps);
      }
      // G = Uᵀ W U (U = L⁻¹), only its first d rows are needed: ∂/∂Q_v = G[:d, :] Z
      gz.fill(0);
      const g = new Float64Array(k);
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < k; b++) {
          let acc = 0;
          for (let p = d; p < k; p++) acc += (u[p * k + a] as number) * (wgt[p] as number) * (u[p * k + b] as number);
          g[b] = acc;
        }
        // gz_a += g_b z_b for b in order, four rows of Z per pass over gz_a (the same sums, fewer passes)
        for (let b = 0; b < k; b += 4) axpyRows(gz, a * m, g, z, m, b, Math.min(4, k - b));
      }
      // through the centring (minus the row mean) and back onto the pixels of each window
      for (let a = 0; a < r; a++) {
        for (let b = 0; b < r; b++) {
          const row = (a * r + b) * m;
          let mean = 0;
          for (let t = 0; t < m; t++) mean += gz[row + t] as number;
          mean /= m;
          for (let i = 0; i < hh; i++) {
            for (let jj = 0; jj < ww; jj++) {
              const at = ((img * h + a + i) * w + b + jj) * c + cls;
              grad[at] = (grad[at] as number) + coef * ((gz[row + i * ww + jj] as number) - mean);
            }
          }
        }
      }
    }
  }
  return { value, grad: Float32Array.from(grad) };
}

/** j[a·k + b + i] = Σ_t z_a[t] z_(b+i)[t] for i < count (≤ 4), each sum in the order of t. */
function dotRows(z: Float64Array, m: number, a: number, b: number, count: number, j: Float64Array, k: number): void {
  const ra = a * m;
  const r0 = b * m;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  if (count === 4) {
    for (let t = 0; t < m; t++) {
      const v = z[ra + t] as number;
      s0 += v * (z[r0 + t] as number);
      s1 += v * (z[r0 + m + t] as number);
      s2 += v * (z[r0 + 2 * m + t] as number);
      s3 += v * (z[r0 + 3 * m + t] as number);
    }
  } else {
    for (let i = 0; i < count; i++) {
      let acc = 0;
      for (let t = 0; t < m; t++) acc += (z[ra + t] as number) * (z[r0 + i * m + t] as number);
      if (i === 0) s0 = acc;
      else if (i === 1) s1 = acc;
      else s2 = acc;
    }
  }
  const sums = [s0, s1, s2, s3];
  for (let i = 0; i < count; i++) j[a * k + b + i] = sums[i] as number;
}

/** out[o + t] += g_b z_b[t] + … for the `count` (≤ 4) rows of z from b, added in row order. */
function axpyRows(
  out: Float64Array,
  o: number,
  g: Float64Array,
  z: Float64Array,
  m: number,
  b: number,
  count: number,
): void {
  const r0 = b * m;
  const g0 = g[b] as number;
  if (count === 4) {
    const g1 = g[b + 1] as number;
    const g2 = g[b + 2] as number;
    const g3 = g[b + 3] as number;
    for (let t = 0; t < m; t++)
      out[o + t] =
        (out[o + t] as number) +
        g0 * (z[r0 + t] as number) +
        g1 * (z[r0 + m + t] as number) +
        g2 * (z[r0 + 2 * m + t] as number) +
        g3 * (z[r0 + 3 * m + t] as number);
    return;
  }
  for (let i = 0; i < count; i++) {
    const gi = g[b + i] as number;
    for (let t = 0; t < m; t++) out[o + t] = (out[o + t] as number) + gi * (z[r0 + i * m + t] as number);
  }
}
