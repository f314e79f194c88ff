/**
 * Cross-entropy loss (per-pixel, softmax).
 * Paper: per-pixel CE as used by Long, Shelhamer & Darrell, "Fully Convolutional Networks for Semantic
 *   Segmentation", CVPR 2015; survey eqs. 1–2.
 * Reference: PyTorch 1.13 torch.nn.functional.cross_entropy (reduction='mean', weight, label_smoothing).
 *
 *   q_ic = (1 − ε) y_ic + ε / C,   L = Σ_i w_{t_i} ℓ_i / Σ_i w_{t_i}
 *
 * With both class weights and label smoothing we follow PyTorch exactly: the smoothing term weights each
 * class's −log p by w_c and is normalised by Σ_i w_{t_i} too. log p comes from logSoftmax (no clamping).
 */
import { logSoftmax } from '../../ops/probabilities';
import { tf } from '../../tf';
import { defineLoss } from '../define';

export type CrossEntropyParams = {
  classWeights: number[] | null;
  labelSmoothing: number;
};

export const crossEntropyLoss = defineLoss<CrossEntropyParams, 'cross-entropy'>({
  id: 'cross-entropy',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Cross-Entropy Loss',
  category: 'pixel',
  citation: {
    authors: ['Jonathan Long', 'Evan Shelhamer', 'Trevor Darrell'],
    title:
      'Fully Convolutional Networks for Semantic Segmentation (per-pixel cross-entropy; the survey gives no single origin)',
    venue: 'CVPR 2015',
    year: 2015,
    arxiv: '1411.4038',
    url: 'https://arxiv.org/abs/1411.4038',
  },
  summary: 'Mean negative log-probability of the true class at every pixel.',
  useWhen:
    'A safe default; class weights or label smoothing for imbalance. Treats pixels independently, so it says nothing about shape.',
  needs: [],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  formula: String.raw`\mathcal{L}_{CE}=\frac{\sum_{n,i} w_{t_{ni}}\,\ell_{ni}}{\sum_{n,i} w_{t_{ni}}},\quad \ell_{ni}=-\sum_{c}\Big[(1-\varepsilon)\,y_{nic}+\frac{\varepsilon}{C}\Big]\log p_{nic}`,
  reference: [{ repo: 'pytorch/pytorch', commit: 'v1.13.1', path: 'torch/nn/functional.py', symbol: 'cross_entropy' }],
  params: {
    classWeights: {
      kind: 'vector',
      label: 'class weights w',
      default: null,
      length: 'classes',
      nullMeaning: 'every class weighs 1',
      doc: 'One weight per class (e.g. inverse class frequency); the mean is normalised by the weights of the target classes, as PyTorch does.',
    },
    labelSmoothing: {
      kind: 'number',
      label: 'label smoothing ε',
      default: 0,
      min: 0,
      max: 1,
      step: 0.01,
      doc: 'Mixes the one-hot target with the uniform distribution: q = (1 − ε)·y + ε/C.',
    },
  },
  variants: [
    {
      param: 'classWeights',
      value: null,
      label: 'unweighted mean (PyTorch default)',
      doc: 'The survey (eq. 1) writes a plain sum over pixels; every reference averages. The sum is the mean times the number of pixels.',
    },
  ],
  pitfalls: [
    {
      where: 'survey eq. 2',
      text: 'The weighted form is not normalised by the weights in the survey; PyTorch divides by Σ w_t, so the scale of the loss does not depend on the weights’ magnitude.',
    },
  ],
  notes: ['log p is computed with logSoftmax, exact in float32; no epsilon is added.'],
  compute(logits, _target, params, ctx) {
    return tf.tidy(() => {
      const c = logits.shape[3];
      const eps = params.labelSmoothing;
      const y = ctx.oneHot();
      const logp = logSoftmax(logits);
      const w = params.classWeights ? tf.tensor1d(params.classWeights) : tf.ones([c]);
      const pixelWeight = tf.sum(tf.mul(y, w), -1); // w_{t_i}
      const norm = tf.sum(pixelWeight);
      const nll = tf.neg(tf.sum(tf.mul(y, logp), -1)); // −log p_t
      let loss = tf.div(tf.sum(tf.mul(pixelWeight, nll)), norm);
      if (eps > 0) {
        const smooth = tf.neg(tf.sum(tf.mul(logp, w))); // Σ_i Σ_c w_c (−log p_ic)
        loss = tf.add(tf.mul(1 - eps, loss), tf.mul(eps / c, tf.div(smooth, norm)));
      }
      return loss as tf.Scalar;
    });
  },
});
