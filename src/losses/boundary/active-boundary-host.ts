/**
 * Active Boundary Loss on the host: steps 3–6 of active-boundary.ts from the logits read back once, with the
 * exact gradient, in float64. The selection of step 4 needs the predicted-boundary map on the host anyway (a
 * data-dependent threshold loop), and the loss itself only involves the few kept pixels and their 8 neighbours,
 * so the dense [N, H, W, 8] tensors of the device formulation (and their gradients) are not needed.
 *
 * With L = log softmax(x) per pixel and P = e^L, z_o(i) = KL(x_nb‖x_i) = Σ_c P_nb,c (L_nb,c − L_i,c) for the
 * neighbour nb = i + offset_o (replicate padding: indices clamped to the image). For the loss
 * Σ_i w_i CE_ls(z(i), q(i)) / K, with s = softmax(z(i)) and g_o = w_i (s_o Σq − q_o) / K:
 *   ∂/∂L_i,c += −Σ_o g_o P_nb,c,   ∂/∂L_nb,c += g_o P_nb,c (L_nb,c − L_i,c + 1)   (not when isDetach),
 * then through the log-softmax: ∂/∂x_j,c = ∂/∂L_j,c − p_j,c Σ_c' ∂/∂L_j,c'.
 */
import { reusable } from '../../ops/reusable';
import { ABL_OFFSETS, type ActiveBoundaryParams, ablSelection } from './active-boundary';

// Work arrays of one call, reused by the next (fresh ones of this size cost page faults in Chromium, see
// src/ops/reusable.ts): the log-probabilities, probabilities and KL map, and the gradient w.r.t. L.
const logProbWork = reusable((n) => new Float64Array(n));
const probWork = reusable((n) => new Float64Array(n));
const klWork = reusable((n) => new Float32Array(n));
const logitGradWork = reusable((n) => new Float64Array(n));

export function ablHostValueAndGrad(
  x: Float32Array,
  shape: readonly [number, number, number, number],
  dist: Float64Array,
  params: ActiveBoundaryParams,
  unrollC2 = true, // false: the general loops for C = 2 too (the tests compare the two)
  grad: Float32Array = new Float32Array(shape[0] * shape[1] * shape[2] * shape[3]), // written where non-zero: must come zeroed
): { value: number; grad: Float32Array } {
  const [n, h, w, c] = shape;
  const hw = h * w;
  const total = n * hw;
  const { lp, pe, kl } = ablPredictionMaps(x, shape, unrollC2, true);
  const sel = ablSelection(kl, dist, [n, h, w], params);
  if (sel.kept === 0) return { value: 0, grad };
  // step 6 over the kept pixels (indexed loops without closures, whose captured variables would be read through
  // a heap context): q = 1 − ls on the target direction, ls/8 elsewhere (float32, as the device
  // formulation's targets were)
  const qHit = Math.fround(1 - params.labelSmoothing);
  const qMiss = Math.fround(params.labelSmoothing / 8);
  const qs = qHit + 7 * qMiss;
  const gl = logitGradWork(total * c).fill(0);
  const z = new Float64Array(8);
  const ez = new Float64Array(8);
  const nbs = new Int32Array(8);
  const dRow = Int32Array.from(ABL_OFFSETS.slice(0, 8), ([di]) => di);
  const dCol = Int32Array.from(ABL_OFFSETS.slice(0, 8), ([, dj]) => dj);
  const detach = params.isDetach;
  let value = 0;
  for (let e = 0; e < sel.kept; e++) {
    const i = sel.keptIdx[e] as number;
    const dir = sel.direction[e] as number;
    const wt = (sel.weights[i] as number) / sel.kept;
    if (wt === 0) continue; // kept on the GT boundary (distance 0): counts in K, adds nothing
    const b = Math.floor(i / hw);
    const r = Math.floor((i - b * hw) / w);
    const col = i - b * hw - r * w;
    const ai = i * c;
    let m = Number.NEGATIVE_INFINITY;
    for (let o = 0; o < 8; o++) {
      const rr = Math.min(Math.max(r + (dRow[o] as number), 0), h - 1);
      const cc = Math.min(Math.max(col + (dCol[o] as number), 0), w - 1);
      const nb = b * hw + rr * w + cc;
      nbs[o] = nb;
      // z_o = KL(x_nb‖x_i)
      let s = 0;
      for (let k = 0; k < c; k++)
        s += (pe[nb * c + k] as number) * ((lp[nb * c + k] as number) - (lp[ai + k] as number));
      z[o] = s;
      m = Math.max(m, s);
    }
    let s = 0;
    for (let o = 0; o < 8; o++) {
      ez[o] = Math.exp((z[o] as number) - m);
      s += ez[o] as number;
    }
    const lse = m + Math.log(s);
    // −Σ_o q_o (z_o − lse) = qs·lse − Σ_o q_o z_o
    let qz = 0;
    for (let o = 0; o < 8; o++) qz += (o === dir ? qHit : qMiss) * (z[o] as number);
    value += wt * (qs * lse - qz);
    for (let o = 0; o < 8; o++) {
      const g = wt * (((ez[o] as number) / s) * qs - (o === dir ? qHit : qMiss));
      if (g === 0) continue;
      const nb = nbs[o] as number;
      for (let k = 0; k < c; k++) {
        const pnb = pe[nb * c + k] as number;
        gl[ai + k] = (gl[ai + k] as number) - g * pnb;
        if (!detach)
          gl[nb * c + k] =
            (gl[nb * c + k] as number) + g * pnb * ((lp[nb * c + k] as number) - (lp[ai + k] as number) + 1);
      }
    }
  }
  // through the log-softmax, at the pixels that received a gradient: the kept ones, and their neighbours when
  // not detached (a pixel met twice is written twice with the same value)
  for (let e = 0; e < sel.kept; e++) {
    const i = sel.keptIdx[e] as number;
    toLogits(i, gl, pe, c, grad);
    if (detach) continue;
    const b = Math.floor(i / hw);
    const r = Math.floor((i - b * hw) / w);
    const col = i - b * hw - r * w;
    for (let o = 0; o < 8; o++) {
      const rr = Math.min(Math.max(r + (dRow[o] as number), 0), h - 1);
      const cc = Math.min(Math.max(col + (dCol[o] as number), 0), w - 1);
      toLogits(b * hw + rr * w + cc, gl, pe, c, grad);
    }
  }
  return { value, grad };
}

/**
 * The dense passes over every pixel: L = log softmax(x), P = e^L (float64), and step 3's KL map
 * k = KL(x_i‖x_down) + KL(x_i‖x_right) (replicate padding) with KL(x_a‖x_b) = Σ_c P_a,c (L_a,c − L_b,c), stored in
 * float32 as the device formulation did. They are most of the time, so C = 2, the explorer's usual case, has its
 * channel loops written out (`unrollC2 = false`: the general loops, for the tests).
 */
export function ablPredictionMaps(
  x: Float32Array,
  shape: readonly [number, number, number, number],
  unrollC2 = true,
  reuse = false, // true: the maps are work arrays handed out again by the next call (src/ops/reusable.ts)
): { lp: Float64Array; pe: Float64Array; kl: Float32Array } {
  // indexed loops without closures (captured variables would be read through a heap context)
  const [n, h, w, c] = shape;
  const hw = h * w;
  const two = unrollC2 && c === 2;
  const lp = reuse ? logProbWork(n * hw * c) : new Float64Array(n * hw * c);
  const pe = reuse ? probWork(n * hw * c) : new Float64Array(n * hw * c);
  logSoftmaxAndExp(x, n * hw, c, two, lp, pe);
  const kl = reuse ? klWork(n * hw) : new Float32Array(n * hw);
  for (let b = 0; b < n; b++)
    for (let r = 0; r < h; r++) {
      const row = b * hw + r * w;
      const rowDown = b * hw + Math.min(r + 1, h - 1) * w;
      for (let col = 0; col < w; col++) {
        const ai = (row + col) * c;
        const di = (rowDown + col) * c;
        const ri = (row + Math.min(col + 1, w - 1)) * c;
        let down = 0;
        let right = 0;
        if (two) {
          const p0 = pe[ai] as number;
          const p1 = pe[ai + 1] as number;
          const l0 = lp[ai] as number;
          const l1 = lp[ai + 1] as number;
          down = p0 * (l0 - (lp[di] as number)) + p1 * (l1 - (lp[di + 1] as number));
          right = p0 * (l0 - (lp[ri] as number)) + p1 * (l1 - (lp[ri + 1] as number));
        } else
          for (let k = 0; k < c; k++) {
            down += (pe[ai + k] as number) * ((lp[ai + k] as number) - (lp[di + k] as number));
            right += (pe[ai + k] as number) * ((lp[ai + k] as number) - (lp[ri + k] as number));
          }
        kl[row + col] = down + right;
      }
    }
  return { lp, pe, kl };
}

/** grad_j = ∂/∂L_j − p_j Σ_c ∂/∂L_j,c: the gradient of pixel j through its log-softmax. */
function toLogits(j: number, gl: Float64Array, pe: Float64Array, c: number, grad: Float32Array): void {
  const o = j * c;
  let sg = 0;
  for (let k = 0; k < c; k++) sg += gl[o + k] as number;
  for (let k = 0; k < c; k++) grad[o + k] = (gl[o + k] as number) - (pe[o + k] as number) * sg;
}

/**
 * L = log softmax(x) and P = softmax(x) per pixel, float64. For C = 2 one exponential and one log1p give both:
 * with d = x₁ − x₀ and e = exp(−|d|), L₀ = −(max(d, 0) + log1p(e)), L₁ = −(max(−d, 0) + log1p(e)), and the
 * larger logit has P = 1/(1 + e), the smaller one P = e/(1 + e).
 */
function logSoftmaxAndExp(
  x: Float32Array,
  total: number,
  c: number,
  two: boolean,
  lp: Float64Array,
  pe: Float64Array,
): void {
  if (two) {
    for (let i = 0; i < total; i++) {
      const d = (x[2 * i + 1] as number) - (x[2 * i] as number);
      const e = Math.exp(-Math.abs(d));
      const l = Math.log1p(e);
      const big = 1 / (1 + e);
      const small = e * big;
      lp[2 * i] = -(Math.max(d, 0) + l);
      lp[2 * i + 1] = -(Math.max(-d, 0) + l);
      pe[2 * i] = d > 0 ? small : big;
      pe[2 * i + 1] = d > 0 ? big : small;
    }
    return;
  }
  for (let i = 0; i < total; i++) {
    const o = i * c;
    let m = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < c; k++) m = Math.max(m, x[o + k] as number);
    let s = 0;
    for (let k = 0; k < c; k++) {
      const e = Math.exp((x[o + k] as number) - m);
      pe[o + k] = e;
      s += e;
    }
    const lse = m + Math.log(s);
    for (let k = 0; k < c; k++) {
      lp[o + k] = (x[o + k] as number) - lse;
      pe[o + k] = (pe[o + k] as number) / s;
    }
  }
}
