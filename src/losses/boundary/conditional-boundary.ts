/**
 * Conditional Boundary Loss (CBL), on logit features.
 * Paper: D. Wu, Z. Guo, A. Li, C. Yu, C. Gao, N. Sang, "Conditional Boundary Loss for Semantic
 *   Segmentation", IEEE TIP 32 (2023) 3717–3731, doi:10.1109/TIP.2023.3290519.
 * Reference: dywu98/CBL-Conditional-Boundary-Loss (SPEC cites the fork YZC-99/…@ba97275) CBLocr_head.py::
 *   New_ER5OCRHead.context_loss / er_loss; biou.py::mask_to_boundary, multi_class_gt_to_boundary.
 *
 * ADAPTATION. CBL acts on decoder embeddings f_i (512-d in the reference) and classifies local centres with
 * the segmentation head's classifier. SegLoss Explorer's losses see only logits, so here the per-pixel
 * feature is the logit vector f_i = x_i ∈ ℝ^C and the classifier is the identity (the centre's logits are
 * the centre itself). The three terms of the official code, with its weights:
 *
 *   L = 1·L_ctx + 0.2·L_NCE + 2·L_CN     (+ CE when withCrossEntropy)
 *
 * GT boundary ∂ (constant): union over present classes of mask − erode(mask) with a 3×3 square applied
 *   max(1, round(dilationRatio·√(H²+W²))) times, pixels beyond the image counted as background
 *   (Boundary IoU's mask_to_boundary; src/ops/boundaries.ts erosionBoundary). Because of that zero
 *   padding, the band along the image border is boundary too, even for a class that fills the image.
 * Neighbourhood: the 24 pixels of the 5×5 window minus the centre, zero padded; s_ij = [t_i = t_j].
 * L_ctx (A2P&N, `context_loss`): over boundary pixels with label ≠ 0 at least 2 px from the image border
 *   (E_n), mean over pixels and the 24 neighbours of (cos(f_i, f_j) − s_ij)², averaged over the images
 *   with E_n ≠ ∅. cos(a, b) = a·b / sqrt(max(|a|²|b|², 1e-16)) (torch's eps = 1e-8).
 * L_NCE (`er_loss`, neighbour classification): for each class k present, the boundary pixels of class k
 *   with ≥ 1 same-class neighbour; their centre c_i = Σ_j s_ij f_j / (Σ_j s_ij + 1e-5) must be classified
 *   as k: mean over those pixels of −log softmax(c_i)_k. Gradient flows into the neighbours' features.
 * L_CN (`er_loss`, close-to-neighbour, the "conditional" part): for each class k, the boundary pixels of
 *   class k that are themselves predicted k (argmax) and have ≥ 1 correctly classified same-class
 *   neighbour; target c̃_i = Σ_j s_ij r_j f_j / (Σ_j s_ij r_j + 1e-5), r_j = [argmax x_j = t_j], is a
 *   CONSTANT (detached in the reference); mean over those pixels and the C channels of (f_i − c̃_i)².
 * L_NCE and L_CN are summed over classes and divided by the number K of classes for which both pixel sets
 *   are non-empty (the reference skips a class when either is empty).
 *
 * Edge cases (defined here): no boundary pixel, or no eligible pixel → that term is 0 (the reference
 * divides 0 by 0 and then returns 0 through its NaN check); a boundary pixel without a correctly
 * classified same-class neighbour (or itself misclassified) is left out of L_CN; K = 0 → L_NCE = L_CN = 0.
 * An image with boundary pixels of non-zero label, none of them ≥ 2 px from the border, is left out of the
 * L_ctx average (the reference's empty mse gives NaN and zeroes L_ctx for the whole batch).
 */

import { hostGradientOp } from '../../ops/host-gradient-op';
import { hostTensorWork } from '../../ops/host-tensor';
import { hostValues } from '../../ops/prediction-memo';
import { logSoftmax } from '../../ops/probabilities';
import { tf } from '../../tf';
import { defineLoss } from '../define';
import { cblGroundTruth, cblValueAndGrad } from './conditional-boundary-host';

/** The uploaded gradient's work array (src/ops/host-tensor.ts). */
const cblGradWork = hostTensorWork();

export type ConditionalBoundaryParams = {
  dilationRatio: number;
  contextWeight: number;
  centreClassWeight: number;
  centrePullWeight: number;
  withCrossEntropy: boolean;
};

export const conditionalBoundaryLoss = defineLoss<ConditionalBoundaryParams, 'conditional-boundary'>({
  id: 'conditional-boundary',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Conditional Boundary Loss',
  category: 'boundary',
  citation: {
    authors: ['D. Wu', 'Z. Guo', 'A. Li', 'C. Yu', 'C. Gao', 'N. Sang'],
    title: 'Conditional Boundary Loss for Semantic Segmentation',
    venue: 'IEEE Transactions on Image Processing 32 (2023) 3717-3731',
    year: 2023,
    arxiv: null,
    url: 'https://doi.org/10.1109/TIP.2023.3290519',
  },
  summary: 'Pulls boundary-pixel features toward their same-class local centre and away from other classes.',
  useWhen: 'Better boundary consistency in general semantic segmentation.',
  needs: ['boundary-map', 'features'],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  needsHostData: true, // reads data back inside compute (see the engine's scheduling)
  formula: String.raw`\mathcal{L}=\lambda_{ctx}\,\frac{1}{|E|}\sum_{i\in E}\frac{1}{24}\sum_{j\in\mathcal{N}_{5\times5}(i)}\big(\cos(f_i,f_j)-[t_i{=}t_j]\big)^2+\frac{\lambda_{NCE}}{K}\sum_k\operatorname{CE}\big(c_i,k\big)_{i\in B_k}+\frac{\lambda_{CN}}{K}\sum_k\big\|f_i-\operatorname{sg}(\tilde c_i)\big\|^2_{i\in B^{\checkmark}_k},\quad f_i=x_i`,
  reference: [
    {
      repo: 'dywu98/CBL-Conditional-Boundary-Loss',
      commit: '00e176883fc422d311806f2341ca99dc16ac0fdd',
      path: 'CBLocr_head.py',
      symbol: 'New_ER5OCRHead.context_loss, New_ER5OCRHead.er_loss',
      note: 'Feature = logits, classifier = identity (the reference uses 512-d decoder features and the head’s classifier). SPEC cites the fork YZC-99/CBL-Conditional-Boundary-Loss@ba97275.',
    },
    {
      repo: 'dywu98/CBL-Conditional-Boundary-Loss',
      commit: '4504eb21bb97bc356a65ed93773918e01b27ea53',
      path: 'biou.py',
      symbol: 'mask_to_boundary, multi_class_gt_to_boundary',
      note: 'GT boundary by 3×3 erosion, max(1, round(0.02·diagonal)) iterations, zero padding.',
    },
  ],
  params: {
    dilationRatio: {
      kind: 'number',
      label: 'boundary width ratio',
      default: 0.02,
      min: 0,
      max: 0.2,
      step: 0.005,
      doc: 'Erosion iterations = max(1, round(ratio · image diagonal)). 0.02 is what the released pipeline really uses (see pitfalls).',
    },
    contextWeight: {
      kind: 'number',
      label: 'λ_ctx (A2P&N)',
      default: 1,
      min: 0,
      max: 10,
      step: 0.1,
      doc: 'Weight of the neighbour-similarity term (loss_context, 1 in the reference).',
    },
    centreClassWeight: {
      kind: 'number',
      label: 'λ_NCE (centre classification)',
      default: 0.2,
      min: 0,
      max: 10,
      step: 0.05,
      doc: 'Weight of the classification of the local same-class centres (loss_NCE, 0.2 in the reference).',
    },
    centrePullWeight: {
      kind: 'number',
      label: 'λ_CN (pull to correct centre)',
      default: 2,
      min: 0,
      max: 10,
      step: 0.1,
      doc: 'Weight of the MSE pulling a correctly classified boundary pixel to the mean of its correctly classified same-class neighbours (loss_CN, 2 in the reference).',
    },
    withCrossEntropy: {
      kind: 'boolean',
      label: '+ cross-entropy',
      default: false,
      doc: 'Add the mean cross-entropy (weight 1), as the reference trains CBL together with its decode-head CE.',
    },
  },
  variants: [
    {
      param: 'dilationRatio',
      value: 0.005,
      label: 'Cityscapes config ratio',
      doc: 'The Cityscapes config asks GenerateBoundary for dilation 0.005, but multi_class_gt_to_boundary does not pass it on to mask_to_boundary, so the released pipeline always uses 0.02.',
    },
    {
      param: 'withCrossEntropy',
      value: true,
      label: 'CBL + CE',
      doc: 'The full training objective of the reference head (without its auxiliary FCN-head CE, weight 0.4).',
    },
  ],
  pitfalls: [
    {
      where: 'dywu98/CBL-Conditional-Boundary-Loss biou.py::multi_class_gt_to_boundary',
      text: 'Takes dilation_ratio but calls mask_to_boundary without it, so the boundary width is always 0.02 × diagonal whatever the config says (0.005 for Cityscapes).',
    },
    {
      where: 'dywu98/CBL-Conditional-Boundary-Loss CBLocr_head.py::context_loss',
      text: 'Multiplies the boundary mask by the label, so boundary pixels of class 0 never enter the similarity term, while er_loss uses them; pixels within 2 px of the border are skipped; if an image’s boundary pixels all lie there, the mean over an empty set is NaN and the whole term silently becomes 0 for the batch.',
    },
    {
      where: 'dywu98/CBL-Conditional-Boundary-Loss CBLocr_head.py::er_loss',
      text: 'The centre that is classified (loss_NCE) averages all same-class neighbours, only the pull target (loss_CN) is restricted to correctly classified ones; the NeighborExtractor channel count (512) is hard-coded.',
    },
  ],
  notes: [
    'Adaptation: the per-pixel feature is the logit vector (C values) and the classifier is the identity; the reference uses decoder embeddings and the head’s 1×1 classifier.',
    'The argmax prediction (which neighbours count as correct) and the pull target c̃ are constants (no gradient), as in the reference.',
    'As in the reference (zero padding before the erosion), pixels along the image border are boundary pixels, so a single-class target still has a boundary band.',
    'Epsilons as the reference: neighbour means divide by count + 1e-5; cosine similarity clamps |a|²|b|² at 1e-16.',
    'Zero for a confident, well-separated prediction (logits m·onehot): cosines are exactly 0/1, centres equal the pixels, and the centre CE is ≈ (C−1)e^{−m}.',
  ],
  compute(logits, _target, params, ctx) {
    const [n, h, w, c] = logits.shape;
    const g = ctx.memo(`conditional-boundary:gt:${params.dilationRatio}`, () =>
      cblGroundTruth(ctx.labels, n, h, w, params.dilationRatio),
    );
    // The three terms need the argmax of the prediction and a detached target: one read-back, then value and
    // exact gradient on the host over the boundary band only (conditional-boundary-host.ts).
    return tf.tidy(() => {
      const loss = hostGradientOp(
        logits,
        cblGradWork,
        (grad) => cblValueAndGrad(hostValues(logits), c, ctx.labels, g, params, true, grad).value,
      );
      if (!params.withCrossEntropy) return loss;
      const ce = tf.mean(tf.neg(tf.sum(tf.mul(ctx.oneHot(), logSoftmax(logits)), -1)));
      return tf.add(loss, ce) as tf.Scalar;
    });
  },
});
