import { classRange } from '../../ops/probabilities';
import { smallTail } from '../../ops/small-tail';
import { type OneHotPair, oneHotPair, type SumTerm, softmaxClassSums } from '../../ops/softmax-class-sums';
import type { TailMath } from '../../ops/tail-math';
import { tf } from '../../tf';
import { defineLoss } from '../define';

/** Over what the Tversky sums run: each image and class, each class over the batch, or everything at once. */
export type TverskyReduction = 'image' | 'batch' | 'global';

/** TP, FP, FN of the selected classes: tensors, or values of a small tail (ops/tail-math.ts). */
export interface TverskySums<V = tf.Tensor> {
  tp: V;
  fp: V;
  fn: V;
}

/**
 * TP, FP, FN of every class of softmax(logits) as one [3, N, C] tensor ([3, 1, C] unless `reduce` is 'image'),
 * from one custom-gradient op (ops/softmax-class-sums.ts: the gradient is the closed form ∂TP/∂p = y,
 * ∂FP/∂p = 1 − y, ∂FN/∂p = −y per class, then the softmax backward; FN with the cancellation-free 1 − p).
 * tverskyTerms selects the classes on these small sums, never on the full tensors.
 */
export function tverskyClassSums(logits: tf.Tensor4D, gt: OneHotPair, reduce: TverskyReduction): tf.Tensor3D {
  return softmaxClassSums(logits, gt, TVERSKY_TERMS, reduce !== 'image');
}

/** TP, FP, FN of the selected classes from tverskyClassSums, summed over everything for 'global'. */
export function tverskyTerms<V>(
  m: TailMath<V>,
  sums: V,
  classes: readonly number[],
  reduce: TverskyReduction,
): TverskySums<V> {
  const [tp, fp, fn] = m.unstack(m.select(sums, classes)).map((t) => (reduce === 'global' ? m.sum(t) : t)) as [V, V, V];
  return { tp, fp, fn };
}

const TVERSKY_TERMS: readonly SumTerm[] = [
  { of: 'p', weight: 'y' },
  { of: 'p', weight: 'notY' },
  { of: 'q', weight: 'y' },
];

/**
 * 1 − TI with TI = (TP + s_nr) / (TP + α·FP + β·FN + s_dr), evaluated as
 * (α·FP + β·FN + s_dr − s_nr) / (TP + α·FP + β·FN + s_dr) (same value, no cancellation near TI = 1).
 * α weighs FP, β weighs FN.
 */
export function tverskyComplement<V>(
  m: TailMath<V>,
  s: TverskySums<V>,
  alpha: number,
  beta: number,
  smoothNr: number,
  smoothDr: number,
): V {
  const errors = m.add(m.mul(alpha, s.fp), m.mul(beta, s.fn));
  return m.div(m.add(errors, smoothDr - smoothNr), m.add(m.add(s.tp, errors), smoothDr));
}

/** Which error the first weight multiplies: Salehi/MONAI/SegLoss put α on FP; the survey (eq. 14) on FN. */
export type AlphaOn = 'FP' | 'FN';

/** (FP weight, FN weight) from the (alpha, beta) parameters under a letter convention. */
export function tverskyWeights(alpha: number, beta: number, alphaOn: AlphaOn): { fpWeight: number; fnWeight: number } {
  return alphaOn === 'FP' ? { fpWeight: alpha, fnWeight: beta } : { fpWeight: beta, fnWeight: alpha };
}

export const ALPHA_ON_PARAM = {
  kind: 'enum' as const,
  label: 'α multiplies',
  default: 'FP',
  options: [
    {
      value: 'FP',
      label: 'α on FP, β on FN (Salehi, MONAI, SegLoss, smp)',
      doc: 'Salehi et al.’s naming: α weighs false positives and β false negatives; β > α favours recall.',
    },
    {
      value: 'FN',
      label: 'α on FN, β on FP (survey eq. 14, Abraham, mlyg δ)',
      doc: 'The survey’s eq. 14, Abraham’s Focal Tversky code (alpha = 0.7 on FN) and Unified Focal’s δ put the first weight on false negatives.',
    },
  ],
  doc: 'Letter convention: whether α weighs false positives (Salehi) or false negatives (survey eq. 14).',
};

export type TverskyParams = {
  alpha: number;
  beta: number;
  includeBackground: boolean;
  smoothNr: number;
  smoothDr: number;
  batch: boolean;
  alphaOn: AlphaOn;
};

export const tverskyLoss = defineLoss<TverskyParams, 'tversky'>({
  id: 'tversky',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Tversky Loss',
  category: 'region',
  citation: {
    authors: ['Seyed Sadegh Mohseni Salehi', 'Deniz Erdogmus', 'Ali Gholipour'],
    title: 'Tversky loss function for image segmentation using 3D fully convolutional deep networks',
    venue: 'MLMI workshop @ MICCAI 2017',
    year: 2017,
    arxiv: '1706.05721',
    url: 'https://arxiv.org/abs/1706.05721',
  },
  summary: 'Dice generalised with separate weights for false positives and false negatives.',
  useWhen: 'When missing foreground (FN) costs more than false alarms (FP), e.g. small lesions.',
  needs: [],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  formula: String.raw`\mathcal{L}_{T}=\operatorname*{mean}_{n,c}\left[1-\frac{\sum_i p_{nic}y_{nic}+s_{nr}}{\sum_i p_{nic}y_{nic}+\alpha\sum_i p_{nic}(1-y_{nic})+\beta\sum_i(1-p_{nic})\,y_{nic}+s_{dr}}\right]`,
  reference: [
    {
      repo: 'Project-MONAI/MONAI',
      commit: 'd388d1c6fec8cb3a0eebee5b5a0b9776ca59ca83',
      path: 'monai/losses/tversky.py',
      symbol: 'TverskyLoss',
      note: 'to_onehot_y=True, softmax=True',
    },
    {
      repo: 'JunMa11/SegLoss',
      commit: '71b14900e9',
      path: 'losses_pytorch/dice_loss.py',
      symbol: 'TverskyLoss',
      note: 'equals MONAI − 1 (α = 0.3 on FP, β = 0.7 on FN there)',
    },
  ],
  params: {
    alpha: {
      kind: 'number',
      label: 'α (FP weight)',
      default: 0.5,
      min: 0,
      max: 1,
      step: 0.05,
      doc: 'Weight of the false positives Σ p(1 − y). Salehi’s best setting is α = 0.3.',
    },
    beta: {
      kind: 'number',
      label: 'β (FN weight)',
      default: 0.5,
      min: 0,
      max: 1,
      step: 0.05,
      doc: 'Weight of the false negatives Σ (1 − p)y. Salehi’s best setting is β = 0.7 (favours recall).',
    },
    includeBackground: {
      kind: 'boolean',
      label: 'include background',
      default: true,
      doc: 'Average over all classes (true) or only the foreground classes 1..C−1.',
    },
    smoothNr: {
      kind: 'number',
      label: 'numerator smoothing',
      default: 1e-5,
      min: 0,
      max: 10,
      scale: 'log',
      doc: 'Added to TP in the numerator; keeps the index defined for empty classes.',
    },
    smoothDr: {
      kind: 'number',
      label: 'denominator smoothing',
      default: 1e-5,
      min: 0,
      max: 10,
      scale: 'log',
      doc: 'Added to the denominator; keeps the index defined for empty classes.',
    },
    batch: {
      kind: 'boolean',
      label: 'batch Tversky',
      default: false,
      doc: 'Sum over the whole batch before the ratio (one index per class) instead of one per image.',
    },
    alphaOn: ALPHA_ON_PARAM,
  },
  variants: [
    {
      param: 'alpha',
      value: 0.3,
      label: 'Salehi’s α = 0.3, β = 0.7',
      doc: 'The paper’s best trade-off (set β = 0.7 too); MONAI and smp default to α = β = 0.5, which is Dice.',
    },
    {
      param: 'alphaOn',
      value: 'FN',
      label: 'survey letters (α on FN)',
      doc: 'The survey’s eq. 14 attaches α to FN and β to FP, the opposite of Salehi; with α ≠ β this swaps the emphasis between recall and precision.',
    },
    {
      param: 'batch',
      value: true,
      label: 'batch-global sums',
      doc: 'One index per class over the batch (SegLoss batch_dice, the survey repo); MONAI works per image by default.',
    },
  ],
  pitfalls: [
    {
      where: 'survey eqs. 13–14',
      text: 'Eq. 14 puts α on FN and β on FP, the opposite of Salehi’s naming; eq. 13 writes |Y\\T| twice and its text calls α, β the FN and FP weights. Check the convention of every implementation.',
    },
    {
      where: 'YilmazKadir/Segmentation_Losses (survey repo) losses/tversky.py',
      text: 'Correct formula, but defaults α = β = 0.5, which is plain Dice rather than the paper’s 0.3/0.7.',
    },
    {
      where: 'MONAI TverskyLoss defaults',
      text: 'α = β = 0.5 reduces it to Dice; set α = 0.3, β = 0.7 for Salehi’s loss.',
    },
  ],
  notes: [
    'Epsilons: only smoothNr and smoothDr (default 1e-5), as MONAI.',
    'FN uses 1 − p = Σ_{other classes} p, and 1 − TI is evaluated as (αFP + βFN + s_dr − s_nr)/(TP + αFP + βFN + s_dr) to avoid float32 cancellation.',
  ],
  compute(logits, _target, params, ctx) {
    return tf.tidy(() => {
      const classes = classRange(logits.shape[3], params.includeBackground);
      const reduce = params.batch ? 'batch' : 'image';
      const { fpWeight, fnWeight } = tverskyWeights(params.alpha, params.beta, params.alphaOn);
      return smallTail(tverskyClassSums(logits, oneHotPair(ctx), reduce), [], (m, s) =>
        m.mean(
          tverskyComplement(
            m,
            tverskyTerms(m, s, classes, reduce),
            fpWeight,
            fnWeight,
            params.smoothNr,
            params.smoothDr,
          ),
        ),
      );
    });
  },
});
