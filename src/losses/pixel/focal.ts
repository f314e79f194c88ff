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
import { powScalar } from '../../ops/scalar-power';
import { tf } from '../../tf';
import { defineLoss } from '../define';

export type FocalParams = { gamma: number; alpha: number | null };

/** Smallest base used in (1 − p)^γ (see the header). */
export const FOCAL_POW_FLOOR = 1e-30;

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
    const c = logits.shape[3];
    const [n, h, w] = logits.shape;
    const { gamma } = params;
    // y_c · a_c: the class weight on the target channel, 0 elsewhere (memoised with the ground truth)
    const ya = ctx.memo(`focal:ya:${params.alpha}`, () =>
      tf.tidy(() => tf.mul(ctx.oneHot(), tf.tensor1d(focalClassWeights(c, params.alpha)))),
    ) as tf.Tensor4D;
    // Closed form (tf.customGrad). With u = 1 − p_t = Σ_{c≠t} p_c, μ = max(u, 1e−30) and
    // K = μ^γ − γ μ^{γ−1} p_t log p_t (≥ 0), the pixel term ℓ = −a_t μ^γ log p_t has
    //   ∂ℓ/∂x_t = −a_t K u,   ∂ℓ/∂x_j = a_t K p_j (j ≠ t),
    // i.e. with Z = y a K evaluated per class: ∂ℓ/∂x = p ⊙ (J − I) Z − q ⊙ Z (q = 1 − p by the complement, so
    // no cancellation anywhere); γ = 0 gives K = 1, the cross-entropy gradient.
    // Forward kernels chosen for wasm: p is the softmax memoised per engine update (not exp(log p)), the floor a
    // clip (Maximum is 20 times slower), μ^γ by products or Sqrt where exact (ops/scalar-power.ts).
    const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const x = args[0] as tf.Tensor4D;
      const logp = logSoftmax(x);
      const p = softmax(x);
      const q = complementProbabilities(p);
      const mu = gamma === 0 ? null : tf.clipByValue(q, FOCAL_POW_FLOOR, Number.POSITIVE_INFINITY);
      const muG = mu ? powScalar(mu, gamma) : null;
      (args[1] as tf.GradSaveFunc)(mu && muG ? [logp, p, q, ya, mu, muG] : [logp, p, q, ya]);
      return {
        value: tf.div(tf.neg(tf.sum(tf.mul(ya, muG ? tf.mul(muG, logp) : logp))), n * h * w),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [lp, ps, qs, yas, mus, muGs] = saved as tf.Tensor4D[];
          const k =
            mus && muGs
              ? tf.sub(muGs, tf.mul(tf.div(muGs, mus), tf.mul(gamma, tf.mul(ps as tf.Tensor, lp as tf.Tensor))))
              : null;
          const z = k ? tf.mul(yas as tf.Tensor, k) : (yas as tf.Tensor);
          const g = tf.sub(tf.mul(ps as tf.Tensor, complementProbabilities(z)), tf.mul(qs as tf.Tensor, z));
          return tf.mul(g, tf.div(dy, n * h * w));
        },
      };
    });
    return tf.tidy(() => f(logits) as tf.Scalar);
  },
});
