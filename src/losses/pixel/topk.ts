/**
 * TopK loss (online hard-pixel mining): the mean cross-entropy of the k % hardest pixels of the batch.
 * Paper: Wu, Shen & van den Hengel, "Bridging Category-level and Instance-level Semantic Image Segmentation",
 *   arXiv 1605.06885 (2016); survey eq. 3.
 * Reference: JunMa11/SegLoss@71b14900 losses_pytorch/ND_Crossentropy.py::TopKLoss (identical to nnU-Net v1
 *   nnunet/training/loss_functions/TopK_loss.py::TopKLoss).
 *
 *   CE_{n,i} = −log p_{n,i,t},   k = ⌊P · k% / 100⌋,   L = (1/k) Σ_{(n,i) ∈ Top_k} CE_{n,i}
 *
 * Top_k is taken over the whole batch (not per image). The selection is a constant (src/ops/topk-select.ts:
 * tf.topk k-th value → comparison mask, multiplied with CE), so only the selected pixels receive gradient.
 *
 * WebGL: tf.topk over fewer than 100 000 values, or with k > 128, runs on the CPU — one synchronous read-back
 * of the P per-pixel CE values per forward pass (see topk-select.ts). At 256×256 (P = 65 536, k = 6 553) that
 * is always the case.
 */

import { logSoftmax, softmax } from '../../ops/probabilities';
import { topkCount, topkMask } from '../../ops/topk-select';
import { targetLogProbGradient, targetOneHot, targetOneHotList } from '../../ops/weighted-nll';
import { tf } from '../../tf';
import { defineLoss } from '../define';

export type TopkParams = { kPercent: number };

/** Number of pixels kept; at least 1 (the reference takes the mean of an empty tensor, NaN, when k = 0). */
export function topkPixels(pixels: number, kPercent: number): number {
  return Math.max(1, topkCount(pixels, kPercent));
}

export const topkLoss = defineLoss<TopkParams, 'topk'>({
  id: 'topk',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'TopK Loss',
  category: 'pixel',
  citation: {
    authors: ['Zifeng Wu', 'Chunhua Shen', 'Anton van den Hengel'],
    title: 'Bridging Category-level and Instance-level Semantic Image Segmentation',
    venue: 'arXiv preprint',
    year: 2016,
    arxiv: '1605.06885',
    url: 'https://arxiv.org/abs/1605.06885',
  },
  summary: 'Cross-entropy averaged over only the k% hardest pixels of the batch.',
  useWhen: 'When most pixels are easy and learning should concentrate on the hard ones (imbalance, thin structures).',
  needs: ['sorting'],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  formula: String.raw`\mathcal{L}_{TopK}=\frac{1}{k}\sum_{(n,i)\in\mathrm{Top}_k}-\log p_{n,i,t_{ni}},\qquad k=\Big\lfloor \frac{N H W\cdot k_\%}{100}\Big\rfloor`,
  reference: [
    {
      repo: 'JunMa11/SegLoss',
      commit: '71b14900e9',
      path: 'losses_pytorch/ND_Crossentropy.py',
      symbol: 'TopKLoss',
      note: 'copy of nnU-Net v1 TopKLoss(k=10); cross-checked identical',
    },
    { repo: 'MIC-DKFZ/nnUNet', path: 'nnunet/training/loss_functions/TopK_loss.py', symbol: 'TopKLoss' },
  ],
  params: {
    kPercent: {
      kind: 'number',
      label: 'k (% of pixels)',
      default: 10,
      min: 0,
      max: 100,
      step: 1,
      doc: 'Percentage of the batch’s pixels with the largest cross-entropy that are averaged; 100 gives plain CE.',
    },
  },
  variants: [
    {
      param: 'kPercent',
      value: 100,
      label: 'plain cross-entropy',
      doc: 'k = 100 % keeps every pixel: the mean CE.',
    },
  ],
  pitfalls: [
    {
      where: 'survey eq. 3',
      text: 'The survey sums the selected CE values instead of averaging them, so its value scales with k.',
    },
    {
      where: 'YilmazKadir/Segmentation_Losses (survey repo) losses/topk.py',
      text: 'torch.topk runs along a dimension of size 1, so it raises for any input with ≥ 20 pixels; on smaller inputs the top-k result is discarded and the (buggy) focal loss with γ = 0.1 is returned.',
    },
    {
      where: 'SegLoss / nnU-Net TopKLoss',
      text: 'If ⌊P·k/100⌋ = 0 the reference averages an empty tensor and returns NaN; here k is at least 1 (the single hardest pixel).',
    },
  ],
  notes: [
    'CE comes from logSoftmax (no epsilon).',
    'Selection over the whole batch, constant (no gradient through the sort); ties are broken by index (only the gradient’s placement can differ from torch, not the value).',
    'k = max(1, ⌊P·kPercent/100⌋): a finite value where the reference gives NaN.',
    'WebGL: tf.topk with fewer than 100 000 values or k > 128 runs on the CPU, i.e. one read-back of the per-pixel CE per evaluation. Measured with scripts/bench.ts (value + gradient, 256×256, C = 2, headless Chromium on SwiftShader WebGL, a loaded 2-core machine): topk 92–109 ms against 76–82 ms for cross-entropy, so the hand-off costs about 10–35 ms there. (On a real GPU the read-back also stalls the pipeline; the mask itself is O(P).)',
  ],
  compute(logits, _target, params, ctx) {
    const y = ctx.oneHot();
    const [n, h, w] = logits.shape;
    const k = topkPixels(n * h * w, params.kPercent);
    const gt = targetOneHot(ctx);
    // Closed form (tf.customGrad): the selection m (topkMask: 1 on the k largest ℓ_i = −log p_{i,t}, ties share)
    // is constant, so ∂L/∂x = (m/k)(p − y) (ops/weighted-nll.ts targetLogProbGradient: no cancellation, no
    // broadcast), with p from the forward's softmax (memoised per engine update).
    const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const x = args[0] as tf.Tensor4D;
      const ce = tf.neg(tf.sum(tf.mul(y, logSoftmax(x)), -1, true));
      const mask = topkMask(ce, k);
      (args[1] as tf.GradSaveFunc)([softmax(x), mask, ...targetOneHotList(gt)]);
      return {
        value: tf.div(tf.sum(tf.mul(ce, mask)), k),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [p, m, ...oneHot] = saved as tf.Tensor4D[];
          return targetLogProbGradient(tf.mul(m as tf.Tensor, tf.div(dy, k)), p as tf.Tensor4D, oneHot);
        },
      };
    });
    return tf.tidy(() => f(logits) as tf.Scalar);
  },
});
