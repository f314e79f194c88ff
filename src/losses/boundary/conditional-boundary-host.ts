/**
 * Conditional Boundary Loss on the host: the ground-truth constants and the loss value with its exact
 * gradient, in float64 JavaScript, visiting only the boundary pixels and their 24 neighbours.
 *
 * Why on the host: CBL needs the argmax of the prediction (which neighbours are correct) and the detached pull
 * target, so it reads the logits back anyway; its three terms only involve the boundary band and a 5×5 window,
 * and as tensor ops they cost ~2000 kernel launches (24 shifted copies of the whole image per term, plus their
 * gradients) for a few thousand useful pixels. The formulas are those of conditional-boundary.ts; the gradient
 * is their closed form (derivation in the comments below), checked against the golden vectors and finite
 * differences in the unit tests.
 */
import { boundaryIouIterations, erosionBoundary } from '../../ops/boundaries';
import { reusable } from '../../ops/reusable';

// Work arrays of one call, reused by the next (fresh ones of this size cost page faults in Chromium, see
// src/ops/reusable.ts): the float64 gradient (copied out as float32) and the per-pixel norms of L_ctx.
const gradWork = reusable((n) => new Float64Array(n));
const squaredNormWork = reusable((n) => new Float64Array(n));
const inverseNormWork = reusable((n) => new Float64Array(n));

export const CBL_R = 2; // 5×5 window
export const CBL_OFFSETS: [number, number][] = [];
for (let dy = -CBL_R; dy <= CBL_R; dy++)
  for (let dx = -CBL_R; dx <= CBL_R; dx++) if (dy !== 0 || dx !== 0) CBL_OFFSETS.push([dy, dx]);
const COUNT_EPS = 1e-5; // reference: neighbour sum / (count + 1e-5)
const COS_EPS2 = 1e-16; // torch.cosine_similarity eps = 1e-8, squared
const COS_EPS = 1e-8;

export interface CblGt {
  n: number;
  h: number;
  w: number;
  /** Indices of the GT boundary pixels (the only pixels L_NCE and L_CN look at as a centre). */
  edgeIdx: Int32Array;
  /**
   * Same-class neighbours (s_ij = 1) of edgeIdx[e]: sameNb[sameStart[e] … sameStart[e + 1] − 1], pixel indices
   * in offset order (0 outside the image, so never listed).
   */
  sameStart: Int32Array;
  sameNb: Int32Array;
  /** Per label k: how many boundary pixels of class k have ≥ 1 same-class neighbour (|B_k|). */
  calCount: Float64Array;
  /**
   * L_ctx: its pixels E_n, their weights, bit o of ctxBits[e] = s_ij for offset o, and which pairs to visit:
   * a pair of two E_n pixels (same image, same weight, same r by symmetry) is visited once, from its first
   * pixel, and counts twice (bit o of ctxTwice[e]); bit o of ctxVisit[e] is clear for its second visit.
   */
  ctxIdx: Int32Array;
  ctxWeight: Float32Array;
  ctxBits: Int32Array;
  ctxVisit: Int32Array;
  ctxTwice: Int32Array;
  /** The pixels L_ctx reads: E_n and their 5×5 windows (each once). */
  ctxBand: Int32Array;
  classes: number[];
}

export function cblGroundTruth(labels: Int32Array, n: number, h: number, w: number, ratio: number): CblGt {
  const hw = h * w;
  const iterations = boundaryIouIterations(h, w, ratio);
  const edge = new Uint8Array(n * hw);
  const present = new Set<number>();
  for (let b = 0; b < n; b++) {
    const img = labels.subarray(b * hw, (b + 1) * hw);
    for (const k of new Set<number>(img)) {
      present.add(k);
      const mask = new Uint8Array(hw);
      for (let i = 0; i < hw; i++) mask[i] = img[i] === k ? 1 : 0;
      const bd = erosionBoundary(mask, h, w, { size: 3, iterations, outside: 'background' });
      for (let i = 0; i < hw; i++) if (bd[i]) edge[b * hw + i] = 1;
    }
  }
  const classes = [...present].sort((a, b) => a - b);
  const idx: number[] = [];
  for (let i = 0; i < n * hw; i++) if (edge[i]) idx.push(i);
  const edgeIdx = Int32Array.from(idx);
  const sameBits = new Int32Array(edgeIdx.length);
  const sameStart = new Int32Array(edgeIdx.length + 1);
  const same: number[] = [];
  const calCount = new Float64Array(Math.max(0, ...classes) + 1);
  edgeIdx.forEach((i, e) => {
    const y = Math.floor((i % hw) / w);
    const x = i % w;
    let bits = 0;
    CBL_OFFSETS.forEach(([dy, dx], o) => {
      const yy = y + dy;
      const xx = x + dx;
      if (yy < 0 || yy >= h || xx < 0 || xx >= w) return;
      if (labels[i + dy * w + dx] === labels[i]) {
        bits |= 1 << o;
        same.push(i + dy * w + dx);
      }
    });
    sameBits[e] = bits;
    sameStart[e + 1] = same.length;
    if (bits !== 0) calCount[labels[i] as number] = (calCount[labels[i] as number] as number) + 1;
  });
  // L_ctx weights: E_n = boundary ∧ label ≠ 0 ∧ R ≤ y ≤ H−1−R ∧ R ≤ x ≤ W−1−R, mean per image, then over images
  const inner = (i: number) => {
    const y = Math.floor((i % hw) / w);
    const x = i % w;
    return labels[i] !== 0 && y >= CBL_R && y <= h - 1 - CBL_R && x >= CBL_R && x <= w - 1 - CBL_R;
  };
  const ctxEdges = [...edgeIdx.keys()].filter((e) => inner(edgeIdx[e] as number));
  const counts = new Array<number>(n).fill(0);
  for (const e of ctxEdges) {
    const b = Math.floor((edgeIdx[e] as number) / hw);
    counts[b] = (counts[b] as number) + 1;
  }
  const images = counts.filter((k) => k > 0).length;
  const ctxIdx = Int32Array.from(ctxEdges, (e) => edgeIdx[e] as number);
  const ctxWeight = Float32Array.from(
    ctxIdx,
    (i) => 1 / (CBL_OFFSETS.length * (counts[Math.floor(i / hw)] as number) * images),
  );
  const inE = new Uint8Array(n * hw);
  for (const i of ctxIdx) inE[i] = 1;
  const ctxVisit = new Int32Array(ctxIdx.length);
  const ctxTwice = new Int32Array(ctxIdx.length);
  ctxIdx.forEach((i, e) => {
    CBL_OFFSETS.forEach(([dy, dx], o) => {
      const j = i + dy * w + dx;
      if (!inE[j]) ctxVisit[e] = (ctxVisit[e] as number) | (1 << o);
      else if (j > i) {
        ctxVisit[e] = (ctxVisit[e] as number) | (1 << o);
        ctxTwice[e] = (ctxTwice[e] as number) | (1 << o);
      }
    });
  });
  const inBand = new Uint8Array(n * hw);
  for (const i of ctxIdx) for (const [dy, dx] of CBL_OFFSETS) inBand[i + dy * w + dx] = 1;
  for (const i of ctxIdx) inBand[i] = 1;
  const band: number[] = [];
  for (let i = 0; i < n * hw; i++) if (inBand[i]) band.push(i);
  return {
    n,
    h,
    w,
    edgeIdx,
    sameStart,
    sameNb: Int32Array.from(same),
    calCount,
    ctxIdx,
    ctxWeight,
    ctxBits: Int32Array.from(ctxEdges, (e) => sameBits[e] as number),
    ctxVisit,
    ctxTwice,
    ctxBand: Int32Array.from(band),
    classes,
  };
}

export interface CblWeights {
  contextWeight: number;
  centreClassWeight: number;
  centrePullWeight: number;
}

/**
 * λ_ctx·L_ctx + λ_NCE·L_NCE + λ_CN·L_CN and its gradient with respect to the logits x [N,H,W,C] (row-major).
 * `unrollC2 = false` runs the general loops for C = 2 too (the tests compare the two).
 */
export function cblValueAndGrad(
  x: Float32Array,
  c: number,
  labels: Int32Array,
  g: CblGt,
  wts: CblWeights,
  unrollC2 = true,
  out: Float32Array = new Float32Array(labels.length * c), // receives the gradient (every element)
): { value: number; grad: Float32Array } {
  const grad = gradWork(labels.length * c).fill(0);
  const two = unrollC2 && c === 2;
  let value = 0;
  if (wts.contextWeight !== 0) value += contextTerm(x, c, two, g, wts.contextWeight, grad);
  if (wts.centreClassWeight !== 0 || wts.centrePullWeight !== 0) value += centreTerms(x, c, two, labels, g, wts, grad);
  out.set(grad);
  return { value, grad: out };
}

// The two functions below use plain indexed loops over typed arrays and no closures (a closure would move the
// variables it captures into a heap context that every loop reads through). C = 2, the explorer's usual case, has
// its channel loops written out with the sums in local variables: about twice as fast in V8 as the general loops,
// which read and write their accumulators through typed arrays.

/**
 * λ·L_ctx, its gradient added to `grad`. With r = cos(f_i, f_j) − s_ij, d r² = 2r·dcos where, for
 * |a|²|b|² ≥ eps², dcos/da = b/(|a||b|) − cos·a/|a|², dcos/db = a/(|a||b|) − cos·b/|b|², and below the clamp
 * (denominator the constant 1e-8) dcos/da = b/1e-8, dcos/db = a/1e-8. So each pair adds u·b to the centre and
 * u·a − v·b to the neighbour; the norms are computed once per pixel, the centre's −cos·a/|a|² parts are
 * summed over its neighbours before they are applied, and a pair of two E_n pixels is computed once, counted
 * twice (both of its terms are equal, and so are their gradients, with the roles of a and b swapped).
 */
function contextTerm(x: Float32Array, c: number, two: boolean, g: CblGt, lambda: number, grad: Float64Array): number {
  const { w, ctxIdx, ctxWeight, ctxBits, ctxVisit, ctxTwice, ctxBand } = g;
  const off = Int32Array.from(CBL_OFFSETS, ([dy, dx]) => dy * w + dx);
  const nOff = off.length;
  // written at every pixel of the band before any is read, and read only there
  const norm2 = squaredNormWork(grad.length / c);
  const invNorm = inverseNormWork(grad.length / c);
  for (let q = 0; q < ctxBand.length; q++) {
    const j = ctxBand[q] as number;
    let s = 0;
    for (let k = 0; k < c; k++) s += (x[j * c + k] as number) * (x[j * c + k] as number);
    norm2[j] = s;
    invNorm[j] = 1 / Math.sqrt(s); // used only above the clamp, where s > 0
  }
  const gi = new Float64Array(c); // the centre's Σ u·b (general C)
  let value = 0;
  for (let e = 0; e < ctxIdx.length; e++) {
    const i = ctxIdx[e] as number; // ≥ 2 px inside, so every neighbour j is in the image
    const lw = lambda * (ctxWeight[e] as number);
    const bits = ctxBits[e] as number;
    const visit = ctxVisit[e] as number;
    const twice = ctxTwice[e] as number;
    const ai = i * c;
    const na = norm2[i] as number;
    const ia = invNorm[i] as number;
    const a0 = x[ai] as number;
    const a1 = two ? (x[ai + 1] as number) : 0;
    let g0 = 0; // the centre's Σ u·b (C = 2)
    let g1 = 0;
    for (let k = 0; k < c; k++) gi[k] = 0;
    let rr = 0; // Σ r² (pairs counted twice included twice)
    let pull = 0; // Σ 2r·cos over the pairs above the clamp (idem)
    for (let o = 0; o < nOff; o++) {
      if (!((visit >> o) & 1)) continue;
      const times = 1 + ((twice >> o) & 1);
      const j = i + (off[o] as number);
      const bj = j * c;
      let dot = 0;
      if (two) dot = a0 * (x[bj] as number) + a1 * (x[bj + 1] as number);
      else for (let k = 0; k < c; k++) dot += (x[ai + k] as number) * (x[bj + k] as number);
      const nb = norm2[j] as number;
      const clamped = na * nb < COS_EPS2;
      const ib = invNorm[j] as number;
      const cos = clamped ? dot / COS_EPS : dot * ia * ib;
      const r = cos - ((bits >> o) & 1);
      rr += times * r * r;
      const coef = 2 * times * lw * r;
      const u = clamped ? coef / COS_EPS : coef * ia * ib;
      const v = clamped ? 0 : coef * cos * ib * ib;
      if (!clamped) pull += coef * cos;
      if (two) {
        const b0 = x[bj] as number;
        const b1 = x[bj + 1] as number;
        g0 += u * b0;
        g1 += u * b1;
        grad[bj] = (grad[bj] as number) + u * a0 - v * b0;
        grad[bj + 1] = (grad[bj + 1] as number) + u * a1 - v * b1;
      } else
        for (let k = 0; k < c; k++) {
          const b = x[bj + k] as number;
          gi[k] = (gi[k] as number) + u * b;
          grad[bj + k] = (grad[bj + k] as number) + u * (x[ai + k] as number) - v * b;
        }
    }
    value += lw * rr;
    const va = pull === 0 ? 0 : pull * ia * ia; // (pull is 0 when |a| = 0: every pair is clamped)
    if (two) {
      grad[ai] = (grad[ai] as number) + g0 - va * a0;
      grad[ai + 1] = (grad[ai + 1] as number) + g1 - va * a1;
    } else
      for (let k = 0; k < c; k++)
        grad[ai + k] = (grad[ai + k] as number) + (gi[k] as number) - va * (x[ai + k] as number);
  }
  return value;
}

/** λ_NCE·L_NCE + λ_CN·L_CN, their gradient added to `grad`. */
function centreTerms(
  x: Float32Array,
  c: number,
  two: boolean,
  labels: Int32Array,
  g: CblGt,
  wts: CblWeights,
  grad: Float64Array,
): number {
  const { edgeIdx, sameStart, sameNb, calCount } = g;
  const nEdge = edgeIdx.length;
  const total = labels.length;
  // r_j = [argmax x_j = t_j] (first maximum wins) of every pixel, in one flat pass
  const correct = new Uint8Array(total);
  if (two)
    for (let j = 0; j < total; j++)
      correct[j] = ((x[2 * j + 1] as number) > (x[2 * j] as number) ? 1 : 0) === labels[j] ? 1 : 0;
  else
    for (let j = 0; j < total; j++) {
      const bj = j * c;
      let best = 0;
      for (let k = 1; k < c; k++) if ((x[bj + k] as number) > (x[bj + best] as number)) best = k;
      correct[j] = best === labels[j] ? 1 : 0;
    }
  // per boundary pixel: the sum of its same-class neighbours' features, and of the correct ones with their count
  const sumAll = new Float64Array(nEdge * c);
  const sumCor = new Float64Array(nEdge * c);
  const corCount = new Float64Array(nEdge);
  // |B✓_k|: boundary pixels of class k, correct, with ≥ 1 correct same-class neighbour
  const mseCount = new Float64Array(calCount.length);
  if (two) windowSums2(x, labels, correct, g, sumAll, sumCor, corCount);
  else
    for (let e = 0; e < nEdge; e++) {
      const eo = e * c;
      let cnt = 0;
      for (let q = sameStart[e] as number; q < (sameStart[e + 1] as number); q++) {
        const j = sameNb[q] as number;
        for (let k = 0; k < c; k++) sumAll[eo + k] = (sumAll[eo + k] as number) + (x[j * c + k] as number);
        if (correct[j] === 0) continue;
        cnt++;
        for (let k = 0; k < c; k++) sumCor[eo + k] = (sumCor[eo + k] as number) + (x[j * c + k] as number);
      }
      corCount[e] = cnt;
    }
  for (let e = 0; e < nEdge; e++) {
    const i = edgeIdx[e] as number;
    const t = labels[i] as number;
    if (correct[i] === 1 && (corCount[e] as number) >= 1) mseCount[t] = (mseCount[t] as number) + 1;
  }
  // K: the classes with both sets non-empty (the reference skips the others)
  const valid = new Uint8Array(calCount.length);
  let K = 0;
  for (const k of g.classes)
    if ((calCount[k] as number) > 0 && (mseCount[k] as number) > 0) {
      valid[k] = 1;
      K++;
    }
  if (K === 0) return 0;

  const needNce = wts.centreClassWeight !== 0;
  const needCn = wts.centrePullWeight !== 0;
  const p = new Float64Array(c);
  let value = 0;
  for (let e = 0; e < nEdge; e++) {
    const i = edgeIdx[e] as number;
    const t = labels[i] as number;
    if (!valid[t]) continue;
    const eo = e * c;
    const first = sameStart[e] as number;
    const end = sameStart[e + 1] as number;
    // L_NCE: −log softmax(c_i)_t with c_i = Σ_j s_ij f_j / (Σ_j s_ij + 1e-5); d/dc_i = softmax(c_i) − e_t,
    // and each same-class neighbour j receives it times 1/(count + 1e-5).
    if (needNce && end > first) {
      const wt = wts.centreClassWeight / (K * (calCount[t] as number));
      const inv = 1 / (end - first + COUNT_EPS);
      if (two) {
        // with z = c_other − c_t: −log softmax(c)_t = softplus(z), and softmax(c) − e_t = ±σ(z)
        const z = ((sumAll[eo + 1 - t] as number) - (sumAll[eo + t] as number)) * inv;
        const ez = Math.exp(-Math.abs(z));
        value += wt * (Math.max(z, 0) + Math.log1p(ez));
        const sz = (z >= 0 ? 1 : ez) / (1 + ez);
        const p0 = (t === 0 ? -sz : sz) * wt * inv;
        const p1 = -p0;
        for (let q = first; q < end; q++) {
          const bj = (sameNb[q] as number) * 2;
          grad[bj] = (grad[bj] as number) + p0;
          grad[bj + 1] = (grad[bj + 1] as number) + p1;
        }
      } else {
        let m = Number.NEGATIVE_INFINITY;
        for (let k = 0; k < c; k++) m = Math.max(m, (sumAll[eo + k] as number) * inv);
        let s = 0;
        for (let k = 0; k < c; k++) {
          p[k] = Math.exp((sumAll[eo + k] as number) * inv - m);
          s += p[k] as number;
        }
        value += wt * (m + Math.log(s) - (sumAll[eo + t] as number) * inv);
        for (let k = 0; k < c; k++) p[k] = ((p[k] as number) / s - (k === t ? 1 : 0)) * wt * inv;
        for (let q = first; q < end; q++) {
          const bj = (sameNb[q] as number) * c;
          for (let k = 0; k < c; k++) grad[bj + k] = (grad[bj + k] as number) + (p[k] as number);
        }
      }
    }
    // L_CN: ‖f_i − c̃_i‖² / C with the detached target c̃_i = Σ_j s_ij r_j f_j / (Σ_j s_ij r_j + 1e-5)
    if (needCn && correct[i] === 1 && (corCount[e] as number) >= 1) {
      const wt = wts.centrePullWeight / (K * (mseCount[t] as number) * c);
      const inv = 1 / ((corCount[e] as number) + COUNT_EPS);
      for (let k = 0; k < c; k++) {
        const d = (x[i * c + k] as number) - (sumCor[eo + k] as number) * inv;
        value += wt * d * d;
        grad[i * c + k] = (grad[i * c + k] as number) + 2 * wt * d;
      }
    }
  }
  return value;
}

/**
 * C = 2: the same-class neighbour sums of every boundary pixel (all, and the correct ones with their count) from
 * 5×5 window sums over the pixels of its class, minus the pixel itself. Along a row's run of boundary pixels of
 * one class the window slides: one step right adds the column that enters and removes the one that leaves, so
 * each pixel costs two 5-pixel columns instead of its ~22 listed neighbours. (The float64 sums round in another
 * order than the list's; the difference stays far below float32.)
 */
function windowSums2(
  x: Float32Array,
  labels: Int32Array,
  correct: Uint8Array,
  g: CblGt,
  sumAll: Float64Array,
  sumCor: Float64Array,
  corCount: Float64Array,
): void {
  const { h, w, edgeIdx } = g;
  const hw = h * w;
  const win = new Float64Array(5); // Σ x₀, Σ x₁, Σ r·x₀, Σ r·x₁, Σ r over the window's pixels of class t
  let prev = -2;
  let prevT = -1;
  for (let e = 0; e < edgeIdx.length; e++) {
    const i = edgeIdx[e] as number;
    const t = labels[i] as number;
    const col = i % w;
    const y = Math.floor((i % hw) / w);
    const top = i - col - Math.min(y, CBL_R) * w; // the window's top row in the image, at column 0
    const rows = Math.min(y, CBL_R) + 1 + Math.min(h - 1 - y, CBL_R);
    if (i === prev + 1 && t === prevT && col !== 0) {
      if (col + 2 < w) addColumn(win, 1, x, labels, correct, t, top + col + 2, rows, w);
      if (col - 3 >= 0) addColumn(win, -1, x, labels, correct, t, top + col - 3, rows, w);
    } else {
      win.fill(0);
      for (let cc = Math.max(col - 2, 0); cc <= Math.min(col + 2, w - 1); cc++)
        addColumn(win, 1, x, labels, correct, t, top + cc, rows, w);
    }
    prev = i;
    prevT = t;
    const r = correct[i] as number; // the pixel itself is in its own window: take it out
    const x0 = x[2 * i] as number;
    const x1 = x[2 * i + 1] as number;
    sumAll[2 * e] = (win[0] as number) - x0;
    sumAll[2 * e + 1] = (win[1] as number) - x1;
    sumCor[2 * e] = r ? (win[2] as number) - x0 : (win[2] as number);
    sumCor[2 * e + 1] = r ? (win[3] as number) - x1 : (win[3] as number);
    corCount[e] = (win[4] as number) - r;
  }
}

/** Adds sign × (the class-t pixels of one window column: `rows` pixels from `p` down) to `win`. */
function addColumn(
  win: Float64Array,
  sign: number,
  x: Float32Array,
  labels: Int32Array,
  correct: Uint8Array,
  t: number,
  p: number,
  rows: number,
  w: number,
): void {
  let a0 = 0;
  let a1 = 0;
  let c0 = 0;
  let c1 = 0;
  let n = 0;
  for (let k = 0; k < rows; k++, p += w) {
    if (labels[p] !== t) continue;
    const x0 = x[2 * p] as number;
    const x1 = x[2 * p + 1] as number;
    a0 += x0;
    a1 += x1;
    if (correct[p] === 0) continue;
    c0 += x0;
    c1 += x1;
    n++;
  }
  win[0] = (win[0] as number) + sign * a0;
  win[1] = (win[1] as number) + sign * a1;
  win[2] = (win[2] as number) + sign * c0;
  win[3] = (win[3] as number) + sign * c1;
  win[4] = (win[4] as number) + sign * n;
}
