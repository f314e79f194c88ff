/**
 * Boundary-aware loss: classification of a quantised, truncated distance-to-boundary map.
 * Paper: Hayder, He & Salzmann, "Boundary-aware Instance Segmentation", CVPR 2017, arXiv 1612.03129,
 *   §3.1 (truncated distance transform, K binary maps) and eq. 1; survey eq. 27.
 * Reference: none public (the original is Caffe and unreleased). Port of SPEC §4.3 (../shared/golden/SPEC.md),
 *   kind "port": the goldens were computed from the same equations.
 *
 *   M = {t > 0},  D(p) = min(⌈EDT(M)(p)⌉, R) on M (distance to the nearest background pixel), 0 off M
 *   bin(p) = ⌊D(p)·K/(R+1)⌋,  b = onehot(bin, K),  K = C (the logit channels are the distance bins)
 *   L = (1/P) Σ_{n,i} Σ_k −[ b_k log q_k + (1 − b_k) log(1 − q_k) ],  q = softmax(x) or sigmoid(x)
 *
 * Choices of the port (SPEC §4.3): the boundary set Q is the background; the background is bin 0; the K
 * binary cross-entropies are summed, then averaged over pixels; no class balancing. An object without any
 * background pixel gets D = R everywhere (explicit, SciPy's all-true artifact is NOT used); an image without
 * object is all bin 0. The bin map depends only on the ground truth and is cached.
 */
import { complementProbabilities } from '../../ops/complement';
import { perImageMap, truncatedDistanceBins } from '../../ops/distance-maps';
import { pixelMatMul } from '../../ops/pixel-matmul';
import { logSoftmax, softmax } from '../../ops/probabilities';
import { stagedSum } from '../../ops/staged-sum';
import { tf } from '../../tf';
import { defineLoss } from '../define';

export type BoundaryAwareParams = {
  R: number | null;
  activation: 'softmax' | 'sigmoid';
};

/**
 * log(1 − softmax(x)_k) for every k, exactly: logsumexp over j ≠ k minus logsumexp over all j. The K groups
 * of "other" logits are gathered with one product by a constant 0/1 selection matrix [K, K(K−1)] (fast on
 * every backend, differentiable, no gather).
 */
function logOneMinusSoftmax(logits: tf.Tensor4D): tf.Tensor4D {
  const k = logits.shape[3];
  const flat = tf.reshape(logits, [-1, k]) as tf.Tensor2D;
  const sel = new Float32Array(k * k * (k - 1));
  for (let target = 0; target < k; target++) {
    let col = 0;
    for (let j = 0; j < k; j++) {
      if (j === target) continue;
      sel[j * k * (k - 1) + target * (k - 1) + col] = 1;
      col++;
    }
  }
  const others = tf.reshape(tf.matMul(flat, tf.tensor2d(sel, [k, k * (k - 1)])), [-1, k, k - 1]);
  const lseOthers = tf.logSumExp(others, -1); // [P, K]
  const lseAll = tf.logSumExp(flat, -1, true); // [P, 1]
  return tf.reshape(tf.sub(lseOthers, lseAll), logits.shape) as tf.Tensor4D;
}

export const boundaryAwareLoss = defineLoss<BoundaryAwareParams, 'boundary-aware'>({
  id: 'boundary-aware',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Boundary-aware Loss',
  category: 'boundary',
  citation: {
    authors: ['Zeeshan Hayder', 'Xuming He', 'Mathieu Salzmann'],
    title: 'Boundary-aware Instance Segmentation',
    venue: 'CVPR 2017',
    year: 2017,
    arxiv: '1612.03129',
    url: 'https://arxiv.org/abs/1612.03129',
  },
  summary: 'Cross-entropy on quantised, truncated distance-to-boundary bins instead of binary labels.',
  useWhen: 'When the mask should be encoded as distances so that inaccurate boxes or boundaries are tolerated.',
  needs: ['distance-map'],
  binaryOnly: false,
  hasReferenceCode: false,
  // The implementation.
  status: 'implemented',
  formula: String.raw`\mathcal{L}=\frac1P\sum_{n,i}\sum_{k=1}^{K}-\Big[b_{nik}\log q_{nik}+(1-b_{nik})\log(1-q_{nik})\Big],\quad b=\mathrm{onehot}\Big(\Big\lfloor\tfrac{K\,\min(\lceil\mathrm{EDT}(t>0)\rceil,R)}{R+1}\Big\rfloor\Big)`,
  reference: [
    {
      repo: 'none (paper port)',
      path: 'Hayder, He & Salzmann, CVPR 2017, §3.1',
      symbol: 'truncated distance transform + K binary cross-entropies',
      note: 'no public code; SPEC §4.3 fixes the mapping to logits (K = C bins) and the port choices',
    },
  ],
  params: {
    R: {
      kind: 'number',
      label: 'truncation R',
      default: null,
      min: 1,
      max: 256,
      step: 1,
      integer: true,
      nullMeaning: 'K − 1: each integer distance 0..K−1 gets its own bin',
      doc: 'Distances are truncated at R before being quantised into K uniform bins of width (R+1)/K.',
    },
    activation: {
      kind: 'enum',
      label: 'activation',
      default: 'softmax',
      doc: 'How the K maps are turned into probabilities.',
      options: [
        { value: 'softmax', label: 'softmax over bins', doc: 'The bins are mutually exclusive classes.' },
        {
          value: 'sigmoid',
          label: 'independent sigmoids (paper)',
          doc: 'One sigmoid per bin map, as the paper’s independent binary maps.',
        },
      ],
    },
  },
  variants: [
    {
      param: 'activation',
      value: 'sigmoid',
      label: 'independent binary maps',
      doc: 'The paper trains K independent binary maps (sigmoid per map); the default treats the bins as one softmax over K classes, consistent with the rest of the library.',
    },
    {
      param: 'R',
      value: 6,
      label: 'coarser bins (R > K − 1)',
      doc: 'With R larger than K − 1 each bin covers several integer distances, as in the paper (K = 5 bins of a distance truncated at R).',
    },
  ],
  pitfalls: [
    {
      where: 'survey eq. 27',
      text: 'The survey summarises the loss as a weighted BCE per bin map but gives neither K, R nor the weights; the paper’s code is Caffe and unpublished, so any implementation (this one included) fixes these choices itself.',
    },
    {
      where: 'scipy.ndimage.distance_transform_edt',
      text: 'An object covering the whole image has no boundary; calling EDT on it would return SciPy’s (−1, 0) artifact. This port sets D = R there explicitly.',
    },
  ],
  notes: [
    'The logit channels are the K = C distance bins, not semantic classes; with K = 2 the loss is binary foreground/background BCE summed over both maps.',
    'No epsilon: log q = logSoftmax, log(1 − q_k) = logsumexp_{j≠k} x_j − logsumexp_j x_j (softmax), and −softplus(∓x) (sigmoid), all exact in float32.',
    'The bin map is cached per ground truth and R (key boundary-aware:bins:K=…:R=…).',
  ],
  compute(logits, _target, params, ctx) {
    const [n, h, w, k] = logits.shape;
    const R = params.R ?? k - 1;
    const bins = ctx.memo(`boundary-aware:bins:K=${k}:R=${R}`, () => {
      const map = perImageMap(ctx, (img) => truncatedDistanceBins(img, h, w, k, R));
      return tf.tidy(
        () =>
          tf.cast(
            tf.reshape(tf.oneHot(tf.tensor1d(Int32Array.from(map), 'int32'), k), [n, h, w, k]),
            'float32',
          ) as tf.Tensor4D,
      );
    });
    const notBins = ctx.memo(`boundary-aware:not-bins:K=${k}:R=${R}`, () => tf.sub(1, bins) as tf.Tensor4D);
    const m = n * h * w;
    const sigmoid = params.activation === 'sigmoid';
    // Value and exact closed-form gradient in one custom op (tf.customGrad), with w = 1 − b:
    // - sigmoid: ∂L/∂x = −(1/M)(b σ(−x) − w σ(x));
    // - softmax: ∂/∂x_j Σ_c w_c log q_c = p_j (Σ_{c≠j} w_c / q_c − Σ_c w_c) with q_c = 1 − p_c = Σ_{c'≠c} p_c',
    //   and b one-hot (Σ b = 1, Σ w = K − 1), so
    //   ∂L/∂x = −(1/M)[ b q − 2 w p + p ⊙ (J − I)(w p / q) ]   (no cancellation: every term but −2wp is ≥ 0),
    //   with p = exp(log p), q = exp(log(1 − p)) from the exact logs of the forward (q floored at 1e−30 in the
    //   ratio, which only matters for logits more than ~69 apart).
    if (!sigmoid && k === 2) {
      // Two bins, softmax: log(1 − q_0) = log q_1 and vice versa, and b is one-hot, so the K binary
      // cross-entropies are twice the cross-entropy, L = −(2/M) Σ b ⊙ log q (the same terms, summed in another
      // order), with ∂L/∂x_0 = (2/M)(q_0 b_1 − q_1 b_0) = −∂L/∂x_1 (q_0 − b_0 without cancellation): one product
      // with the memoised [b_1, −b_0] and one MatMul, p from the softmax memoised per engine update. The sum is
      // staged (ops/staged-sum.ts): on wasm one float32 pass over 256² pixels drifts by ~1e−5 relative.
      const signed = ctx.memo(`boundary-aware:signed-bins:R=${R}`, () =>
        tf.tidy(() => pixelMatMul(bins, [0, -1, 1, 0], 2, 2)),
      ) as tf.Tensor4D;
      const f2 = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
        const x = args[0] as tf.Tensor4D;
        (args[1] as tf.GradSaveFunc)([softmax(x), signed]);
        return {
          value: tf.mul(stagedSum(tf.mul(bins, logSoftmax(x))), -2 / m),
          gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
            const [ps, e] = saved as [tf.Tensor4D, tf.Tensor4D];
            return tf.mul(pixelMatMul(tf.mul(ps, e), [1, -1, 1, -1], 2, 2), tf.mul(dy, 2 / m));
          },
        };
      });
      return tf.tidy(() => f2(logits) as tf.Scalar);
    }
    const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const x = args[0] as tf.Tensor4D;
      const logQ = sigmoid ? tf.neg(tf.softplus(tf.neg(x))) : logSoftmax(x);
      // two bins: log(1 − q_0) = log q_1 and vice versa, exactly; a swap of the columns (no logSumExp)
      const log1mQ = sigmoid
        ? tf.neg(tf.softplus(x))
        : k === 2
          ? pixelMatMul(logQ, [0, 1, 1, 0], 2, 2)
          : logOneMinusSoftmax(x);
      (args[1] as tf.GradSaveFunc)([logQ, log1mQ, bins, notBins]);
      const perMap = tf.add(tf.mul(bins, logQ), tf.mul(notBins, log1mQ));
      return {
        value: tf.div(tf.neg(tf.sum(perMap)), m),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [lq, l1q, b, nb] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
          const p = tf.exp(lq);
          const q = tf.exp(l1q);
          let g: tf.Tensor;
          if (sigmoid) g = tf.sub(tf.mul(b, q), tf.mul(nb, p));
          else {
            const wp = tf.mul(nb, p);
            const ratio = tf.div(wp, tf.maximum(q, 1e-30));
            g = tf.add(tf.sub(tf.mul(b, q), tf.mul(wp, 2)), tf.mul(p, complementProbabilities(ratio)));
          }
          return tf.mul(g, tf.div(dy, -m));
        },
      };
    });
    return tf.tidy(() => f(logits) as tf.Scalar);
  },
});
