import { classRange, selectClasses } from '../../ops/probabilities';
import { sumPerClass } from '../../ops/reductions';
import { type OneHotPair, oneHotPair, type SumTerm, softmaxClassSums } from '../../ops/softmax-class-sums';
import { tf } from '../../tf';
import { defineLoss } from '../define';

/** Over what the Tversky sums run: each image and class, each class over the batch, or everything at once. */
export type TverskyReduction = 'image' | 'batch' | 'global';

export interface TverskySums {
  tp: tf.Tensor;
  fp: tf.Tensor;
  fn: tf.Tensor;
}

/**
 * TP, FP, FN of the selected classes. `p` are probabilities, `q` = 1 − p computed by the caller (e.g. with
 * complementProbabilities, or clipped as Unified Focal does), `y` the one-hot target, all [N, H, W, C].
 * Result shapes: [N, C'] ('image'), [1, C'] ('batch') or scalar ('global').
 */
export function tverskySums(
  p: tf.Tensor4D,
  q: tf.Tensor4D,
  y: tf.Tensor4D,
  classes: readonly number[],
  reduce: TverskyReduction,
): TverskySums {
  return tf.tidy(() => {
    const ps = selectClasses(p, classes);
    const qs = selectClasses(q, classes);
    const ys = selectClasses(y, classes);
    const red = (x: tf.Tensor) => (reduce === 'global' ? tf.sum(x) : sumPerClass(x as tf.Tensor4D, reduce === 'batch'));
    return {
      tp: red(tf.mul(ps, ys)),
      fp: red(tf.mul(ps, tf.sub(1, ys))),
      fn: red(tf.mul(qs, ys)),
    };
  });
}

/**
 * TP, FP, FN of the selected classes of softmax(logits), as tverskySums with q = complementProbabilities(p), but
 * from one custom-gradient op over all classes (ops/softmax-class-sums.ts: the gradient is the closed form
 * ∂TP/∂p = y, ∂FP/∂p = 1 − y, ∂FN/∂p = −y per class, then the softmax backward); classes are selected on the
 * small sums, never on the full tensors.
 */
export function softmaxTverskySums(
  logits: tf.Tensor4D,
  gt: OneHotPair,
  classes: readonly number[],
  reduce: TverskyReduction,
): TverskySums {
  return tf.tidy(() => {
    const s = softmaxClassSums(logits, gt, TVERSKY_TERMS, reduce !== 'image');
    const [tp, fp, fn] = tf.unstack(selectClasses(s, classes)).map((t) => (reduce === 'global' ? tf.sum(t) : t));
    return { tp: tp as tf.Tensor, fp: fp as tf.Tensor, fn: fn as tf.Tensor };
  });
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
export function tverskyComplement(
  s: TverskySums,
  alpha: number,
  beta: number,
  smoothNr: number,
  smoothDr: number,
): tf.Tensor {
  return tf.tidy(() => {
    const errors = tf.add(tf.mul(alpha, s.fp), tf.mul(beta, s.fn));
    return tf.div(tf.add(errors, smoothDr - smoothNr), tf.add(tf.add(s.tp, errors), smoothDr));
  });
}

/** The Tversky index TI itself (for display); the losses use tverskyComplement. */
export function tverskyIndex(s: TverskySums, alpha: number, beta: number, smoothNr: number, smoothDr: number) {
  return tf.tidy(() => tf.sub(1, tverskyComplement(s, alpha, beta, smoothNr, smoothDr)));
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
      const sums = softmaxTverskySums(logits, oneHotPair(ctx), classes, params.batch ? 'batch' : 'image');
      const { fpWeight, fnWeight } = tverskyWeights(params.alpha, params.beta, params.alphaOn);
      return tf.mean(tverskyComplement(sums, fpWeight, fnWeight, params.smoothNr, params.smoothDr)) as tf.Scalar;
    });
  },
});
