/**
 * Small batched dense linear algebra written in TF.js ops, differentiable on every backend.
 *
 * TF.js has no Cholesky, no matrix inverse and no log-determinant. Region Mutual Information needs them for
 * many tiny symmetric positive-definite (SPD) matrices at once (one d×d matrix per image and class, d = R²,
 * e.g. 9 for radius 3). Everything here works on a batch `[B, d, d]` and is unrolled over the fixed size d in
 * JavaScript: each step is a handful of batched slices, concatenations, elementwise ops and small matMuls.
 * Those kernels (Slice, Concat, PadV2 for the slice gradient, BatchMatMul, Sqrt, Log, RealDiv, Sub, Mul)
 * exist with gradients on cpu, wasm and webgl; no gather is used (its gradient needs UnsortedSegmentSum,
 * which wasm lacks). Cost: O(d) steps of O(B·d²) work, fine for d ≤ ~20.
 *
 * API (A is [B, d, d] SPD; only its symmetric part matters for the value, and for any symmetric-valued
 * input function — e.g. A = Z Zᵀ — the gradient equals that of the textbook formula):
 *   choleskyPivots(A)          [B, d]: the Schur-complement pivots, i.e. L_jj² of A = L Lᵀ.
 *   cholesky(A)                [B, d, d]: the lower-triangular factor L.
 *   logDetSpd(A)               [B]: log det A = Σ_j log L_jj² (from the pivots).
 *   solveLower(L, B)           X with L X = B (forward substitution); B is [B, d, k].
 *   solveLowerTransposed(L, B) X with Lᵀ X = B (back substitution).
 *   spdSolve(A, B)             X with A X = B, through the Cholesky factor.
 *   spdInverse(A)              A⁻¹.
 *   batchEye(b, d, scale)      scale·I as [b, d, d] (a constant).
 *
 * Numerics: plain (unpivoted) Cholesky, float32 on every TF.js backend. It is backward stable for SPD input:
 * the computed factor is exact for A + δA with |δA| ≲ d·u·|A| (u = 6e-8). A pivot that is small compared
 * with the entries of A (ill-conditioned A) therefore carries a relative error of about d·u·‖A‖/pivot; a
 * non-positive pivot (A not numerically SPD) yields NaN from the square root, as torch.linalg.cholesky
 * would raise. Callers regularise (RMI adds 5·10⁻⁴·I) before factorising.
 */
import { tf } from '../tf';

function sizeOf(a: tf.Tensor, what: string): { b: number; d: number } {
  if (a.rank !== 3 || a.shape[1] !== a.shape[2]) {
    throw new Error(`${what}: expected a batch of square matrices [B, d, d], got [${a.shape.join(', ')}]`);
  }
  return { b: a.shape[0] as number, d: a.shape[1] as number };
}

/** scale·I for a batch of b matrices of size d (a constant tensor). */
export function batchEye(b: number, d: number, scale = 1): tf.Tensor3D {
  const data = new Float32Array(b * d * d);
  for (let k = 0; k < b; k++) for (let i = 0; i < d; i++) data[k * d * d + i * d + i] = scale;
  return tf.tensor3d(data, [b, d, d]);
}

/**
 * Right-looking elimination: at step k the trailing Schur complement S (size m = d − k) gives the pivot
 * S₀₀ = L_kk², the scaled column S₁:,₀ / √S₀₀ = L_{k+1:,k}, and the next complement S₁:,₁: − c cᵀ / S₀₀.
 * `onStep` receives the pivot [B,1,1] and the unscaled column [B,m−1,1] of each step.
 */
function eliminate(a: tf.Tensor3D, onStep: (k: number, pivot: tf.Tensor3D, column: tf.Tensor3D | null) => void): void {
  const { b, d } = sizeOf(a, 'cholesky');
  let s: tf.Tensor3D = a;
  for (let k = 0; k < d; k++) {
    const m = d - k;
    const pivot = tf.slice(s, [0, 0, 0], [b, 1, 1]) as tf.Tensor3D;
    if (m === 1) {
      onStep(k, pivot, null);
      break;
    }
    const column = tf.slice(s, [0, 1, 0], [b, m - 1, 1]) as tf.Tensor3D;
    onStep(k, pivot, column);
    const rest = tf.slice(s, [0, 1, 1], [b, m - 1, m - 1]);
    const outer = tf.div(tf.mul(column, tf.reshape(column, [b, 1, m - 1])), pivot);
    s = tf.sub(rest, outer) as tf.Tensor3D;
  }
}

/** The Cholesky pivots L_jj² of a batch of SPD matrices: [B, d]. Their logs sum to log det A. */
export function choleskyPivots(a: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => {
    const { b } = sizeOf(a, 'choleskyPivots');
    const pivots: tf.Tensor[] = [];
    eliminate(a, (_k, pivot) => {
      pivots.push(tf.reshape(pivot, [b, 1]));
    });
    return tf.concat(pivots, 1) as tf.Tensor2D;
  });
}

/** The lower-triangular Cholesky factor L (A = L Lᵀ) of a batch of SPD matrices. */
export function cholesky(a: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const { b } = sizeOf(a, 'cholesky');
    const columns: tf.Tensor[] = [];
    eliminate(a, (k, pivot, column) => {
      const diag = tf.sqrt(pivot);
      const parts: tf.Tensor[] = [];
      if (k > 0) parts.push(tf.zeros([b, k, 1]));
      parts.push(diag);
      if (column) parts.push(tf.div(column, diag));
      columns.push(parts.length === 1 ? (parts[0] as tf.Tensor) : tf.concat(parts, 1));
    });
    return tf.concat(columns, 2) as tf.Tensor3D;
  });
}

/**
 * The Cholesky diagonal of a shifted Gram matrix without forming it. `vectors` is [B, k, m]: for each of B
 * problems, k vectors x_1 … x_k of length m as rows. Returns [B, k]: the L_jj of G + shift·I = L Lᵀ, with
 * G_ij = x_i·x_j.
 *
 * Modified Gram–Schmidt on the vectors extended by √shift·e_j (whose Gram matrix is G + shift·I):
 * L_jj = |R_jj| = the norm of x_j after projecting out x_1 … x_{j−1}. Forming G first squares the condition
 * number; a pivot that is small next to the entries of G (a residual variance, say) then loses most of its
 * float32 digits to cancellation, while the MGS residual keeps them (MGS's R is backward stable like
 * Householder's). The vectors must be linearly independent (every L_jj > 0); a positive shift guarantees it.
 * The k extra coordinates are carried as a separate [B, k, k] block rather than concatenated to the vectors
 * (a concat along the last axis costs a strided split in the gradient, slow on the cpu backend).
 *
 * Every step has the same shapes (row j is picked and the projection restricted to rows > j with constant
 * one-hot / mask matrices, not with slices of shrinking size): WebGL compiles each distinct shader once instead
 * of once per step, and the cpu backend never takes its slow strided-slice path. All products are batched
 * matMuls.
 */
export function gramCholeskyDiagonal(vectors: tf.Tensor3D, shift = 0): tf.Tensor2D {
  return tf.tidy(() => {
    if (vectors.rank !== 3) {
      throw new Error(`gramCholeskyDiagonal: expected vectors [B, k, m], got [${vectors.shape.join(', ')}]`);
    }
    const [b, k] = vectors.shape as [number, number, number];
    const diag: tf.Tensor[] = [];
    let x: tf.Tensor3D = vectors;
    let xe: tf.Tensor3D | null = shift > 0 ? batchEye(b, k, Math.sqrt(shift)) : null; // the √shift·e_j block
    for (let j = 0; j < k; j++) {
      const pick = new Float32Array(k);
      pick[j] = 1;
      const pickT = tf.tensor3d(pick, [1, 1, k]);
      const row = tf.matMul(pickT, x); // [B,1,m] = x_j
      const rowE = xe ? tf.matMul(pickT, xe) : null; // [B,1,k]
      let sq = tf.sum(tf.square(row), 2, true);
      if (rowE) sq = tf.add(sq, tf.sum(tf.square(rowE), 2, true));
      const norm = tf.sqrt(sq); // [B,1,1]
      diag.push(tf.reshape(norm, [-1, 1]));
      if (j === k - 1) break;
      const later = new Float32Array(k);
      for (let i = j + 1; i < k; i++) later[i] = 1;
      const q = tf.div(row, norm);
      const qe = rowE ? tf.div(rowE, norm) : null;
      let dots = tf.matMul(q, x, false, true); // [B,1,k]
      if (qe && xe) dots = tf.add(dots, tf.matMul(qe, xe, false, true));
      const r = tf.mul(dots, tf.tensor3d(later, [1, 1, k])); // rows > j only
      x = tf.sub(x, tf.matMul(r, q, true, false)) as tf.Tensor3D;
      if (qe && xe) xe = tf.sub(xe, tf.matMul(r, qe, true, false)) as tf.Tensor3D;
    }
    return tf.concat(diag, 1) as tf.Tensor2D;
  });
}

/** log det A for a batch of SPD matrices: [B]. */
export function logDetSpd(a: tf.Tensor3D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.log(choleskyPivots(a)), 1) as tf.Tensor1D);
}

function checkRhs(l: tf.Tensor3D, rhs: tf.Tensor3D, what: string): { b: number; d: number; k: number } {
  const { b, d } = sizeOf(l, what);
  if (rhs.rank !== 3 || rhs.shape[0] !== b || rhs.shape[1] !== d) {
    throw new Error(`${what}: right-hand side must be [${b}, ${d}, k], got [${rhs.shape.join(', ')}]`);
  }
  return { b, d, k: rhs.shape[2] as number };
}

/** Solves L X = B for lower-triangular L [B, d, d] and B [B, d, k] (forward substitution). */
export function solveLower(l: tf.Tensor3D, rhs: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const { b, d, k } = checkRhs(l, rhs, 'solveLower');
    const rows: tf.Tensor[] = [];
    for (let i = 0; i < d; i++) {
      let r: tf.Tensor = tf.slice(rhs, [0, i, 0], [b, 1, k]);
      if (i > 0) {
        const li = tf.slice(l, [0, i, 0], [b, 1, i]) as tf.Tensor3D;
        const known = (rows.length === 1 ? rows[0] : tf.concat(rows, 1)) as tf.Tensor3D;
        r = tf.sub(r, tf.matMul(li, known));
      }
      rows.push(tf.div(r, tf.slice(l, [0, i, i], [b, 1, 1])));
    }
    return tf.concat(rows, 1) as tf.Tensor3D;
  });
}

/** Solves Lᵀ X = B for lower-triangular L [B, d, d] and B [B, d, k] (back substitution). */
export function solveLowerTransposed(l: tf.Tensor3D, rhs: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const { b, d, k } = checkRhs(l, rhs, 'solveLowerTransposed');
    const rows: tf.Tensor[] = []; // rows[0] is row d−1, rows built from the bottom up
    for (let i = d - 1; i >= 0; i--) {
      let r: tf.Tensor = tf.slice(rhs, [0, i, 0], [b, 1, k]);
      const below = d - 1 - i;
      if (below > 0) {
        // (Lᵀ)_{i, i+1:} = L_{i+1:, i}ᵀ
        const col = tf.reshape(tf.slice(l, [0, i + 1, i], [b, below, 1]), [b, 1, below]) as tf.Tensor3D;
        const known = (rows.length === 1 ? rows[0] : tf.concat([...rows].reverse(), 1)) as tf.Tensor3D;
        r = tf.sub(r, tf.matMul(col, known));
      }
      rows.push(tf.div(r, tf.slice(l, [0, i, i], [b, 1, 1])));
    }
    return tf.concat(rows.reverse(), 1) as tf.Tensor3D;
  });
}

/** Solves A X = B for SPD A [B, d, d] through A = L Lᵀ. */
export function spdSolve(a: tf.Tensor3D, rhs: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const l = cholesky(a);
    return solveLowerTransposed(l, solveLower(l, rhs));
  });
}

/** A⁻¹ for a batch of SPD matrices. */
export function spdInverse(a: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const { b, d } = sizeOf(a, 'spdInverse');
    return spdSolve(a, batchEye(b, d));
  });
}
