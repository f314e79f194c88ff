/**
 * Log-Cosh Dice loss: log(cosh(Dice loss)), a smoothed Dice loss (≈ L_Dice²/2 near 0, gradient tanh(L_Dice)).
 * Paper: Jadon, "A survey of loss functions for semantic segmentation", IEEE CIBCB 2020 (arXiv 2006.14822),
 *   eq. 17; survey eq. 8.
 * Reference (port): shruti-jadon/Semantic-Segmentation-Loss-Functions@00d33353 loss_functions.py::
 *   Semantic_loss_functions.log_cosh_dice_loss (TF/Keras; K.flatten over the whole batch).
 *
 *   D = (2 Σ p y + s) / (Σ p + Σ y + s)    over all images, pixels and selected classes 𝒞 (one global Dice)
 *   L = log cosh(1 − D)
 *
 * 𝒞 = 1..C−1 by default (for C = 2: the reference's binary use, with the softmax foreground channel as its
 * sigmoid output), all classes with includeBackground.
 * float32: x = 1 − D is evaluated as (Σ p(1−y) + Σ (1−p) y) / (Σ p + Σ y + s) (no "1 − ratio" cancellation,
 * 1 − p = Σ of the other classes), and log cosh x as log1p(2 sinh²(x/2)) with
 * sinh(x/2) = (expm1(x/2) − expm1(−x/2))/2: log(cosh x) loses every digit below 6e-8 when cosh x ≈ 1
 * (x ≈ 2e-3 in the `perfect` case, value 2.4e-6). log1p itself is a series below 0.1 (log1pAccurate): the wasm
 * and WebGL log1p kernels compute log(1 + z) naively and return 0 for z < 6e-8. No epsilon besides `smooth`.
 * On cpu and wasm the tail after the sums runs on the host in float64 (ops/small-tail.ts), same formula.
 */
import { classRange } from '../../ops/probabilities';
import { smallTail } from '../../ops/small-tail';
import { oneHotPair } from '../../ops/softmax-class-sums';
import { tf } from '../../tf';
import { defineLoss } from '../define';
import { tverskyClassSums, tverskyTerms } from './tversky';

export type LogCoshDiceParams = { smooth: number; includeBackground: boolean };

/** log(cosh x), accurate in float32 (with tanh and log1p) and differentiated in closed form: ops/tail-math.ts. */
export { log1pAccurate, logCoshTensor as logCosh, tanhAccurate } from '../../ops/tail-math';

export const logCoshDiceLoss = defineLoss<LogCoshDiceParams, 'log-cosh-dice'>({
  id: 'log-cosh-dice',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Log-Cosh Dice Loss',
  category: 'region',
  citation: {
    authors: ['Shruti Jadon'],
    title: 'A survey of loss functions for semantic segmentation',
    venue: 'IEEE CIBCB 2020',
    year: 2020,
    arxiv: '2006.14822',
    url: 'https://arxiv.org/abs/2006.14822',
  },
  summary: 'log cosh of the Dice loss: Dice with a smoother, bounded curvature.',
  useWhen: 'Like Dice, when the Dice loss surface is too sharp for stable training.',
  needs: [],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  formula: String.raw`\mathcal{L}_{lcDice}=\log\cosh\!\left(1-\frac{2\sum_{n,i,c\in\mathcal{C}}p\,y+s}{\sum_{n,i,c\in\mathcal{C}}p+\sum_{n,i,c\in\mathcal{C}}y+s}\right),\quad \cosh x=\frac{e^{x}+e^{-x}}{2}`,
  reference: [
    {
      repo: 'shruti-jadon/Semantic-Segmentation-Loss-Functions',
      commit: '00d33353e2',
      path: 'loss_functions.py',
      symbol: 'Semantic_loss_functions.log_cosh_dice_loss',
      note: 'TF/Keras, ported; one global Dice over the flattened selected channels, smooth = 1',
    },
  ],
  params: {
    smooth: {
      kind: 'number',
      label: 'smoothing s',
      default: 1,
      min: 0,
      max: 10,
      scale: 'log',
      doc: 'Added to numerator and denominator of the global Dice (the reference uses 1).',
    },
    includeBackground: {
      kind: 'boolean',
      label: 'include background',
      default: false,
      doc: 'Include channel 0 in the flattened sums (the binary reference sees only the foreground channel).',
    },
  },
  variants: [
    {
      param: 'includeBackground',
      value: true,
      label: 'all channels',
      doc: 'Flatten every channel, background included, into the one Dice. A per-class mean (the natural multi-class extension) is not in the reference code.',
    },
  ],
  pitfalls: [
    {
      where: 'survey eq. 8',
      text: 'Writes cosh(x) = (e^x − e^{−x})/2, which is sinh; the reference uses (e^x + e^{−x})/2.',
    },
    {
      where: 'shruti-jadon log_cosh_dice_loss',
      text: 'K.flatten pools all images and channels: one Dice for the batch, not a per-class or per-image mean.',
    },
  ],
  notes: [
    'Epsilon: smooth only (default 1).',
    'float32: 1 − D and log cosh are evaluated without cancellation (see the file header); the naive log(cosh(1 − D)) is off by ~6e-8 absolute, which is 2.5 % of the perfect-prediction value.',
  ],
  compute(logits, _target, params, ctx) {
    return tf.tidy(() => {
      const classes = classRange(logits.shape[3], params.includeBackground);
      return smallTail(tverskyClassSums(logits, oneHotPair(ctx), 'global'), [], (m, s) => {
        const { tp, fp, fn } = tverskyTerms(m, s, classes, 'global');
        // Σp + Σy + s = 2TP + FP + FN + s;  1 − D = (FP + FN) / (Σp + Σy + s)
        const errors = m.add(fp, fn);
        return m.logCosh(m.div(errors, m.add(m.add(m.mul(2, tp), errors), params.smooth)));
      });
    });
  },
});
