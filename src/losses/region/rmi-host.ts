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
  const z = new Float64Array(k * m);
  const zq = z.subarray(0, d * m);
  const zy = z.subarray(d * m);
  const grad = new Float64Array(q.length);
  const gz = new Float64Array(d * m);
  let value = 0;
  for (let img = 0; img < n; img++) {
    for (let cls = 0; cls < c; cls++) {
      centredWindows(q, s, img, cls, zq);
      const yc = constants[img * c + cls] as RmiLabelConstants;
      zy.set(yc.windows);
      const j = new Float64Array(k * k);
      for (let a = 0; a < k; a++) {
        const ra = a * m;
        for (let b = 0; b <= a; b++) {
          let acc: number;
          if (b >= d)
            acc = yc.gram[(a - d) * d + (b - d)] as number; // both label rows: constant
          else {
            const rb = b * m;
            acc = 0;
            for (let t = 0; t < m; t++) acc += (z[ra + t] as number) * (z[rb + t] as number);
          }
          j[a * k + b] = acc;
          j[b * k + a] = acc;
        }
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
      for (let a = 0; a < d; a++) {
        for (let b = 0; b < k; b++) {
          let g = 0;
          for (let p = d; p < k; p++) g += (u[p * k + a] as number) * (wgt[p] as number) * (u[p * k + b] as number);
          if (g === 0) continue;
          const ra = a * m;
          const rb = b * m;
          for (let t = 0; t < m; t++) gz[ra + t] = (gz[ra + t] as number) + g * (z[rb + t] as number);
        }
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
