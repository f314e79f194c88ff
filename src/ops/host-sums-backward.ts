/**
 * The backward pass of softmaxClassSums (ops/softmax-class-sums.ts) with its small matrices built on the host,
 * where reading ∂L/∂S costs a copy of host memory (cpu, wasm; see ops/small-tail.ts for where this runs).
 *
 * Same mathematics as the tensor path there: each term's gradient g_k[n, c] (×2 for squared terms) adds to the
 * constant part a or the y part b of ∂L/∂p, ∂L/∂p², ∂L/∂q or ∂L/∂q² (w = 1 − y adds g to a and −g to b), each
 * part is the [C + 1, C] matrix [diag(b); a] applied to [y | 1], and the q parts reach the other classes through
 * S (two classes) or J − I. On the tape, building those matrices from a [K, N, C] tensor took 12–26 kernel
 * launches per loss at 64² (unstack, reshape, eye, products, concat, tile, the block mask); here they are arithmetic on
 * a few numbers, and the pass is its full-size products only.
 *
 * Only terms weighted by y, 1 − y or 1, with [y | 1] at hand; constant maps keep the tensor path.
 */
import { tf } from '../tf';
import { complementProbabilities } from './complement';
import { readFloats } from './host-read';
import { pixelMatMul, pixelMatMulBatchedHost } from './pixel-matmul';
import { softmaxBackwardOf } from './softmax-backward';
import type { SumTerm } from './softmax-class-sums';

type Part = 'p' | 'pp' | 'q' | 'qq';

/** [diag(b); a] per row of coefficients, [rows, C + 1, C] row-major, for the parts that have terms. */
function partMatrices(g: Float32Array, terms: readonly SumTerm[], rows: number, c: number) {
  const size = rows * (c + 1) * c;
  const mats: Partial<Record<Part, Float64Array>> = {};
  terms.forEach((t, k) => {
    const key: Part = t.of === 'p' ? 'p' : t.of === 'p2' ? 'pp' : t.of === 'q' ? 'q' : 'qq';
    const scale = t.of === 'p2' || t.of === 'q2' ? 2 : 1;
    const m = mats[key] ?? new Float64Array(size);
    mats[key] = m;
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < c; j++) {
        const gk = scale * (g[(k * rows + r) * c + j] as number);
        const diag = (r * (c + 1) + j) * c + j; // b's slot
        const last = (r * (c + 1) + c) * c + j; // a's slot
        if (t.weight === 'y') m[diag] = (m[diag] as number) + gk;
        else if (t.weight === 'one') m[last] = (m[last] as number) + gk;
        else {
          m[last] = (m[last] as number) + gk;
          m[diag] = (m[diag] as number) - gk;
        }
      }
  });
  return mats;
}

/** m · K for each [C + 1, C] matrix of m (rows of them) and a C × C matrix K. */
function timesRight(m: Float64Array, k: readonly number[], rows: number, c: number): Float64Array {
  const out = new Float64Array(m.length);
  for (let r = 0; r < rows * (c + 1); r++)
    for (let j = 0; j < c; j++) {
      let s = 0;
      for (let i = 0; i < c; i++) s += (m[r * c + i] as number) * (k[i * c + j] as number);
      out[r * c + j] = s;
    }
  return out;
}

function plus(u: Float64Array | null, v: Float64Array | null): Float64Array | null {
  if (!u || !v) return u ?? v;
  return u.map((x, i) => x + (v[i] as number));
}

/** Whether hostSumsBackward can take these terms (no constant maps, [y | 1] saved). */
export function hostSumsBackwardApplies(terms: readonly SumTerm[], yy: tf.Tensor): boolean {
  return yy.rank === 3 && terms.every((t) => !(t.weight instanceof tf.Tensor));
}

/**
 * ∂L/∂x from g = ∂L/∂S ([K, N', C] tensor, read here), p and q = 1 − p ([N, H, W, C]; null only when no term
 * is of q and C ≠ 2) and [y | 1] ([N, H·W, C + 1]).
 */
export function hostSumsBackward(
  p: tf.Tensor4D,
  q: tf.Tensor4D | null,
  yOne: tf.Tensor3D,
  dy: tf.Tensor,
  terms: readonly SumTerm[],
): tf.Tensor4D {
  const c = p.shape[3];
  const rows = dy.shape[1] as number;
  const g = readFloats(dy);
  const mats = partMatrices(g, terms, rows, c);
  const evaluate = (m: Float64Array | null) =>
    m ? tf.reshape(pixelMatMulBatchedHost(yOne, Float32Array.from(m), rows, c + 1, c), p.shape) : null;
  const zeros = () => tf.zerosLike(p);
  if (c === 2 && q) {
    // q = S p exactly (S the swap): the q parts move to p through S; ∂L/∂x = p ⊙ q ⊙ (d D), D = [[1, −1], [−1, 1]]
    const S = [0, 1, 1, 0];
    const D = [1, -1, -1, 1];
    const alpha = plus(mats.p ?? null, mats.q ? timesRight(mats.q, S, rows, c) : null);
    const beta = plus(mats.pp ?? null, mats.qq ? timesRight(mats.qq, S, rows, c) : null);
    let diff: tf.Tensor;
    if (!beta) diff = evaluate(alpha ? timesRight(alpha, D, rows, c) : null) ?? zeros();
    else {
      const a = evaluate(alpha);
      const pb = tf.mul(p, evaluate(beta) as tf.Tensor);
      diff = pixelMatMul(a ? tf.add(a, pb) : pb, D, 2, 2);
    }
    return tf.mul(tf.mul(p, q), diff) as tf.Tensor4D;
  }
  // q_c = Σ_{c' ≠ c} p_c': ∂L/∂q reaches the other classes through J − I, folded into the linear matrix
  const jmi = Array.from({ length: c * c }, (_, i) => (Math.floor(i / c) === i % c ? 0 : 1));
  const lin = plus(mats.p ?? null, mats.q ? timesRight(mats.q, jmi, rows, c) : null);
  let d: tf.Tensor | null = evaluate(lin);
  const add = (v: tf.Tensor) => {
    d = d ? tf.add(d, v) : v;
  };
  if (mats.pp) add(tf.mul(p, evaluate(mats.pp) as tf.Tensor));
  if (mats.qq) add(complementProbabilities(tf.mul(q as tf.Tensor4D, evaluate(mats.qq) as tf.Tensor)));
  return softmaxBackwardOf(p, null, d ?? zeros());
}

/**
 * a + b ⊙ y per class, full size (`shape` [N, H, W, C]), from coefficients on the host ([rows, C] row-major,
 * rows = N or 1 for all images; either may be null): one MatMul of [y | 1] with [diag(b); a] (as affineOfY in
 * ops/softmax-class-sums.ts, the matrix built here).
 */
export function affineOfYHost(
  yOne: tf.Tensor3D,
  a: ArrayLike<number> | null,
  b: ArrayLike<number> | null,
  rows: number,
  shape: number[],
): tf.Tensor {
  const c = shape[3] as number;
  const m = new Float32Array(rows * (c + 1) * c);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < c; j++) {
      if (b) m[(r * (c + 1) + j) * c + j] = b[r * c + j] as number;
      if (a) m[(r * (c + 1) + c) * c + j] = a[r * c + j] as number;
    }
  return tf.reshape(pixelMatMulBatchedHost(yOne, m, rows, c + 1, c), shape);
}
