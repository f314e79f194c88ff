/**
 * IoU (Jaccard) loss: one minus the soft intersection over union, per image and class.
 * Paper: Rahman & Wang, "Optimizing Intersection-Over-Union in Deep Neural Networks for Image Segmentation",
 *   ISVC 2016 (LNCS 10072); survey eq. 11.
 * Reference: Project-MONAI/MONAI@d388d1c monai/losses/dice.py::DiceLoss(jaccard=True, to_onehot_y=True,
 *   softmax=True).
 *
 *   I = Σ_i p y,  S = Σ_i p (or Σ p² if squaredPred),  G = Σ_i y
 *   L = mean_{(n),c} [ 1 − (2I + s_nr) / (2(S + G − I) + s_dr) ]
 *
 * This is the soft IoU I/(S + G − I) with the smoothing acting as s/2 (MONAI's form; SegLoss IoULoss with
 * smoothing s/2 equals it minus 1). The sums are Dice's, with the same class selection and batch option
 * as dice.ts. Epsilons: smoothNr, smoothDr only.
 * float32: the loss is evaluated as (2(S + G − 2I) + s_dr − s_nr) / (2(S + G − I) + s_dr), the same value as
 * 1 − ratio, with S + G − 2I = Σ p(1 − y) + Σ (1 − p) y (or Σ p²(1 − y) + Σ (1 − p)² y when squared) summed
 * from non-negative terms and 1 − p = Σ of the other classes: no cancellation near a perfect prediction.
 */
import { classRange } from '../../ops/probabilities';
import { smallTail } from '../../ops/small-tail';
import { oneHotPair, oneHotTotals, type SumTerm, softmaxClassSums } from '../../ops/softmax-class-sums';
import { tf } from '../../tf';
import { defineLoss } from '../define';
import { type DiceParams, diceLoss } from './dice';

export type IouParams = DiceParams;

export const iouLoss = defineLoss<IouParams, 'iou'>({
  id: 'iou',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'IoU (Jaccard) Loss',
  category: 'region',
  citation: {
    authors: ['Md Atiqur Rahman', 'Yang Wang'],
    title: 'Optimizing Intersection-Over-Union in Deep Neural Networks for Image Segmentation',
    venue: 'ISVC 2016 (LNCS 10072)',
    year: 2016,
    arxiv: null,
    url: 'https://doi.org/10.1007/978-3-319-50835-1_22',
  },
  summary: 'One minus the soft intersection-over-union (Jaccard) per class.',
  useWhen: 'When IoU is the metric; similar to Dice but penalises partial overlap more.',
  needs: [],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  formula: String.raw`\mathcal{L}_{IoU}=\operatorname*{mean}_{n,c}\left[1-\frac{2\sum_i p_{nic}y_{nic}+s_{nr}}{2\left(\sum_i p_{nic}+\sum_i y_{nic}-\sum_i p_{nic}y_{nic}\right)+s_{dr}}\right]`,
  reference: [
    {
      repo: 'Project-MONAI/MONAI',
      commit: 'd388d1c6fec8cb3a0eebee5b5a0b9776ca59ca83',
      path: 'monai/losses/dice.py',
      symbol: 'DiceLoss',
      note: 'jaccard=True, to_onehot_y=True, softmax=True',
    },
    {
      repo: 'JunMa11/SegLoss',
      commit: '71b14900e9',
      path: 'losses_pytorch/dice_loss.py',
      symbol: 'IoULoss',
      note: 'with smoothing s/2 equals MONAI − 1',
    },
  ],
  params: {
    ...diceLoss.params,
    squaredPred: {
      kind: 'boolean',
      label: 'squared prediction',
      default: false,
      doc: 'Use Σp² instead of Σp in the union (MONAI squared_pred).',
    },
  },
  variants: [
    {
      param: 'batch',
      value: true,
      label: 'batch-global IoU',
      doc: 'One IoU per class over the whole batch (the survey repo’s JaccardLoss and SegLoss batch_dice); MONAI works per image.',
    },
    {
      param: 'smoothNr',
      value: 1,
      label: 'smoothing 1 (SegLoss / survey repo)',
      doc: 'SegLoss and the survey repo smooth with 1.0 on I/(S+G−I), i.e. s = 2 here (set smoothNr = smoothDr = 2); MONAI uses 1e-5.',
    },
  ],
  pitfalls: [
    {
      where: 'MONAI DiceLoss(jaccard=True)',
      text: 'The smoothing enters as (2I + s)/(2(S+G−I) + s): it acts as s/2 on the plain IoU I/(S+G−I).',
    },
    {
      where: 'survey eq. 11',
      text: 'Averages the per-class IoU over C with sums over all pixels of the batch (batch-global).',
    },
  ],
  notes: ['Epsilons: only smoothNr and smoothDr (default 1e-5), as MONAI.'],
  compute(logits, _target, params, ctx) {
    return tf.tidy(() => {
      const gt = oneHotPair(ctx);
      // I, S and the error sums from one op with the closed-form gradient (ops/softmax-class-sums.ts):
      // ∂I/∂p = y, ∂S/∂p = 1 (2p), ∂/∂p of Σ p(1 − y) + Σ (1 − p)y = (1 − y) − y (squared: 2p(1 − y) − 2(1 − p)y)
      const P = params.squaredPred ? 'p2' : 'p';
      const Q = params.squaredPred ? 'q2' : 'q';
      const terms: SumTerm[] = [
        { of: 'p', weight: 'y' },
        { of: P, weight: 'one' },
        { of: P, weight: 'notY' },
        { of: Q, weight: 'y' },
      ];
      const classes = classRange(logits.shape[3], params.includeBackground);
      const sums = softmaxClassSums(logits, gt, terms, params.batch);
      return smallTail(sums, [oneHotTotals(gt, params.batch)[0]], (m, all, [totals]) => {
        const [inter, pred, fp, fn] = m.unstack(m.select(all, classes)) as [
          typeof all,
          typeof all,
          typeof all,
          typeof all,
        ];
        const truth = m.select(totals as typeof all, classes);
        const union2 = m.mul(2, m.sub(m.add(pred, truth), inter));
        // S + G − 2I as a sum of non-negative per-pixel errors
        const errors = m.add(fp, fn);
        const num = m.add(m.mul(2, errors), params.smoothDr - params.smoothNr);
        return m.mean(m.div(num, m.add(union2, params.smoothDr)));
      });
    });
  },
});
