/**
 * Active Boundary Loss (ABL).
 * Paper: Wang, Zhang, Cui, Ren, Yang, Xie, Hua, Bao & Xu, "Active Boundary Loss for Semantic Segmentation",
 *   AAAI 2022 (arXiv 2102.02696).
 * Reference: wangchi95/active-boundary-loss@1511507 abl.py::ABL (forward, logits2boundary, gt2boundary,
 *   get_dist_maps, get_direction_gt_predkl), with its label-smoothed CE
 *   CoinCheung/pytorch-loss@af876e4 label_smooth.py::LabelSmoothSoftmaxCEV1 (SPEC §4.4).
 *
 * 1. GT boundary B: pixels above or left of a label change (ops/boundaries labelChangeBoundary).
 * 2. Distance map (constant, cached per ground truth): dist = ⌊EDT(¬B)⌋ − 1 off the boundary, 0 on it (the int32
 *    truncation of the reference); 0 everywhere when every pixel is boundary; SciPy's all-true artifact when
 *    there is no boundary (SPEC §1.1, ops/edt).
 * 3. Predicted boundary (constant, recomputed per prediction, one read-back): k = KL(x_ij‖x_i+1,j) + KL(x_ij‖x_i,j+1)
 *    (0 past the last row / column); ε = 1e-5, ×1.2 while #{k > ε} over the batch > H·W·maxNRatio;
 *    B̂ = 3×3 dilation of {k > ε} (zero padding).
 * 4. Target direction at each pixel of B̂: argmin of dist over the offsets (1,0),(−1,0),(0,−1),(0,1),(−1,1),(1,1),
 *    (−1,−1),(1,−1),(0,0) (1e5 outside the image, first index wins ties); pixels whose argmin is the centre are
 *    dropped.
 * 5. Predicted direction logits z_k = KL(x_nb‖x_centre) for the 8 neighbours (replicate padding at the border),
 *    the neighbour detached when isDetach.
 * 6. L = mean over the K kept pixels of CE_ls(z, dgt) · min(dist_centre, maxClipDist)/maxClipDist, with
 *    CE_ls = −Σ_k q_k log softmax(z)_k, q = 1 − ls on dgt and ls/8 elsewhere.
 *
 * Computed on the host (active-boundary-host.ts): the logits are read back once (step 3's threshold loop needs
 * the KL map there anyway), steps 3–6 and the exact gradient run in float64 over the kept pixels and their 8
 * neighbours only, and tf.customGrad hands the gradient back. (The device formulation computed z densely,
 * [N,H,W,8] from 8 shifted copies of the log-softmax, ~130 kernels with its gradient, and still read back.)
 *
 * Where the reference returns None (no predicted boundary: B̂ empty) or would divide by zero (every pixel of B̂
 * dropped, K = 0, a NaN in torch), this implementation returns 0 with a zero gradient, so the term simply
 * vanishes, which is what the reference's caller is told to do ("if None, skip this loss").
 */

import type { GroundTruthContext } from '../../engine/gt-context';
import { labelChangeBoundary } from '../../ops/boundaries';
import { edt } from '../../ops/edt';
import { hostGradientOp } from '../../ops/host-gradient-op';
import { hostTensorWork } from '../../ops/host-tensor';
import { hostValues } from '../../ops/prediction-memo';
import { tf } from '../../tf';
import { defineLoss } from '../define';
import { ablHostValueAndGrad } from './active-boundary-host';

/** The uploaded gradient's work array (src/ops/host-tensor.ts). */
const ablGradWork = hostTensorWork();

export type ActiveBoundaryParams = {
  isDetach: boolean;
  maxNRatio: number;
  labelSmoothing: number;
  maxClipDist: number;
};

/** Initial KL threshold of logits2boundary and its growth factor. */
const EPS0 = 1e-5;
const EPS_GROWTH = 1.2;
/** Distance read outside the image (`max_dis`). */
const OUTSIDE = 1e5;
/** The 9 (Δrow, Δcol) offsets of the reference, centre last. */
export const ABL_OFFSETS: readonly (readonly [number, number])[] = [
  [1, 0],
  [-1, 0],
  [0, -1],
  [0, 1],
  [-1, 1],
  [1, 1],
  [-1, -1],
  [1, -1],
  [0, 0],
];

/**
 * ABL's ground-truth distance map, [N·H·W] row-major: ⌊EDT(¬B)⌋ − 1 off the label-change boundary B, 0 on it;
 * 0 everywhere when all pixels are boundary; SciPy's all-true artifact when B is empty. Cached per GT version.
 */
export function ablDistanceMap(ctx: GroundTruthContext): Float64Array {
  return ctx.memo('active-boundary:dist', () => {
    const { h, w } = ctx;
    const out = new Float64Array(ctx.n * h * w);
    for (let n = 0; n < ctx.n; n++) {
      const boundary = labelChangeBoundary(ctx.image(n), h, w);
      const inside = new Uint8Array(h * w); // U = ¬B
      let any = false;
      for (let i = 0; i < inside.length; i++) {
        inside[i] = boundary[i] ? 0 : 1;
        if (inside[i]) any = true;
      }
      if (!any) continue; // U empty: res stays 0
      const d = edt(inside, h, w); // all-true U (no boundary) → SciPy's artifact
      for (let i = 0; i < inside.length; i++) {
        // res = trunc(EDT(B)·B − (EDT(U) − 1)·U) in int32; dist = max(−res, 0)
        out[n * h * w + i] = inside[i] ? Math.max(Math.floor((d[i] as number) - 1), 0) : 0;
      }
    }
    return out;
  });
}

/**
 * logits2boundary's threshold: the first of ε₀, ε₀·1.2, (ε₀·1.2)·1.2, … (float64 products, in this order) with
 * at most maxN values of `kl` above it. At most maxN values lie above a step s exactly when the (⌊maxN⌋+1)-th
 * largest value v* is ≤ s, so the answer is the first step ≥ v* (ε₀ when there are fewer values; NaN counts
 * as never above). v* comes from one pass that keeps the ⌊maxN⌋+1 largest values seen in a min-heap.
 */
export function klThreshold(kl: ArrayLike<number>, maxN: number): number {
  const kth = largest(kl, Math.floor(maxN) + 1);
  let eps = EPS0;
  while (eps < kth) eps *= EPS_GROWTH; // ends at +Infinity at the latest
  return eps;
}

/** The k-th largest non-NaN value of `values` (−Infinity when there are fewer than k). */
function largest(values: ArrayLike<number>, k: number): number {
  if (k > values.length) return Number.NEGATIVE_INFINITY;
  const heap = new Float64Array(k); // min-heap of the largest values so far
  let size = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (size < k) {
      if (Number.isNaN(v)) continue;
      let at = size++; // sift up
      while (at > 0) {
        const up = (at - 1) >> 1;
        if ((heap[up] as number) <= v) break;
        heap[at] = heap[up] as number;
        at = up;
      }
      heap[at] = v;
    } else if (v > (heap[0] as number)) {
      let at = 0; // replace the smallest and sift down
      for (;;) {
        let child = 2 * at + 1;
        if (child >= size) break;
        if (child + 1 < size && (heap[child + 1] as number) < (heap[child] as number)) child++;
        if ((heap[child] as number) >= v) break;
        heap[at] = heap[child] as number;
        at = child;
      }
      heap[at] = v;
    }
  }
  return size < k ? Number.NEGATIVE_INFINITY : (heap[0] as number);
}

/** Steps 3–4 on the host: the predicted boundary, and the kept pixels with their target direction and weight. */
export interface AblSelection {
  predBoundary: Uint8Array;
  /** Number of kept pixels K. */
  kept: number;
  /** The kept pixels (indices into [N·H·W], ascending) and their target direction (index into ABL_OFFSETS). */
  keptIdx: Int32Array;
  direction: Uint8Array;
  /** min(dist, θ)/θ at the kept pixels, 0 elsewhere, [N·H·W] (float32, as the device formulation had it). */
  weights: Float32Array;
  epsilon: number;
}

export function ablSelection(
  kl: Float32Array,
  dist: Float64Array,
  shape: readonly [number, number, number],
  params: Pick<ActiveBoundaryParams, 'maxNRatio' | 'maxClipDist'>,
): AblSelection {
  const [n, h, w] = shape;
  const hw = h * w;
  const eps = klThreshold(kl, hw * params.maxNRatio);
  // B̂ = 3×3 dilation (zero padding) of {k > ε}: at most ~maxN seeds, so mark their windows
  const predBoundary = new Uint8Array(n * hw);
  for (let p = 0; p < n * hw; p++) {
    if (!((kl[p] as number) > eps)) continue;
    const b = Math.floor(p / hw);
    const i = Math.floor((p - b * hw) / w);
    const j = p - b * hw - i * w;
    for (let ii = Math.max(i - 1, 0); ii <= Math.min(i + 1, h - 1); ii++)
      for (let jj = Math.max(j - 1, 0); jj <= Math.min(j + 1, w - 1); jj++) predBoundary[b * hw + ii * w + jj] = 1;
  }
  const dRow = Int32Array.from(ABL_OFFSETS, ([di]) => di);
  const dCol = Int32Array.from(ABL_OFFSETS, ([, dj]) => dj);
  const keptIdx: number[] = [];
  const direction: number[] = [];
  const weights = new Float32Array(n * hw);
  for (let p = 0; p < n * hw; p++) {
    if (!predBoundary[p]) continue;
    const b = Math.floor(p / hw);
    const i = Math.floor((p - b * hw) / w);
    const j = p - b * hw - i * w;
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    for (let o = 0; o < 9; o++) {
      const ii = i + (dRow[o] as number);
      const jj = j + (dCol[o] as number);
      const d = ii < 0 || ii >= h || jj < 0 || jj >= w ? OUTSIDE : (dist[b * hw + ii * w + jj] as number);
      if (d < bestD) {
        bestD = d;
        best = o;
      }
    }
    if (best === 8) continue; // the centre itself is nearest: dropped
    keptIdx.push(p);
    direction.push(best);
    weights[p] = Math.min(dist[p] as number, params.maxClipDist) / params.maxClipDist;
  }
  return {
    predBoundary,
    kept: keptIdx.length,
    keptIdx: Int32Array.from(keptIdx),
    direction: Uint8Array.from(direction),
    weights,
    epsilon: eps,
  };
}

export const activeBoundaryLoss = defineLoss<ActiveBoundaryParams, 'active-boundary'>({
  id: 'active-boundary',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Active Boundary Loss',
  category: 'boundary',
  citation: {
    authors: [
      'Chi Wang',
      'Yunke Zhang',
      'Miaomiao Cui',
      'Peiran Ren',
      'Yin Yang',
      'Xuansong Xie',
      'Xian-Sheng Hua',
      'Hujun Bao',
      'Weiwei Xu',
    ],
    title: 'Active Boundary Loss for Semantic Segmentation',
    venue: 'AAAI 2022',
    year: 2022,
    arxiv: '2102.02696',
    url: 'https://arxiv.org/abs/2102.02696',
  },
  summary: 'Pushes the predicted boundary, pixel by pixel, toward the nearest ground-truth boundary.',
  useWhen: 'Sharpening boundaries on top of CE or Lovász in a late training phase.',
  needs: ['distance-map', 'boundary-map'],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  needsHostData: true, // reads data back inside compute (see the engine's scheduling)
  formula: String.raw`\mathcal{L}_{AB}=\frac1K\sum_{i\in\hat B,\ d^{gt}_i\neq\text{centre}}\frac{\min(M_i,\theta)}{\theta}\Big(-\sum_{k=1}^{8}q_{ik}\log\operatorname{softmax}(z_i)_k\Big),\quad z_{ik}=\mathrm{KL}\big(p_{\mathcal N_k(i)}\,\|\,p_i\big),\ q_{ik}=\begin{cases}1-\epsilon_{ls}&k=d^{gt}_i\\ \epsilon_{ls}/8&\text{else}\end{cases}`,
  reference: [
    {
      repo: 'wangchi95/active-boundary-loss',
      commit: '1511507533ad98f04ea26e3648360a6c1d477d37',
      path: 'abl.py',
      symbol: 'ABL',
      note: "the authors' code; needs CUDA and torchvision as published",
    },
    {
      repo: 'CoinCheung/pytorch-loss',
      commit: 'af876e43218694dc8599cc4711d9a5c5e043b1b2',
      path: 'label_smooth.py',
      symbol: 'LabelSmoothSoftmaxCEV1',
      note: 'the label-smoothed CE over the 8 directions',
    },
  ],
  params: {
    isDetach: {
      kind: 'boolean',
      label: 'detach neighbours',
      default: true,
      doc: 'Gradient only through the centre pixel of each KL(neighbour‖centre) (the reference default); false lets it flow into the neighbours too.',
    },
    maxNRatio: {
      kind: 'number',
      label: 'max boundary ratio',
      default: 0.01,
      min: 1e-4,
      max: 1,
      scale: 'log',
      doc: 'The KL threshold ε grows (×1.2 from 1e-5) until at most H·W·ratio pixels of the batch exceed it; small images often need 0.1.',
    },
    labelSmoothing: {
      kind: 'number',
      label: 'label smoothing',
      default: 0.2,
      min: 0,
      max: 1,
      step: 0.05,
      doc: 'q = 1 − ls on the target direction and ls/8 on the others (0: plain CE).',
    },
    maxClipDist: {
      kind: 'number',
      label: 'clip distance θ',
      default: 20,
      min: 1,
      max: 1000,
      doc: 'Per-pixel weight min(dist, θ)/θ of the GT distance at the centre.',
    },
  },
  variants: [
    {
      param: 'isDetach',
      value: false,
      label: 'gradient through the neighbours too',
      doc: 'The reference option isdetach=False: the neighbour distributions of KL(neighbour‖centre) are not detached.',
    },
    {
      param: 'labelSmoothing',
      value: 0,
      label: 'plain CE over directions',
      doc: 'With ls = 0 the reference switches to nn.CrossEntropyLoss; the value is the same as the smoothed CE with ls = 0.',
    },
  ],
  pitfalls: [
    {
      where: 'wangchi95/active-boundary-loss abl.py::ABL.forward',
      text: 'Returns None when no predicted boundary exists (e.g. a uniform prediction); the caller must skip the term. Here the value is 0 with zero gradient.',
    },
    {
      where: 'wangchi95/active-boundary-loss abl.py::get_direction_gt_predkl',
      text: 'torch.clamp(kl_maps, min=0.0, max=20.0) is computed and its result discarded: the direction logits are not clipped.',
    },
    {
      where: 'wangchi95/active-boundary-loss abl.py::one_hot2dist',
      text: 'The distance map is stored in an int32 array (np.zeros_like of the int32 one-hot), so EDT − 1 is truncated toward zero: dist = ⌊EDT⌋ − 1.',
    },
    {
      where: 'wangchi95/active-boundary-loss abl.py',
      text: 'Hard-coded .cuda() calls and a torchvision import: it does not run on a CPU-only machine without shims. The GT distance transform runs in SciPy on every call (a code comment suggests moving it to the data loader).',
    },
    {
      where: 'wangchi95/active-boundary-loss abl.py::logits2boundary',
      text: 'The boundary budget H·W·max_N_ratio is per image but counted over the whole batch; with the default 1 % a small image can have no boundary at all, because ε jumps past all near-equal KL values in one ×1.2 step.',
    },
    {
      where: 'wangchi95/active-boundary-loss abl.py::get_dist_maps',
      text: 'With no GT boundary (one class everywhere) SciPy’s EDT of an all-true mask measures the distance to a virtual point at (−1, 0); the reference uses those values as distances (SPEC §1.1).',
    },
  ],
  notes: [
    'Constants: the GT distance map is cached per ground-truth version (ctx.memo key active-boundary:dist); the predicted boundary, its threshold ε and the kept pixels depend on the prediction and are recomputed on each call from one read-back of the KL map.',
    'No predicted boundary (reference: None) or no kept pixel (reference: NaN from an empty mean): value 0, gradient 0.',
    'float32: the KL map is thresholded in float32 where the reference uses float64; a KL value within ~1e-7 relative of a threshold ε·1.2^k could flip a pixel of the predicted boundary.',
    'Epsilons: none besides the threshold ε (1e-5, ×1.2) and the 1e5 distance outside the image.',
  ],
  compute(logits, _target, params, ctx) {
    const [n, h, w, c] = logits.shape;
    const dist = ablDistanceMap(ctx);
    // One read-back: the selection needs the predicted boundary on the host, and the loss then involves only the
    // kept pixels and their neighbours (value and exact gradient in active-boundary-host.ts).
    return tf.tidy(
      () =>
        hostGradientOp(
          logits,
          ablGradWork,
          (grad) => ablHostValueAndGrad(hostValues(logits), [n, h, w, c], dist, params, true, grad).value,
        ) as tf.Scalar,
    );
  },
});
