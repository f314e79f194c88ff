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
  const [n, h, w, c] = shape;
  const hw = h * w;
  const total = n * hw;
  // log-softmax per pixel
  const lp = new Float64Array(total * c);
  for (let i = 0; i < total; i++) {
    let m = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < c; k++) m = Math.max(m, x[i * c + k] as number);
    let s = 0;
    for (let k = 0; k < c; k++) s += Math.exp((x[i * c + k] as number) - m);
    const lse = m + Math.log(s);
    for (let k = 0; k < c; k++) lp[i * c + k] = (x[i * c + k] as number) - lse;
  }
  const neighbour = (i: number, o: number) => {
    const b = Math.floor(i / hw);
    const r = Math.floor((i % hw) / w);
    const col = i % w;
    const [di, dj] = ABL_OFFSETS[o] as readonly [number, number];
    const rr = Math.min(Math.max(r + di, 0), h - 1);
    const cc = Math.min(Math.max(col + dj, 0), w - 1);
    return b * hw + rr * w + cc;
  };
  // KL(x_a‖x_b) = Σ_c P_a,c (L_a,c − L_b,c)
  const kl = (a: number, b: number) => {
    let s = 0;
    for (let k = 0; k < c; k++) {
      const la = lp[a * c + k] as number;
      s += Math.exp(la) * (la - (lp[b * c + k] as number));
    }
    return s;
  };
  // step 3: k = KL(x_i‖x_down) + KL(x_i‖x_right) (offsets 0 and 3), in float32 as the device formulation
  const k3 = new Float32Array(total);
  for (let i = 0; i < total; i++) k3[i] = kl(i, neighbour(i, 0)) + kl(i, neighbour(i, 3));
  const sel = ablSelection(k3, dist, [n, h, w], params);
  const grad = new Float32Array(total * c);
  if (sel.kept === 0) return { value: 0, grad };
  const gl = new Float64Array(total * c);
  const z = new Float64Array(8);
  const nbs = new Int32Array(8);
  let value = 0;
  for (let i = 0; i < total; i++) {
    const wt = sel.weights[i] as number;
    if (wt === 0) continue;
    let m = Number.NEGATIVE_INFINITY;
    for (let o = 0; o < 8; o++) {
      nbs[o] = neighbour(i, o);
      z[o] = kl(nbs[o] as number, i);
      m = Math.max(m, z[o] as number);
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
        const pnb = Math.exp(lnb);
        gl[i * c + k] = (gl[i * c + k] as number) - g * pnb;
        if (!params.isDetach) {
          gl[nb * c + k] = (gl[nb * c + k] as number) + g * pnb * (lnb - (lp[i * c + k] as number) + 1);
        }
      }
    }
  }
  for (let j = 0; j < total; j++) {
    let sg = 0;
    for (let k = 0; k < c; k++) sg += gl[j * c + k] as number;
    for (let k = 0; k < c; k++) {
      grad[j * c + k] = (gl[j * c + k] as number) - Math.exp(lp[j * c + k] as number) * sg;
    }
  }
  return { value, grad };
}
