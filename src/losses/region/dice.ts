/**
 * Dice loss (soft Dice, per image and class).
 * Paper: Milletari, Navab & Ahmadi, "V-Net: Fully Convolutional Neural Networks for Volumetric Medical Image
 *   Segmentation", 3DV 2016 (arXiv 1606.04797), eq. 1; survey eq. 7.
 * Reference: Project-MONAI/MONAI@d388d1c monai/losses/dice.py::DiceLoss(to_onehot_y=True, softmax=True).
 *
 *   I = Σ_i p_ic y_ic,  S = Σ_i p_ic (or Σ p_ic² if squaredPred),  G = Σ_i y_ic
 *   L = mean_{n,c} [ 1 − (2I + s_nr) / (S + G + s_dr) ]
 *
 * Sums run over the pixels of each image (MONAI's default) or over the whole batch (`batch`). The smoothing
 * terms are the only epsilons; with the defaults (1e-5) an absent class that is also not predicted gives ≈ 0.
 */
import { classRange } from '../../ops/probabilities';
import { smallTail } from '../../ops/small-tail';
import { oneHotPair, oneHotTotals, type SumTerm, softmaxClassSums } from '../../ops/softmax-class-sums';
import { tf } from '../../tf';
import { defineLoss } from '../define';

export type DiceParams = {
  includeBackground: boolean;
  squaredPred: boolean;
  smoothNr: number;
  smoothDr: number;
  batch: boolean;
};

/**
 * The per-(image, class) sums I = Σ p y and S = Σ p (Σ p² with squaredPred) of every class, from one
 * custom-gradient op (ops/softmax-class-sums.ts: ∂I/∂p = y, ∂S/∂p = 1 or 2p, then the softmax backward);
 * G (= Σ y² = Σ y) is the ground truth's memoised total, and classes are selected in the small tail.
 */
const DICE_TERMS: readonly SumTerm[] = [
  { of: 'p', weight: 'y' },
  { of: 'p', weight: 'one' },
];
const DICE_TERMS_SQUARED: readonly SumTerm[] = [
  { of: 'p', weight: 'y' },
  { of: 'p2', weight: 'one' },
];

export const diceLoss = defineLoss<DiceParams, 'dice'>({
  id: 'dice',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Dice Loss',
  category: 'region',
  citation: {
    authors: ['Fausto Milletari', 'Nassir Navab', 'Seyed-Ahmad Ahmadi'],
    title: 'V-Net: Fully Convolutional Neural Networks for Volumetric Medical Image Segmentation',
    venue: '3DV 2016',
    year: 2016,
    arxiv: '1606.04797',
    url: 'https://arxiv.org/abs/1606.04797',
  },
  summary: 'One minus the soft Dice overlap between prediction and ground truth, per class.',
  useWhen: 'Imbalanced foreground, small structures; directly targets the Dice metric.',
  needs: [],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  formula: String.raw`\mathcal{L}_{Dice}=\operatorname*{mean}_{n,c}\left[1-\frac{2\sum_i p_{nic}\,y_{nic}+s_{nr}}{\sum_i p_{nic}+\sum_i y_{nic}+s_{dr}}\right]`,
  reference: [
    {
      repo: 'Project-MONAI/MONAI',
      commit: 'd388d1c6fec8cb3a0eebee5b5a0b9776ca59ca83',
      path: 'monai/losses/dice.py',
      symbol: 'DiceLoss',
      note: 'to_onehot_y=True, softmax=True',
    },
    {
      repo: 'JunMa11/SegLoss',
      commit: '71b14900',
      path: 'losses_pytorch/dice_loss.py',
      symbol: 'SoftDiceLoss',
      note: 'equals MONAI − 1 at equal smoothing',
    },
  ],
  params: {
    includeBackground: {
      kind: 'boolean',
      label: 'include background',
      default: true,
      doc: 'Average over all classes (true) or only the foreground classes 1..C−1.',
    },
    squaredPred: {
      kind: 'boolean',
      label: 'squared denominator',
      default: false,
      doc: "Milletari's V-Net denominator Σp² + Σy² instead of the linear Σp + Σy.",
    },
    smoothNr: {
      kind: 'number',
      label: 'numerator smoothing',
      default: 1e-5,
      min: 0,
      max: 10,
      hardMax: Number.POSITIVE_INFINITY,
      scale: 'log',
      doc: 'Added to 2I; keeps the ratio defined for empty classes.',
    },
    smoothDr: {
      kind: 'number',
      label: 'denominator smoothing',
      default: 1e-5,
      min: 0,
      max: 10,
      hardMax: Number.POSITIVE_INFINITY,
      scale: 'log',
      doc: 'Added to S + G; keeps the ratio defined for empty classes.',
    },
    batch: {
      kind: 'boolean',
      label: 'batch Dice',
      default: false,
      doc: 'Sum over the whole batch before the ratio (one Dice per class) instead of one per image.',
    },
  },
  variants: [
    {
      param: 'squaredPred',
      value: true,
      label: 'V-Net (squared) denominator',
      doc: 'Milletari et al. square p and y in the denominator; MONAI and SegLoss default to the linear form.',
    },
    {
      param: 'batch',
      value: true,
      label: 'batch Dice (nnU-Net style)',
      doc: 'One Dice per class over the batch; the survey (eq. 7) sums over all pixels like this, MONAI works per image.',
    },
  ],
  pitfalls: [
    {
      where: 'YilmazKadir/Segmentation_Losses (survey repo) DiceLoss and ComboLoss',
      text: 'The denominator is input.sum() + target.sum(): all class probabilities (= number of pixels) plus the sum of the label indices, the same for every class; it is not a per-class Dice.',
    },
    {
      where: 'survey eq. 7',
      text: 'No smoothing: an absent class that is not predicted gives 0/0.',
    },
  ],
  notes: ['Epsilons: only smoothNr and smoothDr (default 1e-5), as MONAI.'],
  compute(logits, _target, params, ctx) {
    return tf.tidy(() => {
      const gt = oneHotPair(ctx);
      const classes = classRange(logits.shape[3], params.includeBackground);
      const terms = params.squaredPred ? DICE_TERMS_SQUARED : DICE_TERMS;
      const sums = softmaxClassSums(logits, gt, terms, params.batch);
      return smallTail(sums, [oneHotTotals(gt, params.batch)[0]], (m, s, [totals]) => {
        const [inter, pred] = m.unstack(m.select(s, classes)) as [typeof s, typeof s];
        const truth = m.select(totals as typeof s, classes);
        const ratio = m.div(m.add(m.mul(2, inter), params.smoothNr), m.add(m.add(pred, truth), params.smoothDr));
        return m.mean(m.sub(1, ratio));
      });
    });
  },
});
