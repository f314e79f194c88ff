/**
 * Region-wise (RW) loss with the rectified region-wise map (RRW).
 * Paper: Valverde & Tohka, "Region-wise Loss for Biomedical Image Segmentation", Pattern Recognition 136 (2023)
 *   109208, arXiv 2108.01405, eqs. 1 and 6 (rectified map); survey eq. 31.
 * Reference: jmlipman/RegionWiseLoss@9c5b66da nnUNet/training/loss_functions/rwexp_loss.py::RWLoss
 *   (and ::RWGradualCELoss when `epoch` is set).
 *
 *   d = EDT(y_c),  Z_c = −d / (max d + 1e−15), then every 0 entry of Z_c is set to 1
 *   L_RW = mean_{n,c,i} p_nic Z_nci
 *   with epoch e:  a = max((100 − e)/100, 0.01),  L = a·(−mean_{n,i} Σ_c y log(p + 1e−15)) + (1 − a)·L_RW
 *
 * Z is in [−1, 0) inside class c (−1 at its deepest pixel) and 1 outside, so the loss is minimised by putting
 * probability deep inside the correct class; the value at a perfect prediction is negative (about −0.14 for
 * the golden "perfect" case). An absent class has Z = 1 everywhere; a class covering the image uses SciPy's
 * all-true EDT artifact, as the reference. Z depends only on the ground truth and is cached.
 */

import type { GroundTruthContext } from '../../engine/gt-context';
import { complementProbabilities } from '../../ops/complement';
import { perClassMaps, rectifiedRegionWise } from '../../ops/distance-maps';
import { pixelMatMul } from '../../ops/pixel-matmul';
import { softmax } from '../../ops/probabilities';
import { tf } from '../../tf';
import { defineLoss } from '../define';

export type RegionWiseParams = {
  epoch: number | null;
};

/** The schedule weight of the CE term of RWGradualCELoss. */
export function gradualCeWeight(epoch: number): number {
  return Math.max((100 - epoch) / 100, 0.01);
}

/**
 * mean(p ⊙ Z) with its closed-form gradient: ∂/∂p = Z / |Z| is a constant, so ∂/∂x is the softmax backward of
 * a constant — for two classes p₀ p₁ (Z₀ − Z₁) / |Z| · [1, −1], with the constant (Z₀ − Z₁) / |Z| · [1, −1]
 * built once per ground truth (two products on the device, no broadcast), else p ⊙ (Z − Σ_c p Z) / |Z|.
 */
function regionWiseMean(logits: tf.Tensor4D, z: tf.Tensor4D, ctx: GroundTruthContext): tf.Scalar {
  const c = logits.shape[3];
  const scaled = ctx.memo('region-wise:rrw-gradient', () =>
    tf.tidy(() => {
      if (c !== 2) return tf.div(z, z.size);
      return tf.div(pixelMatMul(z, [1, -1, -1, 1], 2, 2), z.size);
    }),
  ) as tf.Tensor4D;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor4D;
    const p = softmax(x);
    (args[1] as tf.GradSaveFunc)([p, c === 2 ? complementProbabilities(p) : p, scaled]);
    return {
      value: tf.mean(tf.mul(p, z)) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [ps, qs, k] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
        if (c === 2) return tf.mul(dy, tf.mul(tf.mul(ps, qs), k));
        const dotP = pixelMatMul(tf.mul(k, ps), new Float32Array(c * c).fill(1), c, c);
        return tf.mul(dy, tf.mul(ps, tf.sub(k, dotP)));
      },
    };
  });
  return f(logits) as tf.Scalar;
}

export const regionWiseLoss = defineLoss<RegionWiseParams, 'region-wise'>({
  id: 'region-wise',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Region-wise Loss',
  category: 'boundary',
  citation: {
    authors: ['Juan Miguel Valverde', 'Jussi Tohka'],
    title: 'Region-wise Loss for Biomedical Image Segmentation',
    venue: 'Pattern Recognition 136 (2023) 109208',
    year: 2023,
    arxiv: '2108.01405',
    url: 'https://arxiv.org/abs/2108.01405',
  },
  summary: 'Probabilities multiplied by a per-class region-wise map built from distance transforms.',
  useWhen: 'Flexible pixel and class weighting for imbalance; the map decides what is emphasised.',
  needs: ['distance-map'],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  formula: String.raw`\mathcal{L}_{RW}=\operatorname*{mean}_{n,c,i}\,p_{nic}\,z_{nci},\quad z_c=\begin{cases}-\mathrm{EDT}(y_c)/\max\mathrm{EDT}(y_c) & y_c=1\\ 1 & y_c=0\end{cases}`,
  reference: [
    {
      repo: 'jmlipman/RegionWiseLoss',
      commit: '9c5b66da',
      path: 'nnUNet/training/loss_functions/rwexp_loss.py',
      symbol: 'RWLoss',
      note: 'RWGradualCELoss when epoch is set',
    },
  ],
  params: {
    epoch: {
      kind: 'number',
      label: 'epoch (CE → RW schedule)',
      default: null,
      min: 0,
      max: 1000,
      step: 1,
      integer: true,
      nullMeaning: 'plain region-wise loss, no cross-entropy term',
      doc: 'RWGradualCELoss: a = max((100 − epoch)/100, 0.01) weights a CE term, 1 − a the RW loss; epoch 0 is pure CE, ≥ 99 is 1 % CE.',
    },
  },
  variants: [
    {
      param: 'epoch',
      value: 50,
      label: 'gradual CE → RW schedule (epoch 50)',
      doc: 'The repository’s RWGradualCELoss starts from cross-entropy and hands over to the RW loss over 100 epochs.',
    },
  ],
  pitfalls: [
    {
      where: 'jmlipman/RegionWiseLoss rwexp_loss.py::RWLoss',
      text: 'A class covering the whole image calls distance_transform_edt on an all-true mask; SciPy then measures the distance to a virtual point (−1, 0), so Z is a ramp from the top-left corner instead of undefined.',
    },
    {
      where: 'survey eq. 31',
      text: 'Written as a sum Σ ŷᵀz over pixels; the code takes the mean over images, classes and pixels.',
    },
  ],
  notes: [
    'Epsilons as the reference: 1e-15 added to max d (only matters for an absent class, where d = 0) and to p inside the CE log (a float32 p that underflows to 0 gives log 1e-15 ≈ −34.5, not −∞).',
    'Z is cached per ground truth (key region-wise:rrw).',
  ],
  compute(logits, _target, params, ctx) {
    const [n, h, w, c] = logits.shape;
    const z = ctx.memo('region-wise:rrw', () =>
      tf.tensor4d(
        perClassMaps(ctx, (img, k) => rectifiedRegionWise(img, h, w, k)),
        [n, h, w, c],
      ),
    );
    if (params.epoch === null) return regionWiseMean(logits, z, ctx);
    return tf.tidy(() => {
      const p = softmax(logits);
      const rw = tf.mean(tf.mul(p, z));
      const a = gradualCeWeight(params.epoch as number);
      const ce = tf.div(tf.neg(tf.sum(tf.mul(ctx.oneHot(), tf.log(tf.add(p, 1e-15))))), n * h * w);
      return tf.add(tf.mul(a, ce), tf.mul(1 - a, rw)) as tf.Scalar;
    });
  },
});
