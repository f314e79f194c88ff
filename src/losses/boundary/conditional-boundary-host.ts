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
  /** Indices of the GT boundary pixels (the only pixels any term looks at as a centre). */
  edgeIdx: Int32Array;
  /** Bit o of sameBits[i] = [t_{i+o} = t_i] for the 24 offsets (0 outside the image). */
  sameBits: Int32Array;
  /** Number of same-class neighbours Σ_o s_o(i). */
  sameCount: Float32Array;
  /** Per-pixel weight of L_ctx (0 outside E). */
  ctxWeight: Float32Array;
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
  const idx: number[] = [];
  for (let i = 0; i < n * hw; i++) if (edge[i]) idx.push(i);
  const edgeIdx = Int32Array.from(idx);
  const sameBits = new Int32Array(n * hw);
  const sameCount = new Float32Array(n * hw);
  for (const i of edgeIdx) {
    const y = Math.floor((i % hw) / w);
    const x = i % w;
    let bits = 0;
    let cnt = 0;
    CBL_OFFSETS.forEach(([dy, dx], o) => {
      const yy = y + dy;
      const xx = x + dx;
      if (yy < 0 || yy >= h || xx < 0 || xx >= w) return;
      if (labels[i + dy * w + dx] === labels[i]) {
        bits |= 1 << o;
        cnt++;
      }
    });
    sameBits[i] = bits;
    sameCount[i] = cnt;
  }
  // L_ctx weights: E_n = boundary ∧ label ≠ 0 ∧ R ≤ y ≤ H−1−R ∧ R ≤ x ≤ W−1−R, mean per image, then over images
  const inner = (i: number) => {
    const y = Math.floor((i % hw) / w);
    const x = i % w;
    return labels[i] !== 0 && y >= CBL_R && y <= h - 1 - CBL_R && x >= CBL_R && x <= w - 1 - CBL_R;
  };
  const counts = new Array<number>(n).fill(0);
  for (const i of edgeIdx) {
    const b = Math.floor(i / hw);
    if (inner(i)) counts[b] = (counts[b] as number) + 1;
  }
  const images = counts.filter((k) => k > 0).length;
  const ctxWeight = new Float32Array(n * hw);
  for (const i of edgeIdx) {
    if (inner(i)) ctxWeight[i] = 1 / (CBL_OFFSETS.length * (counts[Math.floor(i / hw)] as number) * images);
  }
  return { n, h, w, edgeIdx, sameBits, sameCount, ctxWeight, classes: [...present].sort((a, b) => a - b) };
}

/** Whether the first maximum of the logits of pixel j is class t. */
function argmaxIs(x: Float32Array, c: number, j: number, t: number): boolean {
  const bj = j * c;
  let best = 0;
  for (let k = 1; k < c; k++) if ((x[bj + k] as number) > (x[bj + best] as number)) best = k;
  return best === t;
}

export interface CblWeights {
  contextWeight: number;
  centreClassWeight: number;
  centrePullWeight: number;
}

/**
 * λ_ctx·L_ctx + λ_NCE·L_NCE + λ_CN·L_CN and its gradient with respect to the logits x [N,H,W,C] (row-major).
 */
export function cblValueAndGrad(
  x: Float32Array,
  c: number,
  labels: Int32Array,
  g: CblGt,
  wts: CblWeights,
): { value: number; grad: Float32Array } {
  // Plain indexed loops over typed arrays, per-class counts in arrays, and no closure in this function (a closure
  // would move the variables it captures, x and c among them, into a heap context that every loop reads
  // through): the same float64 operations in the same order as before.
  const { w, edgeIdx, sameBits, sameCount, ctxWeight } = g;
  const total = labels.length;
  const off = Int32Array.from(CBL_OFFSETS, ([dy, dx]) => dy * w + dx);
  const nOff = off.length;
  const nEdge = edgeIdx.length;
  const grad = new Float64Array(total * c);
  let value = 0;

  // L_ctx: r = cos(f_i, f_j) − s_ij; d r² = 2r·dcos with, for |a|²|b|² ≥ eps²,
  //   dcos/da = b/(|a||b|) − cos·a/|a|²,  dcos/db = a/(|a||b|) − cos·b/|b|²
  // and below the clamp (denominator the constant 1e-8) dcos/da = b/1e-8, dcos/db = a/1e-8.
  if (wts.contextWeight !== 0) {
    const lambda = wts.contextWeight;
    for (let e = 0; e < nEdge; e++) {
      const i = edgeIdx[e] as number;
      const cw = ctxWeight[i] as number;
      if (cw === 0) continue; // E_n pixels are ≥ 2 px inside, so every neighbour j is in the image
      const bits = sameBits[i] as number;
      const ai = i * c;
      let na = 0;
      for (let k = 0; k < c; k++) na += (x[ai + k] as number) ** 2;
      for (let o = 0; o < nOff; o++) {
        const bj = (i + (off[o] as number)) * c;
        let dot = 0;
        let nb = 0;
        for (let k = 0; k < c; k++) {
          const b = x[bj + k] as number;
          dot += (x[ai + k] as number) * b;
          nb += b ** 2;
        }
        const d2 = na * nb;
        const clamped = d2 < COS_EPS2;
        const den = clamped ? COS_EPS : Math.sqrt(d2);
        const cos = dot / den;
        const r = cos - ((bits >> o) & 1);
        value += lambda * cw * r * r;
        const coef = 2 * lambda * cw * r;
        for (let k = 0; k < c; k++) {
          const a = x[ai + k] as number;
          const b = x[bj + k] as number;
          grad[ai + k] = (grad[ai + k] as number) + coef * (clamped ? b / den : b / den - (cos * a) / na);
          grad[bj + k] = (grad[bj + k] as number) + coef * (clamped ? a / den : a / den - (cos * b) / nb);
        }
      }
    }
  }

  const needNce = wts.centreClassWeight !== 0;
  const needCn = wts.centrePullWeight !== 0;
  if (!needNce && !needCn) return { value, grad: Float32Array.from(grad) };

  // argmax correctness (first maximum wins) of the centres and their neighbourhoods: 1 = correct, 2 = wrong
  const correct = new Uint8Array(total);
  const corCount = new Float64Array(total);
  for (let e = 0; e < nEdge; e++) {
    const i = edgeIdx[e] as number;
    if (!correct[i]) correct[i] = argmaxIs(x, c, i, labels[i] as number) ? 1 : 2;
    const bits = sameBits[i] as number;
    let cnt = 0;
    for (let o = 0; o < nOff; o++) {
      if (!((bits >> o) & 1)) continue;
      const j = i + (off[o] as number);
      if (!correct[j]) correct[j] = argmaxIs(x, c, j, labels[j] as number) ? 1 : 2;
      if (correct[j] === 1) cnt++;
    }
    corCount[i] = cnt;
  }
  // per-class pixel counts of B_k (≥ 1 same-class neighbour) and B✓_k (correct with ≥ 1 correct same-class neighbour)
  let maxLabel = 0;
  for (const k of g.classes) maxLabel = Math.max(maxLabel, k);
  const calCount = new Float64Array(maxLabel + 1);
  const mseCount = new Float64Array(maxLabel + 1);
  for (let e = 0; e < nEdge; e++) {
    const i = edgeIdx[e] as number;
    const k = labels[i] as number;
    if ((sameCount[i] as number) >= 1) calCount[k] = (calCount[k] as number) + 1;
    if (correct[i] === 1 && (corCount[i] as number) >= 1) mseCount[k] = (mseCount[k] as number) + 1;
  }
  const valid = new Uint8Array(maxLabel + 1);
  let K = 0;
  for (const k of g.classes)
    if ((calCount[k] as number) > 0 && (mseCount[k] as number) > 0) {
      valid[k] = 1;
      K++;
    }
  if (K === 0) return { value, grad: Float32Array.from(grad) };

  const centre = new Float64Array(c);
  const p = new Float64Array(c);
  for (let e = 0; e < nEdge; e++) {
    const i = edgeIdx[e] as number;
    const t = labels[i] as number;
    if (!valid[t]) continue;
    const bits = sameBits[i] as number;
    // L_NCE: −log softmax(c_i)_t with c_i = Σ_j s_ij f_j / (Σ_j s_ij + 1e-5); d/dc_i = softmax(c_i) − e_t,
    // and each same-class neighbour j receives it times 1/(count + 1e-5).
    if (needNce && (sameCount[i] as number) >= 1) {
      const wt = wts.centreClassWeight / (K * (calCount[t] as number));
      const inv = 1 / ((sameCount[i] as number) + COUNT_EPS);
      for (let k = 0; k < c; k++) centre[k] = 0; // (a loop: TypedArray fill is a builtin call per pixel)
      for (let o = 0; o < nOff; o++) {
        if (!((bits >> o) & 1)) continue;
        const bj = (i + (off[o] as number)) * c;
        for (let k = 0; k < c; k++) centre[k] = (centre[k] as number) + (x[bj + k] as number);
      }
      let m = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < c; k++) {
        centre[k] = (centre[k] as number) * inv;
        m = Math.max(m, centre[k] as number);
      }
      let s = 0;
      for (let k = 0; k < c; k++) {
        p[k] = Math.exp((centre[k] as number) - m);
        s += p[k] as number;
      }
      value += wt * (m + Math.log(s) - (centre[t] as number));
      for (let k = 0; k < c; k++) p[k] = ((p[k] as number) / s - (k === t ? 1 : 0)) * wt * inv;
      for (let o = 0; o < nOff; o++) {
        if (!((bits >> o) & 1)) continue;
        const bj = (i + (off[o] as number)) * c;
        for (let k = 0; k < c; k++) grad[bj + k] = (grad[bj + k] as number) + (p[k] as number);
      }
    }
    // L_CN: ‖f_i − c̃_i‖² / C with the detached target c̃_i = Σ_j s_ij r_j f_j / (Σ_j s_ij r_j + 1e-5)
    if (needCn && correct[i] === 1 && (corCount[i] as number) >= 1) {
      const wt = wts.centrePullWeight / (K * (mseCount[t] as number) * c);
      const inv = 1 / ((corCount[i] as number) + COUNT_EPS);
      for (let k = 0; k < c; k++) centre[k] = 0; // (a loop: TypedArray fill is a builtin call per pixel)
      for (let o = 0; o < nOff; o++) {
        const j = i + (off[o] as number);
        if (!((bits >> o) & 1) || correct[j] !== 1) continue;
        for (let k = 0; k < c; k++) centre[k] = (centre[k] as number) + (x[j * c + k] as number);
      }
      for (let k = 0; k < c; k++) {
        const d = (x[i * c + k] as number) - (centre[k] as number) * inv;
        value += wt * d * d;
        grad[i * c + k] = (grad[i * c + k] as number) + 2 * wt * d;
      }
    }
  }
  return { value, grad: Float32Array.from(grad) };
}
