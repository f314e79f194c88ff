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
import { ABL_OFFSETS, type ActiveBoundaryParams, ablSelection } from './active-boundary';

export function ablHostValueAndGrad(
  x: Float32Array,
  shape: readonly [number, number, number, number],
  dist: Float64Array,
  params: ActiveBoundaryParams,
): { value: number; grad: Float32Array } {
  // Indexed loops without closures (captured variables would be read through a heap context), neighbours from
  // row and column instead of divisions, and P = e^L computed once per value instead of inside every KL: the
  // same float64 operations in the same order.
  const [n, h, w, c] = shape;
  const hw = h * w;
  const total = n * hw;
  // log-softmax per pixel, and its exponential
  const lp = new Float64Array(total * c);
  const pe = new Float64Array(total * c);
  for (let i = 0; i < total; i++) {
    const o = i * c;
    let m = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < c; k++) m = Math.max(m, x[o + k] as number);
    let s = 0;
    for (let k = 0; k < c; k++) s += Math.exp((x[o + k] as number) - m);
    const lse = m + Math.log(s);
    for (let k = 0; k < c; k++) {
      const l = (x[o + k] as number) - lse;
      lp[o + k] = l;
      pe[o + k] = Math.exp(l);
    }
  }
  // step 3: k = KL(x_i‖x_down) + KL(x_i‖x_right) (offsets 0 and 3, replicate padding), in float32 as the device
  // formulation; KL(x_a‖x_b) = Σ_c P_a,c (L_a,c − L_b,c)
  const k3 = new Float32Array(total);
  for (let b = 0; b < n; b++)
    for (let r = 0; r < h; r++) {
      const row = b * hw + r * w;
      const rowDown = b * hw + Math.min(r + 1, h - 1) * w;
      for (let col = 0; col < w; col++) {
        const i = row + col;
        const ai = i * c;
        const di = (rowDown + col) * c;
        const ri = (row + Math.min(col + 1, w - 1)) * c;
        let down = 0;
        for (let k = 0; k < c; k++) down += (pe[ai + k] as number) * ((lp[ai + k] as number) - (lp[di + k] as number));
        let right = 0;
        for (let k = 0; k < c; k++) right += (pe[ai + k] as number) * ((lp[ai + k] as number) - (lp[ri + k] as number));
        k3[i] = down + right;
      }
    }
  const sel = ablSelection(k3, dist, [n, h, w], params);
  const grad = new Float32Array(total * c);
  if (sel.kept === 0) return { value: 0, grad };
  const gl = new Float64Array(total * c);
  const z = new Float64Array(8);
  const nbs = new Int32Array(8);
  const dRow = Int32Array.from(ABL_OFFSETS.slice(0, 8), ([di]) => di);
  const dCol = Int32Array.from(ABL_OFFSETS.slice(0, 8), ([, dj]) => dj);
  const detach = params.isDetach;
  let value = 0;
  for (let i = 0; i < total; i++) {
    const wt = sel.weights[i] as number;
    if (wt === 0) continue;
    const b = Math.floor(i / hw);
    const r = Math.floor((i % hw) / w);
    const col = i % w;
    const ai = i * c;
    let m = Number.NEGATIVE_INFINITY;
    for (let o = 0; o < 8; o++) {
      const rr = Math.min(Math.max(r + (dRow[o] as number), 0), h - 1);
      const cc = Math.min(Math.max(col + (dCol[o] as number), 0), w - 1);
      const nb = b * hw + rr * w + cc;
      nbs[o] = nb;
      // z_o = KL(x_nb‖x_i)
      let s = 0;
      for (let k = 0; k < c; k++) {
        const la = lp[nb * c + k] as number;
        s += (pe[nb * c + k] as number) * (la - (lp[ai + k] as number));
      }
      z[o] = s;
      m = Math.max(m, s);
    }
    let s = 0;
    for (let o = 0; o < 8; o++) s += Math.exp((z[o] as number) - m);
    const lse = m + Math.log(s);
    let qs = 0;
    for (let o = 0; o < 8; o++) {
      const q = sel.targets[i * 8 + o] as number;
      qs += q;
      value -= (wt * q * ((z[o] as number) - lse)) / sel.kept;
    }
    for (let o = 0; o < 8; o++) {
      const g = (wt * (Math.exp((z[o] as number) - lse) * qs - (sel.targets[i * 8 + o] as number))) / sel.kept;
      if (g === 0) continue;
      const nb = nbs[o] as number;
      for (let k = 0; k < c; k++) {
        const lnb = lp[nb * c + k] as number;
        const pnb = pe[nb * c + k] as number;
        gl[ai + k] = (gl[ai + k] as number) - g * pnb;
        if (!detach) gl[nb * c + k] = (gl[nb * c + k] as number) + g * pnb * (lnb - (lp[ai + k] as number) + 1);
      }
    }
  }
  for (let j = 0; j < total; j++) {
    const o = j * c;
    let sg = 0;
    for (let k = 0; k < c; k++) sg += gl[o + k] as number;
    for (let k = 0; k < c; k++) grad[o + k] = (gl[o + k] as number) - (pe[o + k] as number) * sg;
  }
  return { value, grad };
}
