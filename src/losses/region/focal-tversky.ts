/**
 * Focal Tversky loss: the Tversky loss raised to a power γ < 1, which keeps the gradient large for poorly
 * segmented (hard) regions.
 * Paper: Abraham & Khan, "A Novel Focal Tversky loss function with improved Attention U-Net for lesion
 *   segmentation", ISBI 2019 (arXiv 1810.07842), eq. 4; survey eq. 15.
 * Reference (port): nabsabraham/focal-tversky-unet@347d3911 losses.py::focal_tversky (Keras), which flattens
 *   the selected channels of the whole batch into one Tversky index.
 *
 *   TP = Σ p y,  FP = Σ p (1 − y),  FN = Σ (1 − p) y   over all images, pixels and selected classes 𝒞
 *   TI = (TP + s) / (TP + β FN + α FP + s),   L = (1 − TI)^γ
 *
 * The official code is α = 0.3 (FP), β = 0.7 (FN; its own `alpha = 0.7` multiplies FN), γ = 0.75, s = 1,
 * background excluded (𝒞 = 1..C−1).
 * float32: 1 − TI comes from tverskyComplement (no cancellation), FN from Σ_{other classes} p; the power base
 * is clamped at 1e-30 so that γ < 1 never differentiates 0^(γ−1) (1 − TI ≥ s/(…) > 0 anyway when s > 0).
 */
import { classRange } from '../../ops/probabilities';
import { smallTail } from '../../ops/small-tail';
import { oneHotPair } from '../../ops/softmax-class-sums';
import type { TailMath } from '../../ops/tail-math';
import { tf } from '../../tf';
import { defineLoss } from '../define';
import {
  ALPHA_ON_PARAM,
  type AlphaOn,
  type TverskyReduction,
  tverskyClassSums,
  tverskyComplement,
  tverskyTerms,
  tverskyWeights,
} from './tversky';

/** Smallest base used in (1 − TI)^γ. */
export const FOCAL_TVERSKY_POW_FLOOR = 1e-30;

/**
 * The focal Tversky term (1 − TI)^γ, elementwise over 1 − TI values (tensors or a small tail's values,
 * ops/tail-math.ts); `gamma` is one exponent or one per class (broadcast along the last axis). γ ≡ 1 returns
 * the input (the Tversky loss). Shared with Unified Focal, whose asymmetric form uses the exponents
 * [1, 1 − γ_UF] for (background, foreground).
 */
export function focalTverskyTerm<V>(m: TailMath<V>, oneMinusTI: V, gamma: number | readonly number[]): V {
  const perClass = typeof gamma !== 'number';
  if (perClass ? gamma.every((g) => g === 1) : gamma === 1) return oneMinusTI;
  return m.pow(m.maximum(oneMinusTI, FOCAL_TVERSKY_POW_FLOOR), gamma);
}

export type FocalTverskyParams = {
  alpha: number;
  beta: number;
  gamma: number;
  smooth: number;
  includeBackground: boolean;
  gammaConvention: 'exponent' | 'inverse';
  reduction: 'global' | 'classSum' | 'classMean';
  alphaOn: AlphaOn;
};

export const focalTverskyLoss = defineLoss<FocalTverskyParams, 'focal-tversky'>({
  id: 'focal-tversky',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Focal Tversky Loss',
  category: 'region',
  citation: {
    authors: ['Nabila Abraham', 'Naimul Mefraz Khan'],
    title: 'A Novel Focal Tversky loss function with improved Attention U-Net for lesion segmentation',
    venue: 'ISBI 2019',
    year: 2019,
    arxiv: '1810.07842',
    url: 'https://arxiv.org/abs/1810.07842',
  },
  summary: 'Tversky loss raised to a power gamma to emphasise poorly segmented cases.',
  useWhen: 'Small lesions when Tversky alone plateaus on hard examples.',
  needs: [],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  formula: String.raw`\mathcal{L}_{FT}=\left(1-\frac{\sum p\,y+s}{\sum p\,y+\beta\sum(1-p)\,y+\alpha\sum p\,(1-y)+s}\right)^{\gamma},\quad\text{sums over }n,i,\ c\in\mathcal{C}`,
  reference: [
    {
      repo: 'nabsabraham/focal-tversky-unet',
      commit: '347d39117c',
      path: 'losses.py',
      symbol: 'focal_tversky',
      note: 'Keras; ported (flattened selected channels, its alpha = 0.7 is our β on FN)',
    },
  ],
  params: {
    alpha: {
      kind: 'number',
      label: 'α (FP weight)',
      default: 0.3,
      min: 0,
      max: 1,
      step: 0.05,
      doc: 'Weight of the false positives Σ p(1 − y). The official code uses 1 − 0.7 = 0.3.',
    },
    beta: {
      kind: 'number',
      label: 'β (FN weight)',
      default: 0.7,
      min: 0,
      max: 1,
      step: 0.05,
      doc: 'Weight of the false negatives Σ (1 − p)y. The official code’s `alpha = 0.7` is this weight.',
    },
    gamma: {
      kind: 'number',
      label: 'exponent γ',
      default: 0.75,
      min: 0.1,
      max: 3,
      step: 0.05,
      doc: 'Power applied to 1 − TI (directly, as the code does). γ < 1 focuses on hard regions; γ = 1 is the Tversky loss. The paper’s γ = 4/3 is 1/0.75.',
    },
    smooth: {
      kind: 'number',
      label: 'smoothing s',
      default: 1,
      min: 0,
      max: 10,
      scale: 'log',
      doc: 'Added to numerator and denominator of the Tversky index.',
    },
    includeBackground: {
      kind: 'boolean',
      label: 'include background',
      default: false,
      doc: 'Include channel 0 in the flattened sums (the official code sees only the foreground channel).',
    },
    gammaConvention: {
      kind: 'enum',
      label: 'γ convention',
      default: 'exponent',
      options: [
        { value: 'exponent', label: '(1 − TI)^γ (code)', doc: 'The official code and this SPEC apply γ directly.' },
        {
          value: 'inverse',
          label: '(1 − TI)^{1/γ} (paper, survey eq. 15)',
          doc: 'The paper and the survey write the exponent as 1/γ with γ = 4/3 recommended.',
        },
      ],
      doc: 'Whether gamma is the exponent itself (code) or its inverse (paper/survey).',
    },
    reduction: {
      kind: 'enum',
      label: 'reduction',
      default: 'global',
      options: [
        {
          value: 'global',
          label: 'one index over all selected channels (code)',
          doc: 'The official Keras code flattens everything into one Tversky index.',
        },
        {
          value: 'classSum',
          label: 'Σ_c (1 − TI_c)^γ (survey eq. 15)',
          doc: 'One index per class over the batch, powered, then summed over classes.',
        },
        {
          value: 'classMean',
          label: 'mean_c (1 − TI_c)^γ',
          doc: 'One index per class over the batch, powered, then averaged over classes.',
        },
      ],
      doc: 'How classes are combined.',
    },
    alphaOn: ALPHA_ON_PARAM,
  },
  variants: [
    {
      param: 'gammaConvention',
      value: 'inverse',
      label: 'paper’s 1/γ',
      doc: 'The paper (and survey eq. 15) use (1 − TI)^{1/γ} with γ = 4/3; the code uses the exponent 0.75 directly. With gamma = 0.75 the inverse convention gives exponent 4/3, a different loss.',
    },
    {
      param: 'reduction',
      value: 'classSum',
      label: 'per-class sum (survey)',
      doc: 'The survey sums (1 − TI_c)^γ over classes; the official code has one flattened index.',
    },
    {
      param: 'alphaOn',
      value: 'FN',
      label: 'α on FN (Abraham’s code letters)',
      doc: 'Abraham’s code calls the FN weight alpha (0.7). With alphaOn = FN and alpha = 0.7, beta = 0.3 it reads like the original code.',
    },
  ],
  pitfalls: [
    {
      where: 'survey eq. 15',
      text: 'Writes Σ_c (L_T^c)^{1/γ}: its γ is this loss’s 1/gamma, and it sums over classes.',
    },
    {
      where: 'JunMa11/SegLoss FocalTversky_loss',
      text: 'Averages a per-image, per-class Tversky loss including background, then raises the mean to 0.75: different numbers.',
    },
    {
      where: 'YilmazKadir/Segmentation_Losses (survey repo) losses/focal_tversky.py',
      text: 'Default γ = 1 makes it identical to its Tversky loss (and to Dice at α = β = 0.5); it puts α on FP where Abraham puts it on FN.',
    },
    {
      where: 'smp TverskyLoss(gamma)',
      text: 'Applies the power to the class-mean loss, not per class.',
    },
  ],
  notes: [
    'Epsilons: smooth (default 1) only; the power base is clamped at 1e-30 (never active when smooth > 0).',
    '1 − TI is evaluated without cancellation (tverskyComplement) and FN uses Σ_{other classes} p.',
  ],
  compute(logits, _target, params, ctx) {
    return tf.tidy(() => {
      const classes = classRange(logits.shape[3], params.includeBackground);
      const reduce: TverskyReduction = params.reduction === 'global' ? 'global' : 'batch';
      const { fpWeight, fnWeight } = tverskyWeights(params.alpha, params.beta, params.alphaOn);
      const exponent = params.gammaConvention === 'inverse' ? 1 / params.gamma : params.gamma;
      return smallTail(tverskyClassSums(logits, oneHotPair(ctx), reduce), [], (m, s) => {
        const sums = tverskyTerms(m, s, classes, reduce);
        const oneMinusTI = tverskyComplement(m, sums, fpWeight, fnWeight, params.smooth, params.smooth);
        const term = focalTverskyTerm(m, oneMinusTI, exponent);
        return params.reduction === 'classMean' ? m.mean(term) : m.sum(term);
      });
    });
  },
});
