/**
 * Focal loss (softmax form): cross-entropy down-weighted by (1 − p_t)^γ on well-classified pixels.
 * Paper: Lin, Goyal, Girshick, He & Dollár, "Focal Loss for Dense Object Detection", ICCV 2017
 *   (arXiv 1708.02002), eq. 5; survey eq. 4.
 * Reference: Project-MONAI/MONAI@d388d1c monai/losses/focal_loss.py::FocalLoss(use_softmax=True,
 *   to_onehot_y=True, include_background=True, reduction="none"), summed over classes, averaged over pixels.
 *
 *   L = (1/P) Σ_{n,i} −a_{t} (1 − p_{n,i,t})^γ log p_{n,i,t},   a_0 = 1 − α, a_{c≥1} = α  (a ≡ 1 if α is null)
 *
 * float32: log p_t comes from logSoftmax (exact, no clamp); 1 − p_t is Σ_{c≠t} p_c (src/ops/complement.ts),
 * not 1 − p_t, which in float32 loses ~3 digits at p_t = 0.9999 and fails the `perfect` golden case. The base
 * of the power is clamped at 1e-30 so that γ < 1 never gives 0^(γ−1) = ∞ in the gradient when p_t rounds to 1
 * (only possible for logit gaps > ~87; the clamp changes no value in float32).
 */
import { complementProbabilities } from '../../ops/complement';
import { logSoftmax, softmax } from '../../ops/probabilities';
import { tf } from '../../tf';
import { defineLoss } from '../define';

export type FocalParams = { gamma: number; alpha: number | null };

/** Smallest base used in (1 − p)^γ (see the header). */
export const FOCAL_POW_FLOOR = 1e-30;

/**
 * The focal term (1 − p)^γ · (−log p), elementwise. `logp` is log p (any shape), `oneMinusP` the matching
 * 1 − p (computed without cancellation by the caller). `gamma` is one exponent, or one per class (broadcast
 * along the last axis). γ ≡ 0 gives −log p without a power op (whose gradient at a zero base would be NaN).
 * Shared by the focal loss and the asymmetric/symmetric focal terms of Unified Focal.
 */
export function focalTerm(logp: tf.Tensor, oneMinusP: tf.Tensor, gamma: number | readonly number[]): tf.Tensor {
  return tf.tidy(() => {
    const ce = tf.neg(logp);
    const perClass = typeof gamma !== 'number';
    if (perClass ? gamma.every((g) => g === 0) : gamma === 0) return ce;
    const exponent = perClass ? tf.tensor1d([...gamma]) : gamma;
    return tf.mul(tf.pow(tf.maximum(oneMinusP, FOCAL_POW_FLOOR), exponent), ce);
  });
}

/** Per-class focal weights a_c of the RetinaNet α convention: 1 − α for background, α for every other class. */
export function focalClassWeights(numClasses: number, alpha: number | null): number[] {
  return Array.from({ length: numClasses }, (_, c) => (alpha === null ? 1 : c === 0 ? 1 - alpha : alpha));
}

export const focalLoss = defineLoss<FocalParams, 'focal'>({
  id: 'focal',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Focal Loss',
  category: 'pixel',
  citation: {
    authors: ['Tsung-Yi Lin', 'Priya Goyal', 'Ross Girshick', 'Kaiming He', 'Piotr Dollár'],
    title: 'Focal Loss for Dense Object Detection',
    venue: 'ICCV 2017 (extended in TPAMI 2020)',
    year: 2017,
    arxiv: '1708.02002',
    url: 'https://arxiv.org/abs/1708.02002',
  },
  summary: 'Cross-entropy scaled by (1 - p_t)^gamma, so confident pixels count less.',
  useWhen: 'Heavy imbalance with many easy background pixels.',
  needs: [],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  formula: String.raw`\mathcal{L}_{F}=\frac{1}{P}\sum_{n,i}-a_{t_{ni}}\,\big(1-p_{n,i,t_{ni}}\big)^{\gamma}\log p_{n,i,t_{ni}},\qquad a_0=1-\alpha,\ a_{c\ge1}=\alpha`,
  reference: [
    {
      repo: 'Project-MONAI/MONAI',
      commit: 'd388d1c6fec8cb3a0eebee5b5a0b9776ca59ca83',
      path: 'monai/losses/focal_loss.py',
      symbol: 'FocalLoss',
      note: 'use_softmax=True, to_onehot_y=True, include_background=True, reduction="none"; summed over classes and averaged over pixels',
    },
  ],
  params: {
    gamma: {
      kind: 'number',
      label: 'focusing γ',
      default: 2,
      min: 0,
      max: 5,
      hardMax: Number.POSITIVE_INFINITY,
      step: 0.1,
      doc: 'Exponent of (1 − p_t): larger γ down-weights confident pixels more; γ = 0 gives cross-entropy.',
    },
    alpha: {
      kind: 'number',
      label: 'class balance α',
      default: null,
      min: 0,
      max: 1,
      step: 0.05,
      nullMeaning: 'no α: every class weighs 1',
      doc: 'Weight α for the foreground classes and 1 − α for background (RetinaNet’s α_t; the paper pairs α = 0.25 with γ = 2).',
    },
  },
  variants: [
    {
      param: 'alpha',
      value: 0.25,
      label: 'with α (RetinaNet)',
      doc: 'Lin et al. weight positives by α = 0.25 and negatives by 0.75; MONAI applies 1 − α to class 0 and α to the others. The survey (eq. 4) and MONAI’s default have no α.',
    },
    {
      param: 'gamma',
      value: 0,
      label: 'γ = 0 (cross-entropy)',
      doc: 'Without focusing the loss is the mean cross-entropy.',
    },
  ],
  pitfalls: [
    {
      where: 'MONAI FocalLoss(reduction="mean")',
      text: 'Averages over N·C·H·W entries, so it equals this value divided by C.',
    },
    {
      where: 'kornia focal_loss (0.7.0 and HEAD)',
      text: 'Builds its one-hot with +1e-6 on every entry, so every non-target class adds 1e-6 of its focal term.',
    },
    {
      where: 'YilmazKadir/Segmentation_Losses (survey repo) losses/focal.py',
      text: 'A [P,1] weight times a [P] CE vector broadcasts to a P×P matrix: it returns mean(w)·mean(CE), not mean(w·CE), uses O(P²) memory, and defaults to γ = 0.1.',
    },
    { where: 'survey eq. 4', text: 'Sums over pixels instead of averaging and has no α.' },
    {
      where: 'RetinaNet original',
      text: 'The paper’s loss is per-class sigmoid, normalised by the number of positive anchors; segmentation uses this softmax form.',
    },
  ],
  notes: [
    'log p_t from logSoftmax (no clamp).',
    '1 − p_t = Σ_{c≠t} p_c (no cancellation in float32); power base clamped at 1e-30 for γ < 1.',
  ],
  compute(logits, _target, params, ctx) {
    return tf.tidy(() => {
      const y = ctx.oneHot();
      const c = logits.shape[3];
      const logpT = tf.sum(tf.mul(y, logSoftmax(logits)), -1);
      const oneMinusPT = tf.sum(tf.mul(y, complementProbabilities(softmax(logits))), -1);
      let term = focalTerm(logpT, oneMinusPT, params.gamma);
      if (params.alpha !== null) {
        const a = tf.sum(tf.mul(y, tf.tensor1d(focalClassWeights(c, params.alpha))), -1);
        term = tf.mul(a, term);
      }
      return tf.mean(term) as tf.Scalar;
    });
  },
});
