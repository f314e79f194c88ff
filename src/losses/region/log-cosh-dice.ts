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
 */
import { classRange } from '../../ops/probabilities';
import { oneHotPair } from '../../ops/softmax-class-sums';
import { constantFrom } from '../../ops/topk-select';
import { tf } from '../../tf';
import { defineLoss } from '../define';
import { softmaxTverskySums } from './tversky';

export type LogCoshDiceParams = { smooth: number; includeBackground: boolean };

/**
 * log(cosh(x)), accurate in float32 for small |x| as well (see the header), with its closed-form gradient
 * tanh x: the tape's gradient of the series and expm1s below was ≈ 120 kernel launches on a scalar (≈ 0.8 ms
 * of a 3.5 ms value + gradient at 256² on Chromium wasm, and more of an update at 64²).
 */
export function logCosh(x: tf.Tensor): tf.Tensor {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const v = args[0] as tf.Tensor;
    (args[1] as tf.GradSaveFunc)([v]);
    return {
      value: tf.tidy(() => {
        const half = tf.mul(v, 0.5);
        const sinhHalf = tf.mul(tf.sub(tf.expm1(half), tf.expm1(tf.neg(half))), 0.5);
        return log1pAccurate(tf.mul(2, tf.square(sinhHalf)));
      }),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tanhAccurate(saved[0] as tf.Tensor)),
    };
  });
  return f(x) as tf.Tensor;
}

/**
 * tanh x = sign(x) · (−t)/(t + 2) with t = expm1(−2|x|) ∈ (−1, 0]: no cancellation for small |x| (unlike
 * (e^{2x} − 1)/(e^{2x} + 1)) and no overflow for large |x|.
 */
export function tanhAccurate(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const t = tf.expm1(tf.mul(tf.abs(x), -2));
    return tf.mul(tf.sign(x), tf.div(tf.neg(t), tf.add(t, 2)));
  });
}

/** Below this argument log1p is evaluated by its Taylor series (see log1pAccurate). */
export const LOG1P_SERIES_BELOW = 0.1;

/**
 * log(1 + z) for z ≥ 0, accurate in float32 on every backend. tf.log1p is not: the wasm kernel computes
 * log(1 + z) naively (measured: log1p(1e-4) = 1.000116e-4, and 0 for z < 6e-8), and so does a WebGL shader.
 * For z < 0.1 the series z − z²/2 + … − z⁸/8 is used (truncation < z⁹/9 ≈ 1e-10 relative); above, log1p.
 */
export function log1pAccurate(z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    // Horner form of z·(1 − z/2 + z²/3 − … − z⁷/8)
    let poly: tf.Tensor = tf.fill(z.shape, -1 / 8);
    for (let k = 7; k >= 1; k--) poly = tf.add(tf.mul(poly, z), (k % 2 === 1 ? 1 : -1) / k);
    const series = tf.mul(z, poly);
    // constant 0/1 blend (a comparison has no gradient, so it is computed off the tape); both branches are finite
    const small = constantFrom(z, (v) => tf.cast(tf.less(v, LOG1P_SERIES_BELOW), 'float32'));
    const large = tf.log1p(tf.maximum(z, LOG1P_SERIES_BELOW));
    return tf.add(tf.mul(small, series), tf.mul(tf.sub(1, small), large));
  });
}

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
      const { tp, fp, fn } = softmaxTverskySums(logits, oneHotPair(ctx), classes, 'global');
      // Σp + Σy + s = 2TP + FP + FN + s;  1 − D = (FP + FN) / (Σp + Σy + s)
      const errors = tf.add(fp, fn);
      const x = tf.div(errors, tf.add(tf.add(tf.mul(2, tp), errors), params.smooth));
      return logCosh(x) as tf.Scalar;
    });
  },
});
