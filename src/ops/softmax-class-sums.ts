/**
 * Per-class pixel sums of softmax probabilities with a closed-form gradient — the shared kernel of the region
 * losses (Dice, IoU, Tversky and their combinations), whose value depends on the prediction only through sums
 *
 *   S_k[n, c] = Σ_i f_k(p_nic) · w_k(y_nic),   f ∈ {p, q, p², q²} (q = 1 − p),  w ∈ {y, 1 − y, 1, a constant map}.
 *
 * Why: differentiated by the tape, each sum costs a chain of full-size kernels (products, broadcasts, the
 * complement's MatMul, slices of the class axis — very slow on wasm — and their gradients). Here the sums are
 * one custom-gradient op over all classes; callers select classes and combine the sums on the small [N, C]
 * tensors, where the tape is cheap. With g_k = ∂L/∂S_k the exact gradient is
 *
 *   ∂L/∂p_ic = Σ_{k: f_k of p} g_k[c] f_k'(p_ic) w_k(y_ic),   ∂L/∂q_ic = Σ_{k: f_k of q} g_k[c] f_k'(q_ic) w_k(y_ic)
 *   (f' = 1 or 2p, 1 or 2q), the q part handed to the other classes (q_c = Σ_{c'≠c} p_c', as computed), and
 *   ∂L/∂x_ic = p_ic (d_ic − Σ_c' p_ic' d_ic'),   d = ∂L/∂p + (J − I) ∂L/∂q   (softmax backward),
 *
 * where each part is an affine map of y per class (a + b·y, times p or q for squared terms), so the backward
 * pass is a handful of full-size kernels whatever the number of sums.
 *
 * The forward values are the same products and sums as the taped formulation (q from complementProbabilities,
 * cancellation-free), so values are unchanged.
 */
import { tf } from '../tf';
import { complementProbabilities } from './complement';
import { hostSumsBackward, hostSumsBackwardApplies } from './host-sums-backward';
import { pixelMatMul, pixelMatMulBatched } from './pixel-matmul';
import { softmax } from './probabilities';
import { sumPerClass } from './reductions';
import { tailsOnHost } from './small-tail';
import { softmaxBackwardOf } from './softmax-backward';
import { stagedSum } from './staged-sum';

export type SumOf = 'p' | 'q' | 'p2' | 'q2';
/** y, 1 − y, 1, or any constant [N, H, W, C] map (e.g. a distance map), broadcast as tf.mul does. */
export type SumWeight = 'y' | 'notY' | 'one' | tf.Tensor;
export interface SumTerm {
  of: SumOf;
  weight: SumWeight;
}

/**
 * What the sums need from the ground truth: the one-hot y and 1 − y, both [N, H, W, C] constants, and
 * optionally their per-class totals Σ_i y and Σ_i (1 − y) ([N, C] per image, [1, C] over the batch).
 */
export interface OneHotPair {
  y: tf.Tensor4D;
  notY: tf.Tensor4D;
  totals?: { image: [tf.Tensor2D, tf.Tensor2D]; batch: [tf.Tensor2D, tf.Tensor2D] };
  /** [y | 1] as [N, H·W, C + 1]: the backward pass evaluates per-class affine maps of y as one MatMul with it. */
  yOne?: tf.Tensor3D;
}

/** y, 1 − y and their totals for a ground-truth context, memoised on it (no per-call subtraction or sum). */
export function oneHotPair(ctx: { oneHot(): tf.Tensor4D; memo<T>(key: string, make: () => T): T }): OneHotPair {
  const y = ctx.oneHot();
  const notY = ctx.memo('one-hot:complement', () => tf.sub(1, y) as tf.Tensor4D);
  // an array: the context keeps and later disposes the tensors of arrays
  const [yi, ni, yb, nb] = ctx.memo('one-hot:totals', () =>
    tf.tidy(() => [sumPerClass(y, false), sumPerClass(notY, false), sumPerClass(y, true), sumPerClass(notY, true)]),
  ) as tf.Tensor2D[];
  const yOne = ctx.memo('one-hot:with-ones', () =>
    tf.tidy(() => {
      const [n, h, w, c] = y.shape;
      return tf.concat([tf.reshape(y, [n, h * w, c]), tf.ones([n, h * w, 1])], 2) as tf.Tensor3D;
    }),
  );
  return {
    y,
    notY,
    yOne,
    totals: { image: [yi as tf.Tensor2D, ni as tf.Tensor2D], batch: [yb as tf.Tensor2D, nb as tf.Tensor2D] },
  };
}

/** Σ_i y and Σ_i (1 − y) per class ([N, C], or [1, C] with `batch`), from the memo when there is one. */
export function oneHotTotals(gt: OneHotPair, batch: boolean): [tf.Tensor2D, tf.Tensor2D] {
  if (gt.totals) return batch ? gt.totals.batch : gt.totals.image;
  return [sumPerClass(gt.y, batch), sumPerClass(gt.notY, batch)];
}

function weightOf(w: Exclude<SumWeight, 'one'>, gt: OneHotPair): tf.Tensor {
  return w instanceof tf.Tensor ? w : gt[w];
}

/**
 * The sums S_k of `terms` for every class: [K, N, C] per image, or [K, 1, C] with `batch` (over the batch too).
 * Differentiable with respect to `logits` (closed-form gradient, see the header). `staged` sums one axis at a
 * time (ops/staged-sum.ts: smaller float32 error on wasm, for losses that amplify the sums).
 */
export function softmaxClassSums(
  logits: tf.Tensor4D,
  gt: OneHotPair,
  terms: readonly SumTerm[],
  batch: boolean,
  staged = false,
): tf.Tensor3D {
  const reduce = (x: tf.Tensor4D): tf.Tensor2D =>
    staged
      ? (tf.reshape(stagedSum(x, batch ? [0, 1, 2] : [1, 2]), [batch ? 1 : x.shape[0], -1]) as tf.Tensor2D)
      : sumPerClass(x, batch);
  const needQ = terms.some((t) => t.of === 'q' || t.of === 'q2');
  const withQ = needQ || (logits.shape[3] === 2 && gt.yOne !== undefined);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor4D;
    const save = args[1] as tf.GradSaveFunc;
    const p = softmax(x);
    // q is the same for every loss of an update (one MatMul each otherwise): memoised with p
    // (the two-class backward needs q too: p₀ p₁ = p ⊙ q, so it is made here, where the memo can share it)
    const q = withQ ? complementProbabilities(p) : p;
    const plan = terms.map((t) => sumPlan(t, x.shape[3]));
    const base = { p, q, p2: plan.some((t) => t.of === 'p2') ? tf.square(p) : p, q2: p };
    if (plan.some((t) => t.of === 'q2')) base.q2 = tf.square(q);
    const done = new Map<string, tf.Tensor2D>();
    const sums = plan.map((t) => {
      const key = t.weight instanceof tf.Tensor ? null : `${t.of}:${t.weight}`;
      let sum = key ? done.get(key) : undefined;
      if (!sum) {
        const v = base[t.of] as tf.Tensor4D;
        sum = reduce((t.weight === 'one' ? v : tf.mul(v, weightOf(t.weight, gt))) as tf.Tensor4D);
        if (key) done.set(key, sum);
      }
      return t.swap ? tf.reverse(sum, -1) : sum;
    });
    // saved (the tape keeps them): the context's y and maps may be disposed before the backward pass
    const maps = terms.flatMap((t) => (t.weight instanceof tf.Tensor ? [t.weight] : []));
    save([p, q, gt.yOne ?? gt.y, ...maps]);
    return {
      value: tf.stack(sums) as tf.Tensor3D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [ps, qs, ys, ...savedMaps] = saved as tf.Tensor4D[];
        // the small matrices on the host where reading ∂L/∂S is a memory copy (ops/host-sums-backward.ts)
        if (tailsOnHost() && hostSumsBackwardApplies(terms, ys as tf.Tensor)) {
          const q = withQ ? (qs as tf.Tensor4D) : null;
          return tf.tidy(() => hostSumsBackward(ps as tf.Tensor4D, q, ys as unknown as tf.Tensor3D, dy, terms));
        }
        return tf.tidy(() =>
          softmaxBackward(
            ps as tf.Tensor4D,
            withQ ? (qs as tf.Tensor4D) : null,
            ys as tf.Tensor,
            savedMaps,
            dy as tf.Tensor3D,
            terms,
          ),
        );
      },
    };
  });
  return f(logits) as tf.Tensor3D;
}

const OTHER_WEIGHT = { y: 'notY', notY: 'y', one: 'one' } as const;

/**
 * How the forward pass gets a term's sum. Two classes: q = S p exactly (S the swap; q₀ = 1·p₁ + 0·p₀) and
 * 1 − y = S y, so a sum of q or q² times y, 1 − y or 1 is the other class's sum of p or p² times 1 − y, y or 1 —
 * the same float32 products in the same order, so the same numbers: computed once (shared with a p term when
 * the loss has one, e.g. Tversky's FN and FP) and swapped. Map-weighted terms are summed as they are.
 */
function sumPlan(t: SumTerm, c: number): SumTerm & { swap: boolean } {
  if (c !== 2 || (t.of !== 'q' && t.of !== 'q2') || t.weight instanceof tf.Tensor) return { ...t, swap: false };
  return { of: t.of === 'q' ? 'p' : 'p2', weight: OTHER_WEIGHT[t.weight], swap: true };
}

/**
 * ∂L/∂x from g = ∂L/∂S [K, N', C]: the per-pixel affine maps of y, then the softmax backward. `yy` is the one-hot
 * y [N, H, W, C], or [y | 1] [N, H·W, C + 1] (then each affine map a + b·y is one MatMul with the small matrix
 * [diag(b); a] instead of two broadcasting kernels, which are slow on wasm).
 */
function softmaxBackward(
  p: tf.Tensor4D,
  q: tf.Tensor4D | null,
  yy: tf.Tensor,
  maps: tf.Tensor[],
  g: tf.Tensor3D,
  terms: readonly SumTerm[],
): tf.Tensor4D {
  const c = p.shape[3];
  const gs = tf.unstack(tf.reshape(g, [terms.length, -1, 1, 1, c])) as tf.Tensor4D[];
  // coefficients (per image and class) of 1 and of y, and full-size map terms: ∂L/∂p's constant part, ∂L/∂p's
  // part that multiplies p, and the same two for ∂L/∂q
  type Key = 'p' | 'pp' | 'q' | 'qq';
  type Part = [tf.Tensor | null, tf.Tensor | null, tf.Tensor | null];
  const part: Record<Key, Part> = {
    p: [null, null, null],
    pp: [null, null, null],
    q: [null, null, null],
    qq: [null, null, null],
  };
  const plus = (u: tf.Tensor | null, v: tf.Tensor | null) => (u && v ? tf.add(u, v) : (u ?? v));
  const add = (key: Key, which: 0 | 1 | 2, v: tf.Tensor) => {
    part[key][which] = plus(part[key][which], v);
  };
  let nextMap = 0;
  const withOnes = yy.rank === 3;
  const twoClass = withOnes && c === 2;
  // constant-map terms as (map, g): the two-class path applies g as a small matrix (no broadcasting product)
  const mapTerms: Record<Key, MapTerm[]> = { p: [], pp: [], q: [], qq: [] };
  terms.forEach((t, k) => {
    const key: Key = t.of === 'p' ? 'p' : t.of === 'p2' ? 'pp' : t.of === 'q' ? 'q' : 'qq';
    const gk = t.of === 'p2' || t.of === 'q2' ? tf.mul(gs[k] as tf.Tensor, 2) : (gs[k] as tf.Tensor);
    const map = t.weight instanceof tf.Tensor ? (maps[nextMap++] as tf.Tensor) : null;
    if (map && twoClass) mapTerms[key].push([map, gk]);
    else if (map) add(key, 2, tf.mul(map, gk));
    else if (t.weight === 'one') add(key, 0, gk);
    else if (t.weight === 'y') add(key, 1, gk);
    else {
      // w = 1 − y: + g, − g·y
      add(key, 0, gk);
      add(key, 1, tf.neg(gk));
    }
  });
  const complementMatrix = () => tf.sub(tf.ones([c, c]), tf.eye(c));
  const matrix = ([a, b]: Part) => affineMatrix(c, a, b);
  const evaluate = (m: tf.Tensor | null) => (m ? evaluateAffine(yy as tf.Tensor3D, m, p.shape) : null);
  const affine = (pt: Part): tf.Tensor | null => {
    const [a, b, m] = pt;
    if (withOnes) return plus(evaluate(matrix(pt)), m);
    return plus(plus(a, b ? tf.mul(b, yy) : null), m);
  };
  const times = (x: tf.Tensor, v: tf.Tensor | null) => (v ? tf.mul(x, v) : null);
  if (twoClass) return twoClassBackward(p, q, yy as tf.Tensor3D, part, mapTerms, matrix);
  const qq = q ?? p; // q only exists (and is only needed) when a term is of q
  // q_c = Σ_{c' ≠ c} p_c' (as the forward computes it): ∂L/∂q goes to the other classes through (J − I). Equal to
  // −∂L/∂q on the class itself after the softmax backward, but without its cancellation where p_c → 1. The
  // linear parts of ∂L/∂p and ∂L/∂q fold into one matrix when [y | 1] is at hand.
  let d: tf.Tensor | null;
  if (withOnes) {
    const lp = matrix(part.p);
    const lq = matrix(part.q);
    const jmi = (rows: number) => tf.tile(tf.expandDims(complementMatrix(), 0), [rows, 1, 1]) as tf.Tensor3D;
    const lin = plus(lp, lq ? tf.matMul(lq as tf.Tensor3D, jmi(lq.shape[0] as number)) : null);
    d = plus(evaluate(lin), part.p[2]);
    if (part.q[2]) d = plus(d, complementProbabilities(tf.broadcastTo(part.q[2], p.shape)));
  } else {
    const dq = affine(part.q);
    d = plus(affine(part.p), dq ? complementProbabilities(tf.broadcastTo(dq, p.shape)) : null);
  }
  d = plus(d, times(p, affine(part.pp)));
  const dqq = times(qq, affine(part.qq));
  if (dqq) d = plus(d, complementProbabilities(dqq));
  const full = d ?? tf.zeros([1, 1, 1, c]);
  return softmaxBackwardOf(p, c === 2 ? q : null, full.size === p.size ? full : tf.broadcastTo(full, p.shape));
}

type TwoClassPart = [tf.Tensor | null, tf.Tensor | null, tf.Tensor | null];
/** A constant-map term of ∂L/∂p or ∂L/∂q: the map and its g ([N', 1, 1, C]), whose product is the term. */
type MapTerm = [tf.Tensor, tf.Tensor];

/**
 * The backward pass for two classes with [y | 1] at hand. With S the swap (J − I for C = 2, so q = S p exactly)
 * the q parts move to the other class, q ⊙ v to p ⊙ (S v), and d = α + p ⊙ β with
 *   α = [y | 1](M_p + M_q S) + Σ m ⊙ g (q maps swapped),   β = the same for the squared parts,
 * then ∂L/∂x = p ⊙ q ⊙ (d D), D = [[1, −1], [−1, 1]] (∂L/∂x₀ = p₀ p₁ (d₀ − d₁) = −∂L/∂x₁). Every product by a
 * per-class matrix is a MatMul (a map term m ⊙ g is m · diag(g)); both squared parts share one MatMul, and
 * without them D folds into α's matrices: one MatMul per map plus 1–3 where the general path takes 2–5 and a
 * broadcasting product per map (slow on wasm).
 */
function twoClassBackward(
  p: tf.Tensor4D,
  q: tf.Tensor4D | null,
  yOne: tf.Tensor3D,
  part: Record<'p' | 'pp' | 'q' | 'qq', TwoClassPart>,
  mapTerms: Record<'p' | 'pp' | 'q' | 'qq', MapTerm[]>,
  matrix: (pt: TwoClassPart) => tf.Tensor | null,
): tf.Tensor4D {
  const plus = (u: tf.Tensor | null, v: tf.Tensor | null) => (u && v ? tf.add(u, v) : (u ?? v));
  const S = [0, 1, 1, 0];
  const D = [1, -1, -1, 1];
  const SD = [-1, 1, 1, -1];
  /** m [rows, k, 2] times the 2×2 matrix k (row-major), or null. */
  const right = (m: tf.Tensor | null, k: number[] | null) => {
    if (!m || !k) return m;
    return pixelMatMul(m, k, 2, 2);
  };
  /** Σ (m ⊙ g) K over the map terms, each as the MatMul m · (diag(g) K) over the images. */
  const maps = (list: MapTerm[], k: number[] | null): tf.Tensor | null =>
    list.reduce<tf.Tensor | null>((acc, [m, g]) => {
      const diag = right(tf.mul(tf.eye(2), tf.reshape(g, [-1, 1, 2])), k) as tf.Tensor3D; // [N', 2, 2]
      if (m.size !== p.size) {
        // a broadcast map (e.g. per-class weights): the product, then the matrix
        const full = tf.reshape(tf.broadcastTo(tf.mul(m, g), p.shape), [1, -1, 2]);
        return plus(acc, tf.reshape(right(full, k) as tf.Tensor, p.shape));
      }
      const n = p.shape[0];
      const mats = diag.shape[0] === n ? diag : tf.tile(diag, [n, 1, 1]);
      return plus(acc, tf.reshape(pixelMatMulBatched(tf.reshape(m, [n, -1, 2]) as tf.Tensor3D, mats), p.shape));
    }, null);
  const evaluate = (m: tf.Tensor | null) => (m ? evaluateAffine(yOne, m, p.shape) : null);
  const mAlpha = plus(matrix(part.p), right(matrix(part.q), S));
  const mBeta = plus(matrix(part.pp), right(matrix(part.qq), S));
  let diff: tf.Tensor;
  if (!mBeta && mapTerms.pp.length === 0 && mapTerms.qq.length === 0) {
    diff = plus(plus(evaluate(right(mAlpha, D)), maps(mapTerms.p, D)), maps(mapTerms.q, SD)) ?? tf.zerosLike(p);
  } else {
    const alpha = plus(plus(evaluate(mAlpha), maps(mapTerms.p, null)), maps(mapTerms.q, S));
    const beta = plus(plus(evaluate(mBeta), maps(mapTerms.pp, null)), maps(mapTerms.qq, S));
    const t = plus(alpha, beta ? tf.mul(p, beta) : null) as tf.Tensor;
    diff = pixelMatMul(t, D, 2, 2);
  }
  return tf.mul(tf.mul(p, q ?? complementProbabilities(p)), diff) as tf.Tensor4D;
}

/** [diag(b); a] as [N', C + 1, C] from per-class coefficients a, b of shape [N', 1, 1, C] (either may be null). */
function affineMatrix(c: number, a: tf.Tensor | null, b: tf.Tensor | null): tf.Tensor | null {
  if (!a && !b) return null;
  const diag = b ? tf.mul(tf.eye(c), tf.reshape(b, [-1, 1, c])) : tf.zeros([1, c, c]);
  const row = a ? tf.reshape(a, [-1, 1, c]) : tf.zeros([1, 1, c]);
  const rows = Math.max(diag.shape[0] as number, row.shape[0] as number);
  const tileTo = (m: tf.Tensor) => (m.shape[0] === rows ? m : tf.tile(m, [rows, 1, 1]));
  return tf.concat([tileTo(diag), tileTo(row)], 1);
}

/** [y | 1] · M reshaped to `shape` ([N, H, W, C]), M tiled over the images when it has one row. */
function evaluateAffine(yOne: tf.Tensor3D, m: tf.Tensor, shape: number[]): tf.Tensor {
  return tf.reshape(pixelMatMulBatched(yOne, m as tf.Tensor3D), shape);
}

/**
 * a + b ⊙ y for per-class coefficients a, b ([N or 1, 1, 1, C], either may be null), full size [N, H, W, C]: one
 * MatMul with the memoised [y | 1] when the pair has it (broadcasting kernels are slow on wasm), else broadcasts.
 */
export function affineOfY(gt: OneHotPair, a: tf.Tensor | null, b: tf.Tensor | null): tf.Tensor {
  const c = gt.y.shape[3];
  if (gt.yOne) {
    const m = affineMatrix(c, a, b);
    return m ? evaluateAffine(gt.yOne, m, gt.y.shape) : tf.zerosLike(gt.y);
  }
  const by = b ? tf.mul(b, gt.y) : null;
  const sum = a && by ? tf.add(a, by) : (by ?? a);
  return sum ? tf.broadcastTo(sum, gt.y.shape) : tf.zerosLike(gt.y);
}
