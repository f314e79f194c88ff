/**
 * Distance-map-derived cross-entropy (distance map penalised CE).
 * Paper: Caliva, Iriondo, Martinez, Majumdar & Pedoia, "Distance Map Loss Penalty Term for Semantic
 *   Segmentation", MIDL 2019 extended abstract, arXiv 1908.03679; survey eq. 5.
 * Reference: JunMa11/SegLoss@71b14900 losses_pytorch/boundary_loss.py::compute_edts_forPenalizedLoss (the map)
 *   and losses_pytorch/ND_Crossentropy.py::DisPenalizedCE (the weighting, with the weights actually applied).
 *
 *   F = {t > 0}, B = ¬F,  e_S = EDT(S),  φ_S = (max e_S − e_S)[S]
 *   Φ = φ_F / max φ_F + φ_B / max φ_B,   L = (1/P) Σ_{n,i} (Φ_ni + weightOffset) · (−log p_{n,i,t})
 *
 * Φ ∈ [0, 2) is 1 at the pixels next to the foreground/background boundary and 0 at the pixels farthest from
 * it on each side; it is a constant computed once per ground truth (cached in the context).
 *
 * Holes of the reference, defined here (the reference returns NaN from 0/0):
 *   - an image without boundary (F or B empty, e.g. a single class everywhere) gets Φ = 0: plain CE scaled by
 *     weightOffset (no all-true EDT artifact is used);
 *   - a side whose max φ is 0 (every pixel of it touches the other side: one-pixel objects, objects at most
 *     2 px thick) contributes 0 to Φ.
 */
import { boundaryPenaltyWeights, perImageMap } from '../../ops/distance-maps';
import { targetOneHot, weightedNllSum } from '../../ops/weighted-nll';
import { tf } from '../../tf';
import { defineLoss } from '../define';

export type DistanceMapCeParams = {
  weightOffset: number;
};

export const distanceMapCeLoss = defineLoss<DistanceMapCeParams, 'distance-map-ce'>({
  id: 'distance-map-ce',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Distance map derived cross-entropy Loss',
  category: 'pixel',
  citation: {
    authors: [
      'Francesco Caliva',
      'Claudia Iriondo',
      'A. M. Martinez (full name unverified)',
      'Sharmila Majumdar',
      'Valentina Pedoia',
    ],
    title: 'Distance Map Loss Penalty Term for Semantic Segmentation',
    venue: 'MIDL 2019 (extended abstract)',
    year: 2019,
    arxiv: '1908.03679',
    url: 'https://arxiv.org/abs/1908.03679',
  },
  summary: 'Cross-entropy weighted by a map that peaks at the ground-truth boundary.',
  useWhen: 'When errors near object boundaries matter more than errors far from them.',
  needs: ['distance-map'],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  formula: String.raw`\mathcal{L}=\frac1P\sum_{n,i}\big(\Phi_{ni}+w_0\big)\big(-\log p_{n,i,t_{ni}}\big),\quad \Phi=\frac{\phi_F}{\max\phi_F}+\frac{\phi_B}{\max\phi_B},\ \phi_S=\big(\max\mathrm{EDT}(S)-\mathrm{EDT}(S)\big)[S]`,
  reference: [
    {
      repo: 'JunMa11/SegLoss',
      commit: '71b14900',
      path: 'losses_pytorch/boundary_loss.py',
      symbol: 'compute_edts_forPenalizedLoss',
      note: 'the distance map (this copy has no squeeze bug)',
    },
    {
      repo: 'JunMa11/SegLoss',
      commit: '71b14900',
      path: 'losses_pytorch/ND_Crossentropy.py',
      symbol: 'DisPenalizedCE',
      note: 'weighting (1 + Φ)·CE as intended; the published forward returns the unweighted mean',
    },
  ],
  params: {
    weightOffset: {
      kind: 'number',
      label: 'weight offset w₀',
      default: 1,
      min: 0,
      max: 10,
      step: 0.1,
      doc: 'Added to Φ so every pixel keeps a non-zero weight (the reference’s “+1.0”); 0 weights by Φ alone.',
    },
  },
  variants: [
    {
      param: 'weightOffset',
      value: 0,
      label: 'Φ-only weighting',
      doc: 'Drops the constant 1: pixels farthest from the boundary get weight 0.',
    },
  ],
  pitfalls: [
    {
      where: 'JunMa11/SegLoss losses_pytorch/ND_Crossentropy.py::DisPenalizedCE',
      text: 'forward computes weighted_loss = loss·dist but returns loss.mean(): the distance weighting is never applied, the published loss is plain cross-entropy.',
    },
    {
      where: 'JunMa11/SegLoss losses_pytorch/ND_Crossentropy.py::compute_edts_forPenalizedLoss',
      text: 'Calls np.squeeze first; for a batch of one image it then iterates over the image rows as if they were images. The boundary_loss.py copy does not.',
    },
    {
      where: 'JunMa11/SegLoss compute_edts_forPenalizedLoss (both copies)',
      text: 'Divides by max φ of each side: 0/0 = NaN when the image has a single region, or when every pixel of a side touches the other (a one-pixel object, objects ≤ 2 px thick). Here such a side contributes 0.',
    },
    {
      where: 'survey eq. 5',
      text: 'Writes a sum −Σ(1 + Φ) log p, with Φ only described as "the inverse of the distance map"; the code averages over pixels and normalises each side of Φ to [0, 1].',
    },
  ],
  notes: [
    'Binary map: every non-zero class is foreground (SegLoss is "only for binary" segmentation); with C > 2 the CE still uses all classes.',
    'log p comes from logSoftmax (exact, no epsilon). Φ is cached per ground truth (key distance-map-ce:phi).',
  ],
  compute(logits, _target, params, ctx) {
    const [n, h, w] = logits.shape;
    const phi = ctx.memo('distance-map-ce:phi', () =>
      tf.tensor3d(
        perImageMap(ctx, (img) => boundaryPenaltyWeights(img, h, w)),
        [n, h, w],
      ),
    );
    // the pixel weight φ + offset, memoised; the weighted NLL has the exact closed-form gradient of
    // ops/weighted-nll.ts
    const weight = ctx.memo(`distance-map-ce:weight:${params.weightOffset}`, () =>
      tf.tidy(() => tf.expandDims(tf.add(phi, params.weightOffset), -1)),
    ) as tf.Tensor4D;
    return tf.tidy(() => tf.div(weightedNllSum(logits, targetOneHot(ctx), weight), n * h * w) as tf.Scalar);
  },
});
