/**
 * Exponential Logarithmic loss: exp-log Dice plus exp-log weighted cross-entropy.
 * Paper: Wong, Moradi, Tang & Syeda-Mahmood, "3D Segmentation with Exponential Logarithmic Loss for Highly
 *   Unbalanced Object Sizes", MICCAI 2018 (arXiv 1809.00076), eqs. 1–5; survey eqs. 33–35.
 * Reference: none published by the authors; a port of the paper's equations (SPEC §5.2). Dice per image and
 *   class (background included), batch means, class frequencies from the batch.
 *
 *   Dice_{n,c} = (2 Σ_i y p + s) / (Σ_i y + Σ_i p + s),   L_Dice = mean_{n,c} (−ln Dice_{n,c})^{γ_D}
 *   L_Cross = (1/P) Σ_{n,i} w_{t} (−ln p_{t})^{γ_C},     w_l = sqrt(Σ_k f_k / f_l),  f_k = #{t = k} (constant)
 *   L = w_Dice · L_Dice + w_Cross · L_Cross
 *
 * Built from the component code: −ln Dice from the Dice/Tversky sums (terms.ts negLogDice), −ln p_t from
 * logSoftmax as in cross-entropy.ts, class frequencies from the ground-truth context. Both parts have exact
 * closed-form gradients (negLogDice's sums, ops/weighted-nll.ts).
 */
import { smallTail } from '../../ops/small-tail';
import { oneHotPair } from '../../ops/softmax-class-sums';
import { stagedSum } from '../../ops/staged-sum';
import { targetOneHot, weightedNllSum } from '../../ops/weighted-nll';
import { tf } from '../../tf';
import { defineLoss } from '../define';
import { tverskyClassSums } from '../region/tversky';
import { negLogDice } from './terms';

export type ExpLogParams = {
  wDice: number;
  wCross: number;
  gammaDice: number;
  gammaCross: number;
  smooth: number;
  classWeights: number[] | null;
  form: 'paper' | 'segloss';
};

/**
 * Floor applied to −ln Dice and −ln p_t before the power x^γ: x = 0 (a float32 round-off or an exact fit)
 * would give γ·x^{γ−1} = ∞ and a NaN gradient. (1e-30)^0.3 = 1e-9 keeps the value's floor negligible.
 */
const POW_FLOOR = 1e-30;

/** SegLoss's ExpLog_loss clamps the mean Dice at 1e−6 before the logarithm. */
const SEGLOSS_DICE_CLAMP = 1e-6;

/** w_l = sqrt(Σ_k f_k / f_l) from the batch's label counts; 0 for a class absent from the batch (never used). */
export function frequencyWeights(counts: number[][], numClasses: number): number[] {
  const f = new Array<number>(numClasses).fill(0);
  for (const row of counts) for (let k = 0; k < numClasses; k++) f[k] = (f[k] as number) + (row[k] ?? 0);
  const total = f.reduce((a, b) => a + b, 0);
  return f.map((fl) => (fl > 0 ? Math.sqrt(total / fl) : 0));
}

export const expLogLoss = defineLoss<ExpLogParams, 'exp-log'>({
  id: 'exp-log',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Exponential Logarithmic Loss',
  category: 'combination',
  citation: {
    authors: ['Ken C. L. Wong', 'Mehdi Moradi', 'Hui Tang', 'Tanveer Syeda-Mahmood'],
    title: '3D Segmentation with Exponential Logarithmic Loss for Highly Unbalanced Object Sizes',
    venue: 'MICCAI 2018',
    year: 2018,
    arxiv: '1809.00076',
    url: 'https://arxiv.org/abs/1809.00076',
  },
  summary: 'Weighted sum of powered log-Dice and powered, class-weighted log-cross-entropy.',
  useWhen: 'Structures of very different sizes in one image.',
  needs: [],
  binaryOnly: false,
  hasReferenceCode: false,
  // The implementation.
  status: 'implemented',
  formula: String.raw`\mathcal{L}_{ExpLog}=w_{Dice}\operatorname*{mean}_{n,c}\big(-\ln \mathrm{Dice}_{nc}\big)^{\gamma_{D}}+w_{Cross}\,\frac1P\sum_{n,i}w_{t_{ni}}\big(-\ln p_{ni,t_{ni}}\big)^{\gamma_{C}},\quad \mathrm{Dice}_{nc}=\frac{2\sum_i y\,p+s}{\sum_i y+\sum_i p+s},\quad w_l=\sqrt{\textstyle\sum_k f_k/f_l}`,
  reference: [
    {
      repo: 'paper: Wong et al. 2018 (arXiv 1809.00076)',
      path: 'eqs. 1–5',
      symbol: 'exponential logarithmic loss',
      note: 'no official code; ported from the equations (SPEC §5.2)',
    },
    {
      repo: 'JunMa11/SegLoss',
      commit: '71b14900',
      path: 'losses_pytorch/dice_loss.py',
      symbol: 'ExpLog_loss',
      note: "differs: exponent on −ln of the mean Dice, CE not exponentiated (form='segloss')",
    },
  ],
  params: {
    wDice: {
      kind: 'number',
      label: 'w_Dice',
      default: 0.8,
      min: 0,
      max: 1,
      step: 0.05,
      doc: 'Weight of the exp-log Dice term.',
    },
    wCross: {
      kind: 'number',
      label: 'w_Cross',
      default: 0.2,
      min: 0,
      max: 1,
      step: 0.05,
      doc: 'Weight of the exp-log weighted cross-entropy term.',
    },
    gammaDice: {
      kind: 'number',
      label: 'γ_Dice',
      default: 0.3,
      min: 0.01,
      max: 3,
      step: 0.05,
      doc: 'Exponent on −ln Dice; γ < 1 stresses poorly segmented (low-Dice) classes, γ > 1 the reverse.',
    },
    gammaCross: {
      kind: 'number',
      label: 'γ_Cross',
      default: 0.3,
      min: 0.01,
      max: 3,
      step: 0.05,
      doc: 'Exponent on each pixel’s −ln p_t; γ < 1 stresses badly classified pixels less than CE does near 0.',
    },
    smooth: {
      kind: 'number',
      label: 'smoothing s',
      default: 1,
      min: 0,
      max: 10,
      scale: 'log',
      doc: 'Added to numerator and denominator of each Dice (the paper’s ε = 1).',
    },
    classWeights: {
      kind: 'vector',
      label: 'class weights w_l',
      default: null,
      length: 'classes',
      nullMeaning: "w_l = sqrt(Σ_k f_k / f_l) from the label counts f of the batch (form 'segloss': all 1)",
      doc: 'Per-class weights of the cross-entropy term.',
    },
    form: {
      kind: 'enum',
      label: 'form',
      default: 'paper',
      doc: 'The paper’s equations, or the SegLoss ExpLog_loss shape.',
      options: [
        {
          value: 'paper',
          label: 'paper (Wong et al.)',
          doc: 'Exponent per class on −ln Dice and per pixel on −ln p_t (SPEC §5.2).',
        },
        {
          value: 'segloss',
          label: 'SegLoss ExpLog_loss',
          doc: 'w_Dice·(−ln max(mean_{n,c} Dice, 1e−6))^{γ_D} + w_Cross·CE: the exponent on the mean Dice only (SoftDiceLoss per image and class, background included, smooth s); CE is plain (unweighted, or weighted by an explicit classWeights list as SegLoss’s trainer passes, normalised by Σ w_t like PyTorch’s CrossEntropyLoss) and not exponentiated. Checked line by line against SegLoss’s ExpLog_loss, SoftDiceLoss and WeightedCrossEntropyLoss (no golden file); SegLoss fixes w_Dice = 0.8, w_Cross = 0.2, our defaults.',
        },
      ],
    },
  },
  variants: [
    {
      param: 'form',
      value: 'segloss',
      label: 'SegLoss ExpLog_loss',
      doc: 'JunMa11/SegLoss applies the exponent to −ln of the class-mean Dice and uses a plain (trainer-weighted) CE without exponent, so its numbers differ.',
    },
  ],
  pitfalls: [
    {
      where: 'survey eqs. 34–35',
      text: 'Takes (−log L)^γ of the Dice loss and of the whole WCE value; in Wong et al. the exponent applies to −ln Dice per class and to −ln p per pixel inside the expectation. Also the typo “γWCE and γWCE”.',
    },
    {
      where: 'JunMa11/SegLoss losses_pytorch/dice_loss.py::ExpLog_loss',
      text: 'Only the Dice term is exp-log’d (on the mean Dice); the CE term is not exponentiated and uses fixed trainer-supplied class weights, not sqrt(Σf/f_l).',
    },
  ],
  notes: [
    '−ln Dice is evaluated as −log1p(−(FP + FN)/(2TP + FP + FN + s)) with FN from the cancellation-free 1 − p, so values near a perfect prediction keep full float32 relative precision (the exponent γ < 1 amplifies relative errors of small arguments).',
    '−ln p_t comes from logSoftmax (no clamp). Both bases are floored at 1e-30 before x^γ: at x = 0 the derivative γ·x^{γ−1} is infinite and the gradient would be NaN; the floor adds at most 1e-9 (γ = 0.3) to the value.',
    'Class frequencies f are counted over the whole batch (constant, from the ground-truth context); a class absent from the batch gets weight 0, which multiplies no pixel.',
    'Minimum 0 (Dice = 1, p_t = 1); a confident correct prediction with s = 1 is close to it.',
  ],
  compute(logits, _target, params, ctx) {
    const c = logits.shape[3];
    const weights =
      params.classWeights ??
      (params.form === 'segloss' ? new Array<number>(c).fill(1) : frequencyWeights(ctx.classCounts(), c));
    // w_{t_i} (the target's class weight, one per pixel) and Σ_i w_{t_i}, memoised with the ground truth
    const [pixelWeight, weightSum] = ctx.memo(`exp-log:pixel-weight:${JSON.stringify(weights)}`, () =>
      tf.tidy(() => {
        const v = tf.sum(tf.mul(ctx.oneHot(), tf.tensor1d(weights)), -1, true);
        return [v, stagedSum(v)];
      }),
    ) as [tf.Tensor4D, tf.Scalar];
    return tf.tidy(() => {
      const sums = tverskyClassSums(logits, oneHotPair(ctx), 'image');
      if (params.form === 'segloss') {
        // SegLoss: 0.8 · (−ln clamp(mean Dice, 1e−6))^γ + 0.2 · CrossEntropyLoss(weight) (weights as parameters here)
        const dice = smallTail(sums, [], (m, s) => {
          const meanDice = m.mean(m.exp(m.neg(negLogDice(m, s, params.smooth, c))));
          const negLog = m.neg(m.log(m.maximum(meanDice, SEGLOSS_DICE_CLAMP)));
          return m.pow(m.maximum(negLog, POW_FLOOR), params.gammaDice);
        });
        const ce = tf.div(weightedNllSum(logits, targetOneHot(ctx), pixelWeight, null, POW_FLOOR), weightSum);
        return tf.add(tf.mul(params.wDice, dice), tf.mul(params.wCross, ce)) as tf.Scalar;
      }
      const dice = smallTail(sums, [], (m, s) =>
        m.mean(m.pow(m.maximum(negLogDice(m, s, params.smooth, c), POW_FLOOR), params.gammaDice)),
      );
      const [n, h, w] = logits.shape;
      const cross = tf.div(
        weightedNllSum(logits, targetOneHot(ctx), pixelWeight, params.gammaCross, POW_FLOOR),
        n * h * w,
      );
      return tf.add(tf.mul(params.wDice, dice), tf.mul(params.wCross, cross)) as tf.Scalar;
    });
  },
});
