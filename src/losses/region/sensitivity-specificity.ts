/**
 * Sensitivity-Specificity loss: a weighted sum of the mean squared error on foreground pixels (sensitivity
 * part) and on background pixels (specificity part), per image and class.
 * Paper: Brosch, Yoo, Tang, Li, Traboulsee & Tam, "Deep Convolutional Encoder Networks for Multiple Sclerosis
 *   Lesion Segmentation", MICCAI 2015 (LNCS 9351), eq. 2; survey eqs. 18–20.
 * Reference: JunMa11/SegLoss@71b14900 losses_pytorch/dice_loss.py::SSLoss(apply_nonlin=softmax_helper).
 *
 *   L = mean_{(n),c} [ r Σ_i (y − p)² y / (Σ_i y + s) + (1 − r) Σ_i (y − p)² (1 − y) / (Σ_i (1 − y) + s) ]
 *
 * float32: on foreground pixels (y − p)² = (1 − p)² with 1 − p = Σ of the other classes (no cancellation);
 * on background pixels it is p². Epsilon: `smooth` (default 1, SegLoss) in both denominators.
 */
import { classRange } from '../../ops/probabilities';
import { smallTail } from '../../ops/small-tail';
import { oneHotPair, oneHotTotals, type SumTerm, softmaxClassSums } from '../../ops/softmax-class-sums';
import { tf } from '../../tf';
import { defineLoss } from '../define';

export type SensitivitySpecificityParams = { r: number; smooth: number; includeBackground: boolean; batch: boolean };

export const sensitivitySpecificityLoss = defineLoss<SensitivitySpecificityParams, 'sensitivity-specificity'>({
  id: 'sensitivity-specificity',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Sensitivity Specificity Loss',
  category: 'region',
  citation: {
    authors: ['Tom Brosch', 'Youngjin Yoo', 'Lisa Y. W. Tang', 'David K. B. Li', 'Anthony Traboulsee', 'Roger Tam'],
    title: 'Deep Convolutional Encoder Networks for Multiple Sclerosis Lesion Segmentation',
    venue: 'MICCAI 2015 (LNCS 9351)',
    year: 2015,
    arxiv: null,
    url: 'https://doi.org/10.1007/978-3-319-24574-4_1',
  },
  summary: 'Weighted squared errors on foreground (sensitivity) and background (specificity) pixels.',
  useWhen: 'Very small foreground where Dice is unstable; trades sensitivity against specificity with r.',
  needs: [],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  formula: String.raw`\mathcal{L}_{SS}=\operatorname*{mean}_{n,c}\left[r\,\frac{\sum_i (y_{nic}-p_{nic})^2\,y_{nic}}{\sum_i y_{nic}+s}+(1-r)\,\frac{\sum_i (y_{nic}-p_{nic})^2\,(1-y_{nic})}{\sum_i (1-y_{nic})+s}\right]`,
  reference: [
    {
      repo: 'JunMa11/SegLoss',
      commit: '71b14900e9',
      path: 'losses_pytorch/dice_loss.py',
      symbol: 'SSLoss',
      note: 'apply_nonlin=softmax_helper; r = 0.1 hard-coded',
    },
    {
      repo: 'NifTK/NiftyNet',
      path: 'niftynet/layer/loss_segmentation.py',
      symbol: 'sensitivity_specificity_loss',
      note: 'r = 0.05, ε = 1e-5, sums over classes',
    },
  ],
  params: {
    r: {
      kind: 'number',
      label: 'sensitivity ratio r',
      default: 0.1,
      min: 0,
      max: 1,
      step: 0.01,
      doc: 'Weight of the foreground (sensitivity) error term; 1 − r weighs the background (specificity) term. SegLoss uses 0.1, Brosch/NiftyNet 0.05.',
    },
    smooth: {
      kind: 'number',
      label: 'smoothing s',
      default: 1,
      min: 0,
      max: 10,
      scale: 'log',
      doc: 'Added to both denominators Σy and Σ(1 − y).',
    },
    includeBackground: {
      kind: 'boolean',
      label: 'include background',
      default: true,
      doc: 'Average over all classes (true) or only the foreground classes 1..C−1.',
    },
    batch: {
      kind: 'boolean',
      label: 'batch sums',
      default: false,
      doc: 'Sum over the whole batch before the ratios instead of per image.',
    },
  },
  variants: [
    {
      param: 'r',
      value: 0.05,
      label: 'NiftyNet / Brosch r = 0.05',
      doc: 'NiftyNet’s default (its docstring: 0.01–0.10 behave similarly); NiftyNet also uses ε = 1e-5 and sums over classes.',
    },
  ],
  pitfalls: [
    {
      where: 'JunMa11/SegLoss SSLoss, NiftyNet',
      text: 'The term named specificity_part is Brosch’s sensitivity term (errors on foreground pixels), and vice versa; the weights are applied as Brosch does (r on the foreground term).',
    },
    {
      where: 'survey eqs. 18–20',
      text: 'Garbled as 1 − α·sensitivity + (1 − α)·specificity, inconsistent with its own squared-error eqs. 19–20; Brosch’s loss has no “1 −”.',
    },
  ],
  notes: [
    'Epsilon: smooth (default 1) in both denominators.',
    'Foreground squared error (1 − p)² uses 1 − p = Σ_{other classes} p.',
  ],
  compute(logits, _target, params, ctx) {
    return tf.tidy(() => {
      const gt = oneHotPair(ctx);
      const classes = classRange(logits.shape[3], params.includeBackground);
      // Σ (1 − p)² y and Σ p² (1 − y) from one op with the closed-form gradient (ops/softmax-class-sums.ts):
      // ∂/∂p = −2(1 − p) y and 2p (1 − y); the denominators are the ground truth's memoised totals
      const sums = softmaxClassSums(logits, gt, SS_TERMS, params.batch);
      return smallTail(sums, oneHotTotals(gt, params.batch), (m, all, [yTotal, notYTotal]) => {
        const [fgErr, bgErr] = m.unstack(m.select(all, classes)) as [typeof all, typeof all];
        const sens = m.div(fgErr, m.add(m.select(yTotal as typeof all, classes), params.smooth));
        const spec = m.div(bgErr, m.add(m.select(notYTotal as typeof all, classes), params.smooth));
        return m.mean(m.add(m.mul(params.r, sens), m.mul(1 - params.r, spec)));
      });
    });
  },
});

const SS_TERMS: readonly SumTerm[] = [
  { of: 'q2', weight: 'y' },
  { of: 'p2', weight: 'notY' },
];
