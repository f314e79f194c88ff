/**
 * Lovász-Softmax loss: the Lovász extension of the per-class Jaccard loss, applied to the softmax errors.
 * Paper: Berman, Rannen Triki & Blaschko, "The Lovász-Softmax loss: A tractable surrogate for the optimization
 *   of the intersection-over-union measure in neural networks", CVPR 2018 (arXiv 1705.08790), eqs. 8–9;
 *   survey eq. 12.
 * Reference: bermanmaxim/LovaszSoftmax@7d48792d pytorch/lovasz_losses.py::lovasz_softmax (the authors' code,
 *   defaults classes='present', per_image=False).
 *
 *   e_i = |y_ic − p_ic|, sorted decreasingly: e_(1) ≥ e_(2) ≥ …, g_k = y of the k-th sorted pixel, G = Σ g
 *   J_k = 1 − (G − Σ_{j≤k} g_j) / (G + Σ_{j≤k} (1 − g_j)),  Δ_1 = J_1,  Δ_k = J_k − J_{k−1}
 *   ℓ_c = Σ_k e_(k) Δ_k,  L = mean of ℓ_c over the classes used (and over images when perImage)
 *
 * The sort order and Δ are constants (as in the reference, where torch.sort's permutation has no gradient).
 * Implementation: the probabilities are read back once; the errors are sorted on the CPU in tf.topk's order
 * (src/ops/sort.ts); Δ is computed there in float64 and scattered back to each pixel's own position, so the loss
 * is Σ_i e_i·W_i with constant weights W — no gather (whose gradient the WASM backend lacks). Value and gradient
 * (W·∂e/∂p through the softmax backward) are then assembled on the host too (ops/host-softmax-loss.ts): no
 * device kernel but the softmax, which the engine shares.
 */

import type { GroundTruthContext } from '../../engine/gt-context';
import { type HostLoss, hostSoftmaxLoss } from '../../ops/host-softmax-loss';
import { reusable } from '../../ops/reusable';
import { hostDescendingOrder } from '../../ops/sort';
import { defineLoss } from '../define';

export type LovaszSoftmaxParams = {
  classes: 'present' | 'all';
  perImage: boolean;
};

// lovaszHost's errors and their order, reused by the next call (fresh ones of this size cost page faults in
// Chromium, see src/ops/reusable.ts); neither is kept by the gradient closure.
const errorWork = reusable((n) => new Float32Array(n));
const orderWork = reusable((n) => new Int32Array(n));

/**
 * The Lovász loss and its gradient for the probabilities `p` ([N, H, W, C] row-major, read back), on the host.
 * The errors e = |y − p| are formed in float32 exactly as the device would (|0 − p| = p, fl32(1 − p)), sorted
 * per (group, class) row, and Δ is scattered back to each pixel: L = Σ_i e_i W_i with
 * W_{i,c} = Δ_{rank_c(i)} / (#classes used in the group) / (#groups), zero for skipped (absent) classes, and
 * ∂L/∂p = W · ∂e/∂p, where ∂e/∂p = −1 if p < y else +1 (the tape's gradient of |y − p|, +1 at p = y).
 */
export function lovaszHost(
  p: Float32Array,
  shape: number[],
  ctx: GroundTruthContext,
  params: LovaszSoftmaxParams,
): HostLoss {
  const [n = 1, h = 1, w = 1, c = 1] = shape;
  const hw = h * w;
  const groups = params.perImage ? n : 1;
  const m = params.perImage ? hw : n * hw;
  const labels = ctx.labels;
  // Rows (group, class), each holding the m errors of that class in the group.
  const rows = errorWork(groups * c * m); // every element is written below; used only in this call
  for (let g = 0; g < groups; g++)
    for (let j = 0; j < m; j++) {
      const pixel = g * m + j;
      const label = labels[pixel];
      for (let k = 0; k < c; k++) {
        const pk = p[pixel * c + k] as number;
        rows[(g * c + k) * m + j] = label === k ? 1 - pk : pk; // rounded to float32 as the device's sub
      }
    }
  const order = hostDescendingOrder(rows, groups * c, m, orderWork(groups * c * m));

  // Pixel count of each class per group.
  const counts = ctx.classCounts();
  const groupCounts: number[][] = [];
  for (let g = 0; g < groups; g++) {
    const row = new Array<number>(c).fill(0);
    const images = params.perImage ? [g] : Array.from({ length: n }, (_, k) => k);
    for (const img of images) for (let k = 0; k < c; k++) row[k] = (row[k] as number) + (counts[img]?.[k] ?? 0);
    groupCounts.push(row);
  }

  const weights = new Float32Array(n * hw * c); // float32, as the device weights were; the value sums float64
  let value = 0;
  for (let g = 0; g < groups; g++) {
    const gc = groupCounts[g] as number[];
    const used = params.classes === 'all' ? c : gc.filter((v) => v > 0).length;
    if (used === 0) continue;
    const scale = 1 / (used * groups);
    for (let k = 0; k < c; k++) {
      const total = gc[k] as number; // G
      if (params.classes === 'present' && total === 0) continue;
      const base = (g * c + k) * m;
      let cumFg = 0;
      let cumBg = 0;
      let prevJ = 0;
      for (let r = 0; r < m; r++) {
        const j = order[base + r] as number; // pixel index within the group
        const pixel = g * m + j; // index into labels (row-major [N, H, W])
        if (labels[pixel] === k) cumFg++;
        else cumBg++;
        const jac = 1 - (total - cumFg) / (total + cumBg); // denominator ≥ 1 for r ≥ 0
        const wt = (jac - prevJ) * scale;
        weights[pixel * c + k] = wt;
        value += (rows[base + j] as number) * wt;
        prevJ = jac;
      }
    }
  }
  return {
    value,
    grad: () => {
      for (let pixel = 0; pixel < n * hw; pixel++) {
        const at = pixel * c + (labels[pixel] as number);
        if ((p[at] as number) < 1) weights[at] = -(weights[at] as number);
      }
      return { gradP: weights };
    },
  };
}

export const lovaszSoftmaxLoss = defineLoss<LovaszSoftmaxParams, 'lovasz-softmax'>({
  id: 'lovasz-softmax',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Lovász-Softmax Loss',
  category: 'region',
  citation: {
    authors: ['Maxim Berman', 'Amal Rannen Triki', 'Matthew B. Blaschko'],
    title:
      'The Lovász-Softmax loss: A tractable surrogate for the optimization of the intersection-over-union measure in neural networks',
    venue: 'CVPR 2018',
    year: 2018,
    arxiv: '1705.08790',
    url: 'https://arxiv.org/abs/1705.08790',
  },
  summary: 'Convex (Lovász) extension of the Jaccard loss, computed from sorted pixel errors.',
  useWhen: 'Optimising mean IoU directly, especially late in training.',
  needs: ['sorting'],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  needsHostData: true, // reads data back inside compute (see the engine's scheduling)
  formula: String.raw`\mathcal{L}_{Lov}=\operatorname*{mean}_{c\in\mathcal{C}}\sum_{k} e_{(k)c}\,\Delta_{kc},\quad e_{ic}=|y_{ic}-p_{ic}|\ \text{sorted decreasingly},\quad \Delta_{kc}=J_{kc}-J_{k-1,c},\quad J_{kc}=1-\frac{G_c-\sum_{j\le k}g_{jc}}{G_c+\sum_{j\le k}(1-g_{jc})}`,
  reference: [
    {
      repo: 'bermanmaxim/LovaszSoftmax',
      commit: '7d48792d35a04d3167de488dd00daabbccd8334b',
      path: 'pytorch/lovasz_losses.py',
      symbol: 'lovasz_softmax',
      note: "authors' code; defaults classes='present', per_image=False",
    },
  ],
  params: {
    classes: {
      kind: 'enum',
      label: 'classes averaged',
      default: 'present',
      doc: 'Average ℓ_c over the classes present in the target (the official default) or over all C classes.',
      options: [
        {
          value: 'present',
          label: 'present',
          doc: 'Only classes that occur in the pooled target (per image when perImage). Official default.',
        },
        {
          value: 'all',
          label: 'all',
          doc: 'Every class; an absent class has Δ = (1, 0, 0, …), so it adds max_i p_ic (survey eq. 12, survey repo).',
        },
      ],
    },
    perImage: {
      kind: 'boolean',
      label: 'per image',
      default: false,
      doc: 'Compute the loss for each image separately and average over images, instead of pooling all pixels of the batch.',
    },
  },
  variants: [
    {
      param: 'classes',
      value: 'all',
      label: 'all classes (survey eq. 12, survey repo, kornia after its label fix)',
      doc: 'Absent classes are averaged in too, each adding its maximum predicted probability.',
    },
    {
      param: 'perImage',
      value: true,
      label: 'per image (kornia, lovasz_hinge default)',
      doc: "One Lovász loss per image, then the mean; kornia's lovasz_softmax_loss works this way with classes='all'.",
    },
  ],
  pitfalls: [
    {
      where: 'kornia lovasz_softmax_loss (0.7.0 and HEAD)',
      text: 'Builds the Lovász gradient from the sorted label values (0..C−1) instead of the class-c indicator: wrong for C > 2 and for class 0 when C = 2. With that fixed it equals the official perImage=true, classes="all".',
    },
    {
      where: 'YilmazKadir/Segmentation_Losses (survey repo) losses/lovasz_softmax.py',
      text: "Averages over all classes (official classes='all'), not the official default 'present'; each absent class adds roughly its maximum predicted probability.",
    },
    {
      where: 'survey eq. 12',
      text: "Averages over all C classes, while the authors' default averages over the present classes only.",
    },
  ],
  notes: [
    'No epsilon: the only division, in J_k, happens on the CPU in float64 and its denominator G + Σ(1 − g) is ≥ 1.',
    'The sort needs the errors on the CPU: they are read back (dataSync) on every call and radix-sorted there in tf.topk’s order (ties by ascending index; src/ops/sort.ts). On WebGL tf.topk with k > 128 or fewer than 100 000 values per row hands off to the CPU anyway (a read-back plus a JS sort), so a full sort was always a read-back there.',
    'Δ is computed in float64 and applied as a constant float32 weight per pixel (Σ_i e_i Δ_rank(i)); it needs no gather gradient (missing on WASM). Value + gradient at 256×256, C = 2, Node: wasm 20 ms with these weights vs 33 ms sorting the errors with a gather + custom gradient (src/ops/sort.ts applyOrder); cpu 161 vs 182 ms. tf.topk alone took 10–14 ms (wasm) and 120 ms (cpu) of that; the host radix sort takes ≈ 1 ms (Lovász 19.5 → 13.6 ms on wasm).',
    'Where two errors are (nearly) tied, float32 may order them differently from a float64 reference; the value is continuous there but the (sub)gradient can swap Δ between the two pixels.',
  ],
  compute(logits, _target, params, ctx) {
    return hostSoftmaxLoss(logits, (p) => lovaszHost(p, logits.shape, ctx, params));
  },
});
