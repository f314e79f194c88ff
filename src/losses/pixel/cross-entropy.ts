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
import { logSoftmax, softmax } from '../../ops/probabilities';
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
    const c = logits.shape[3];
    const eps = params.labelSmoothing;
    // The loss is linear in log p with constant coefficients a_ic = ((1 − ε) w_{t_i} y_ic + (ε/C) w_c) / Σ_i w_{t_i},
    // so L = −Σ a_ic log p_ic and ∂L/∂x_ic = s_i p_ic − a_ic with s_i = Σ_c a_ic (exact; tf.customGrad), the
    // coefficients built on the host once per ground truth and parameters — s repeated over the classes, so that
    // s ⊙ p is a same-shape product (a broadcast from [N, H, W, 1] costs 20 times as much on wasm).
    const coef = ctx.memo(`cross-entropy:coef:${JSON.stringify(params.classWeights)}:${eps}`, () => {
      const labels = ctx.labels;
      const w = params.classWeights ?? new Array<number>(c).fill(1);
      let norm = 0;
      for (const t of labels) norm += w[t] as number;
      if (!(norm > 0)) return null; // Σ w_{t_i} = 0: the formula below gives PyTorch's 0/0 = NaN
      const a = new Float32Array(labels.length * c);
      const s = new Float32Array(labels.length * c);
      labels.forEach((t, i) => {
        let sum = 0;
        for (let k = 0; k < c; k++) {
          const v = (((k === t ? (1 - eps) * (w[t] as number) : 0) + (eps / c) * (w[k] as number)) / norm) as number;
          a[i * c + k] = v;
          sum += v;
        }
        s.fill(sum, i * c, (i + 1) * c);
      });
      // an array: the context keeps and later disposes the tensors of arrays
      return [tf.tensor4d(a, logits.shape), tf.tensor4d(s, logits.shape)];
    });
    if (coef) {
      const [a, s] = coef as [tf.Tensor4D, tf.Tensor4D];
      const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
        const x = args[0] as tf.Tensor4D;
        // p for the backward pass, from the forward (memoised per engine update, ops/prediction-memo.ts); saved
        // (the tape keeps clones): the context's own tensors may be disposed before the backward pass
        (args[1] as tf.GradSaveFunc)([softmax(x), a, s]);
        return {
          value: tf.neg(tf.sum(tf.mul(a, logSoftmax(x)))),
          gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
            const [ps, as, ss] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
            return tf.mul(dy, tf.sub(tf.mul(ss, ps), as));
          },
        };
      });
      return tf.tidy(() => f(logits) as tf.Scalar);
    }
    return tf.tidy(() => {
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
