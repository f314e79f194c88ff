/**
 * Boundary Difference over Union (Boundary DoU) loss.
 * Paper: Sun, Luo & Li, "Boundary Difference Over Union Loss For Medical Image Segmentation", MICCAI 2023
 *   (arXiv 2308.00220): L = (G∪P − G∩P)/(G∪P − α·G∩P), α = 1 − 2C/S.
 * Reference: sunfan-bvb/BoundaryDoULoss@9f1185c TransUNet/utils.py::BoundaryDoULoss (forward, _adaptive_size),
 *   the authors' code (SPEC §4.7).
 *
 * Per class c, over the whole batch:
 *   S_c = #pixels of class c, C_c = #class-c pixels with a 4-neighbour not of class c (outside the image = not c),
 *   α_c = min(1 − 2(C_c + 1e-5)/(S_c + 1e-5), alphaMax),
 *   I = Σ p_c y_c, Y = Σ y_c², Z = Σ p_c²,
 *   L_c = (Z + Y − 2I + 1e-5) / (Z + Y − (1 + α_c) I + 1e-5),   L = mean_c L_c.
 *
 * α depends only on the ground truth: its counts are computed once per ground-truth version (ctx.memo) with the
 * cross-neighbour boundary of ops/boundaries (crossBoundaryCount).
 *
 * float32: Z + Y − 2I is evaluated as Σ (p_c − y_c)², the same quantity without the cancellation of three
 * O(#pixels) sums (for a confident correct prediction Z, Y, I ≈ 50 while Z + Y − 2I ≈ 1e-4; SPEC §1.3 notes
 * that the reference itself re-run in float32 is off by 3–4 % there). The denominator is
 * Σ (p − y)² + (1 − α) I + 1e-5, again the same quantity. For the target class, p_t − 1 is formed as −Σ_{k≠t} p_k
 * (a sum of small numbers, exact to float32 precision) rather than p_t − 1 (which keeps only the digits of p_t
 * above 6e-8).
 */

import type { GroundTruthContext } from '../../engine/gt-context';
import { crossBoundaryCount } from '../../ops/boundaries';
import { smallTail } from '../../ops/small-tail';
import { oneHotPair, type SumTerm, softmaxClassSums } from '../../ops/softmax-class-sums';
import { tf } from '../../tf';
import { defineLoss } from '../define';

export type BoundaryDouParams = {
  alphaMax: number | null;
};

/** Smoothing of the reference (numerator, denominator and α). */
const SMOOTH = 1e-5;

/** Per class over the batch: pixel count S and cross-boundary count C (ground-truth constants). */
export function boundaryDouCounts(ctx: GroundTruthContext): { area: number[]; boundary: number[] } {
  return ctx.memo('boundary-dou:counts', () => {
    const k = ctx.numClasses;
    const area = new Array<number>(k).fill(0);
    const boundary = new Array<number>(k).fill(0);
    const mask = new Uint8Array(ctx.h * ctx.w);
    for (let n = 0; n < ctx.n; n++) {
      const img = ctx.image(n);
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let i = 0; i < img.length; i++) {
          const v = img[i] === c ? 1 : 0;
          mask[i] = v;
          s += v;
        }
        area[c] = (area[c] as number) + s;
        if (s > 0) boundary[c] = (boundary[c] as number) + crossBoundaryCount(mask, ctx.h, ctx.w);
      }
    }
    return { area, boundary };
  });
}

/** α_c = min(1 − 2(C + 1e-5)/(S + 1e-5), alphaMax); alphaMax null: no truncation. */
export function boundaryDouAlpha(ctx: GroundTruthContext, alphaMax: number | null): number[] {
  const { area, boundary } = boundaryDouCounts(ctx);
  return area.map((s, c) => {
    const a = 1 - (2 * ((boundary[c] as number) + SMOOTH)) / (s + SMOOTH);
    return alphaMax === null ? a : Math.min(a, alphaMax);
  });
}

export const boundaryDouLoss = defineLoss<BoundaryDouParams, 'boundary-dou'>({
  id: 'boundary-dou',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Boundary Difference Over Union Loss',
  category: 'boundary',
  citation: {
    authors: ['Fan Sun', 'Zhiming Luo', 'Shaozi Li'],
    title: 'Boundary Difference Over Union Loss For Medical Image Segmentation',
    venue: 'MICCAI 2023',
    year: 2023,
    arxiv: '2308.00220',
    url: 'https://arxiv.org/abs/2308.00220',
  },
  summary: 'Ratio of the mismatch to the partial union, weighted by how much of an object is boundary.',
  useWhen: 'Medical segmentation of large objects whose boundaries matter, without a companion loss.',
  needs: ['boundary-map'],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  formula: String.raw`\mathcal{L}=\frac1C\sum_c\frac{\sum_i p_{ic}^2+\sum_i y_{ic}^2-2\sum_i p_{ic}y_{ic}+\epsilon}{\sum_i p_{ic}^2+\sum_i y_{ic}^2-(1+\alpha_c)\sum_i p_{ic}y_{ic}+\epsilon},\quad \alpha_c=\min\!\Big(1-\frac{2(C_c+\epsilon)}{S_c+\epsilon},\ \alpha_{\max}\Big),\ \epsilon=10^{-5}`,
  reference: [
    {
      repo: 'sunfan-bvb/BoundaryDoULoss',
      commit: '9f1185c5719526f10103f54152a148389d27d5b1',
      path: 'TransUNet/utils.py',
      symbol: 'BoundaryDoULoss',
      note: 'sums over the whole batch per class; mean over all classes, background included',
    },
  ],
  params: {
    alphaMax: {
      kind: 'number',
      label: 'α truncation',
      default: 0.8,
      min: -1,
      max: 1,
      step: 0.05,
      nullMeaning: "no truncation: the paper's α = 1 − 2C/S",
      doc: 'Upper clip of α (the reference hard-codes min(α, 0.8), its "recommended truncation"). There is no lower clip.',
    },
  },
  variants: [
    {
      param: 'alphaMax',
      value: null,
      label: "paper's α (no truncation)",
      doc: 'The paper defines α = 1 − 2C/S without clipping; the authors’ code clips it at 0.8 from above.',
    },
  ],
  pitfalls: [
    {
      where: 'survey / paper',
      text: 'α is said to lie in [0, 1); with C counted as boundary pixels it is negative for thin objects (C > S/2) and −1 for an absent class (S = C = 0 with the smoothing), where L_c = 1 whatever the prediction.',
    },
    {
      where: 'sunfan-bvb/BoundaryDoULoss TransUNet/utils.py',
      text: 'α is clipped only from above (0.8) and computed over the whole batch, not per image; background is one of the averaged classes.',
    },
    {
      where: 'sunfan-bvb/BoundaryDoULoss TransUNet/utils.py',
      text: 'C counts class pixels touching the image border as boundary (zero padding of the cross convolution).',
    },
  ],
  notes: [
    'Epsilons: 1e-5 in numerator, denominator and α, as the reference.',
    'float32: Z + Y − 2I is computed as Σ(p − y)², which avoids the cancellation that costs the reference 3–4 % in float32 at a confident correct prediction (SPEC §1.3).',
    'α depends only on the ground truth and is cached per ground-truth version (ctx.memo key boundary-dou:counts).',
  ],
  compute(logits, _target, params, ctx) {
    return tf.tidy(() => {
      const alphas = boundaryDouAlpha(ctx, params.alphaMax);
      // (p − y)² = p²(1 − y) + (1 − p)² y (one-hot y; 1 − p = Σ_{k≠t} p_k, exact in float32 when p_t ≈ 1) and
      // I = Σ p y over the batch, from softmaxClassSums: closed-form gradient, no full-size tape
      const sums = softmaxClassSums(logits, oneHotPair(ctx), DOU_TERMS, true); // [3, 1, C]
      return smallTail(sums, [], (m, all) => {
        const [bg, fg, inter] = m.unstack(all) as [typeof all, typeof all, typeof all];
        const alpha = m.constant(alphas);
        const diff = m.add(bg, fg); // = Z + Y − 2I
        const num = m.add(diff, SMOOTH);
        const den = m.add(m.add(diff, m.mul(m.sub(1, alpha), inter)), SMOOTH); // = Z + Y − (1+α)I
        return m.mean(m.div(num, den));
      });
    });
  },
});

const DOU_TERMS: readonly SumTerm[] = [
  { of: 'p2', weight: 'notY' },
  { of: 'q2', weight: 'y' },
  { of: 'p', weight: 'y' },
];
