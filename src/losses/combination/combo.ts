/**
 * Combo loss: weighted binary cross-entropy minus a weighted Dice coefficient.
 * Paper: Taghanaki, Zheng, Zhou, Georgescu, Sharma, Xu, Comaniciu & Hamarneh, "Combo loss: Handling input and
 *   output imbalance in multi-organ segmentation", CMIG 75 (2019) (arXiv 1805.02798), eq. 3; survey eq. 32.
 * Reference (port, sign corrected): asgsaeid/ComboLoss@86d62479 combo_loss.py::Combo_loss (the authors' Keras
 *   code: flattens the whole tensor, i.e. one global Dice and one mean BCE over the selected channels).
 *
 *   p̃ = clip(p, ε, 1−ε),   D = (2 Σ p y + s) / (Σ y + Σ p + s)
 *   L = α · mean(−[β y log p̃ + (1−β)(1−y) log(1−p̃)]) − (1−α) · D
 *
 * Sums and the mean run over every image, pixel and selected class 𝒞 (default foreground 1..C−1; for C = 2 the
 * reference's binary use with the softmax foreground channel as its sigmoid output). D is Dice's sums
 * (region/dice.ts) pooled over the batch, 1 − p̃ the cancellation-free complement of
 * ops/complement.ts; value and closed-form gradient are one custom-gradient op (see compute).
 */
import { complementProbabilities } from '../../ops/complement';
import { equalMask } from '../../ops/equal-mask';
import { readFloats } from '../../ops/host-read';
import { affineOfYHost } from '../../ops/host-sums-backward';
import { pixelMatMul } from '../../ops/pixel-matmul';
import { logSoftmax, softmax } from '../../ops/probabilities';
import { sumPerClass } from '../../ops/reductions';
import { tailsOnHost } from '../../ops/small-tail';
import { affineOfY, oneHotPair } from '../../ops/softmax-class-sums';
import { stagedSum } from '../../ops/staged-sum';
import { tf } from '../../tf';
import { defineLoss } from '../define';
import { classRange } from './terms';

export type ComboParams = {
  alpha: number;
  beta: number;
  smooth: number;
  epsilon: number;
  includeBackground: boolean;
  asgsaeidVerbatim: boolean;
};

export const comboLoss = defineLoss<ComboParams, 'combo'>({
  id: 'combo',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Combo Loss',
  category: 'combination',
  citation: {
    authors: [
      'Saeid Asgari Taghanaki',
      'Yefeng Zheng',
      'S. Kevin Zhou',
      'Bogdan Georgescu',
      'Puneet Sharma',
      'Daguang Xu',
      'Dorin Comaniciu',
      'Ghassan Hamarneh',
    ],
    title: 'Combo loss: Handling input and output imbalance in multi-organ segmentation',
    venue: 'Computerized Medical Imaging and Graphics 75 (2019) 24-33',
    year: 2019,
    arxiv: '1805.02798',
    url: 'https://arxiv.org/abs/1805.02798',
  },
  summary: 'Weighted binary cross-entropy minus weighted Dice.',
  useWhen: "Mild imbalance; CE's smooth gradients plus Dice's robustness to class size.",
  needs: [],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  formula: String.raw`\mathcal{L}_{Combo}=\alpha\,\operatorname{mean}\Big(-\big[\beta\,y\log\tilde p+(1-\beta)(1-y)\log(1-\tilde p)\big]\Big)-(1-\alpha)\,\frac{2\sum p\,y+s}{\sum y+\sum p+s},\quad \tilde p=\operatorname{clip}(p,\varepsilon,1-\varepsilon)`,
  reference: [
    {
      repo: 'asgsaeid/ComboLoss',
      commit: '86d62479ddf09e9ab8266d5c451d3bf5be3d9f8d',
      path: 'combo_loss.py',
      symbol: 'Combo_loss',
      note: 'Keras, ported; the sign of the background BCE term is corrected (see pitfalls and asgsaeidVerbatim)',
    },
    {
      repo: 'mlyg/unified-focal-loss',
      commit: '411c9c5c',
      path: 'loss_functions.py',
      symbol: 'combo_loss',
      note: 'correct sign',
    },
  ],
  params: {
    alpha: {
      kind: 'number',
      label: 'α (CE vs Dice)',
      default: 0.5,
      min: 0,
      max: 1,
      step: 0.05,
      doc: "Weight of the cross-entropy term; the Dice term gets 1 − α (the reference's ce_d_w).",
    },
    beta: {
      kind: 'number',
      label: 'β (FN vs FP)',
      default: 0.5,
      min: 0,
      max: 1,
      step: 0.05,
      doc: "Weight of the foreground log-term; β > 0.5 penalises false negatives more than false positives (the reference's ce_w).",
    },
    smooth: {
      kind: 'number',
      label: 'smoothing s',
      default: 1,
      min: 0,
      max: 10,
      scale: 'log',
      doc: 'Added to numerator and denominator of the Dice coefficient.',
    },
    epsilon: {
      kind: 'number',
      label: 'clip ε',
      default: 1e-7,
      min: 1e-12,
      max: 0.1,
      scale: 'log',
      doc: 'Probabilities are clipped to [ε, 1 − ε] before the logs (Keras K.epsilon()); no gradient flows through a clipped value.',
    },
    includeBackground: {
      kind: 'boolean',
      label: 'include background',
      default: false,
      doc: 'Also flatten channel 0 into the BCE and Dice terms (default: foreground channels 1..C−1 only).',
    },
    asgsaeidVerbatim: {
      kind: 'boolean',
      label: 'official sign bug',
      default: false,
      doc: "Reproduce the official line −(β y log p) + ((1−β)(1−y) log(1−p)): the background term's sign is flipped, so it rewards false positives.",
    },
  },
  variants: [
    {
      param: 'asgsaeidVerbatim',
      value: true,
      label: 'official code, literally (sign bug)',
      doc: 'asgsaeid/ComboLoss at HEAD keeps the wrong sign on the background term (issues #4, #5); the value then falls as background probabilities rise.',
    },
    {
      param: 'includeBackground',
      value: true,
      label: 'all channels',
      doc: 'Flatten every channel, as the Keras code does when handed the full one-hot tensor.',
    },
  ],
  pitfalls: [
    {
      where: 'asgsaeid/ComboLoss combo_loss.py (HEAD 86d6247)',
      text: 'out = −(ce_w·y·log p) + ((1−ce_w)(1−y)·log(1−p)): the background term has the wrong sign, so minimising the loss pushes p → 1 on background (rewards false positives). The paper’s typo was acknowledged (issues #4, #5); the code was not fixed.',
    },
    {
      where: 'YilmazKadir/Segmentation_Losses (survey repo) losses/combo.py',
      text: 'A verbatim copy of its (buggy) DiceLoss renamed ComboLoss: no cross-entropy term and no α/β at all.',
    },
    {
      where: 'survey eq. 32',
      text: 'Writes αL_WCE + (1−α)L_Dice with the Dice loss; the original subtracts the Dice coefficient. Same gradient, values differ by the constant 1 − α.',
    },
  ],
  notes: [
    'Epsilons: the reference clip ε = 1e-7 before both logs; 1 − p̃ is clip(Σ_{k≠c} p_k, ε, 1 − ε), the cancellation-free complement (1 − p in float32 keeps only ~6e-8 absolute near p = 1). The Dice ratio needs no epsilon besides s.',
    'The value is negative near a good prediction: its minimum is −(1 − α), approached as the prediction becomes confident and correct (D → 1, BCE → −log(1 − ε) ≈ 1e-7); the golden `perfect` case gives −0.4990.',
  ],
  compute(logits, _target, params, ctx) {
    const c = logits.shape[3];
    const classes = classRange(c, params.includeBackground);
    const gt = oneHotPair(ctx);
    const { y, totals } = gt;
    // the selected classes as a 0/1 vector: the full-size work runs over all classes (no slices of the class
    // axis, slow on wasm) and the mask zeroes the others, exactly (each term is finite)
    const mask = ctx.memo(`combo:mask:${params.includeBackground}`, () =>
      tf.tensor1d(Array.from({ length: c }, (_, k) => (classes.includes(k) ? 1 : 0))),
    );
    // y and 1 − y on the selected classes only (0 on the others), memoised
    const [ym, notYm] = ctx.memo(`combo:masked-one-hot:${params.includeBackground}`, () =>
      tf.tidy(() => [tf.mul(y, mask), tf.mul(gt.notY, mask)]),
    ) as [tf.Tensor4D, tf.Tensor4D];
    const truth = ctx.memo(`combo:truth:${params.includeBackground}`, () =>
      tf.tidy(() => tf.sum(tf.mul((totals as NonNullable<typeof totals>).batch[0], mask))),
    );
    const { alpha, beta, epsilon: eps, smooth } = params;
    const count = logits.shape[0] * logits.shape[1] * logits.shape[2] * classes.length;
    // Sign of the second BCE term: corrected −β y log p̃ − (1−β)(1−y) log q̃; official −β y log p̃ + (1−β)(1−y) log q̃.
    const sBg = params.asgsaeidVerbatim ? 1 : -1;
    // Closed form (tf.customGrad): with D = num / den, num = 2I + s, den = G + S + s over the selected classes,
    //   ∂L/∂p_ic = m_c [ −(α / M) β y / p̃ · 1[p̃ = p] − (1−α)(2y / den − num / den²) ],
    //   ∂L/∂q_ic = m_c (α / M) sBg (1−β)(1−y) / q̃ · 1[q̃ = q]
    // (clip's gradient is 1 inside [ε, 1−ε], both ends included, as tf.clipByValue's); q_c = Σ_{c'≠c} p_c', so
    // ∂L/∂q reaches the other classes through the same complement, then the softmax backward p ⊙ (g − Σ_c g p).
    // the Dice part's ∂/∂p: m ⊙ −(1−α)(2y/den − num/den²) = (a m)·y + (b m), one MatMul with [y | 1] (affineOfY)
    const diceGrad = (
      dy: tf.Tensor,
      ms: tf.Tensor,
      nums: tf.Tensor,
      dens: tf.Tensor,
      like: tf.Tensor4D,
      yy: tf.Tensor,
    ) => {
      if (tailsOnHost() && yy.rank === 3) {
        // the same coefficients from a few numbers on the host (ops/host-sums-backward.ts)
        const [d, m, num, den] = [dy, ms, nums, dens].map(readFloats) as [
          Float32Array,
          Float32Array,
          Float32Array,
          Float32Array,
        ];
        const [g, nm, dn] = [d[0], num[0], den[0]] as [number, number, number];
        const onY = Array.from(m, (mc) => (mc * (-2 * (1 - alpha) * g)) / dn);
        const constant = Array.from(m, (mc) => (mc * ((1 - alpha) * nm * g)) / (dn * dn));
        return affineOfYHost(yy as tf.Tensor3D, constant, onY, 1, like.shape);
      }
      const a = tf.mul(ms, tf.div(tf.mul(-2 * (1 - alpha), dy), dens));
      const b = tf.mul(ms, tf.div(tf.mul(tf.mul(1 - alpha, nums), dy), tf.square(dens)));
      // the saved y is [y | 1] when the context made one ([N, H·W, C + 1]), else the one-hot itself
      const pair =
        yy.rank === 3
          ? { y: like, notY: like, yOne: yy as tf.Tensor3D }
          : { y: yy as tf.Tensor4D, notY: yy as tf.Tensor4D };
      return affineOfY(pair, b, a);
    };
    const diceSums = (p: tf.Tensor4D) => {
      const inter = tf.sum(sumPerClass(tf.mul(p, ym) as tf.Tensor4D, true));
      const pred = tf.sum(tf.mul(sumPerClass(p, true), mask));
      return [tf.add(tf.mul(2, inter), smooth), tf.add(tf.add(truth, pred), smooth)] as [tf.Scalar, tf.Scalar];
    };
    if (c === 2) {
      // Two classes (the reference's binary use): q = p with its columns swapped, exactly, so log q̃_c = log p̃_c'
      // and the BCE is one sum −Σ A ⊙ log p̃ with the constant A = β y m ± (1−β) swap((1 − y) m) (memoised; − for the
      // official sign bug).
      // log p̃ = clip(log p, log ε, log(1 − ε)) (ε, 1 − ε as float32, as the reference's clip) from the memoised
      // logSoftmax: no Log kernel. ∂L/∂log p = −(α/M) A ⊙ 1[inside] + p ⊙ ∂(Dice part)/∂p =: G, and the softmax
      // backward is ∂L/∂x_0 = p_1 G_0 − p_0 G_1 = −∂L/∂x_1 (one MatMul, no cancellation).
      const coefA = ctx.memo(`combo:bce-coefficients:${params.includeBackground}:${beta}:${sBg}`, () =>
        tf.tidy(() => tf.add(tf.mul(beta, ym), tf.mul(-sBg * (1 - beta), complementProbabilities(notYm)))),
      ) as tf.Tensor4D;
      const [logLo, logHi] = [Math.log(Math.fround(eps)), Math.log(Math.fround(1 - eps))];
      const f2 = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
        const x = args[0] as tf.Tensor4D;
        const p = softmax(x);
        const logpRaw = logSoftmax(x);
        const logp = tf.clipByValue(logpRaw, logLo, logHi);
        const [num, den] = diceSums(p);
        (args[1] as tf.GradSaveFunc)([p, logp, logpRaw, coefA, mask, num, den, gt.yOne ?? y]);
        return {
          value: tf.sub(tf.mul(-alpha / count, stagedSum(tf.mul(coefA, logp))), tf.mul(1 - alpha, tf.div(num, den))),
          gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
            const [ps, lps, lpRaws, as, ms, nums, dens, yy] = saved as tf.Tensor4D[];
            const p = ps as tf.Tensor4D;
            const bce = tf.mul(
              tf.mul(as as tf.Tensor, equalMask(lps as tf.Tensor, lpRaws as tf.Tensor)),
              tf.mul(dy, -alpha / count),
            );
            const g = tf.add(
              tf.mul(p, diceGrad(dy, ms as tf.Tensor, nums as tf.Tensor, dens as tf.Tensor, p, yy as tf.Tensor)),
              bce,
            );
            return pixelMatMul(tf.mul(complementProbabilities(p), g), [1, -1, -1, 1], 2, 2) as tf.Tensor4D;
          },
        };
      });
      return tf.tidy(() => f2(logits) as tf.Scalar);
    }
    const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const x = args[0] as tf.Tensor4D;
      const p = softmax(x);
      const q = complementProbabilities(p);
      const pc = tf.clipByValue(p, eps, 1 - eps);
      const qc = tf.clipByValue(q, eps, 1 - eps);
      const fg = tf.mul(beta, tf.mul(ym, tf.log(pc)));
      const bg = tf.mul(1 - beta, tf.mul(notYm, tf.log(qc)));
      const bce = params.asgsaeidVerbatim ? tf.sub(bg, fg) : tf.neg(tf.add(fg, bg));
      const [num, den] = diceSums(p);
      (args[1] as tf.GradSaveFunc)([p, q, pc, qc, ym, notYm, mask, num, den, gt.yOne ?? y]);
      return {
        value: tf.sub(tf.mul(alpha / count, stagedSum(bce)), tf.mul(1 - alpha, tf.div(num, den))),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [ps, qs, pcs, qcs, yms, nyms, ms, nums, dens, yOne] = saved as tf.Tensor[] as [
            tf.Tensor4D,
            tf.Tensor4D,
            tf.Tensor4D,
            tf.Tensor4D,
            tf.Tensor4D,
            tf.Tensor4D,
            tf.Tensor1D,
            tf.Scalar,
            tf.Scalar,
            tf.Tensor,
          ];
          const fgGrad = tf.div(tf.mul(yms, equalMask(pcs, ps)), pcs);
          const bgGrad = tf.div(tf.mul(nyms, equalMask(qcs, qs)), qcs);
          const dice = diceGrad(dy, ms, nums, dens, ps, yOne);
          const gp = tf.add(tf.mul(fgGrad, tf.mul(dy, (-alpha * beta) / count)), dice);
          const gq = tf.mul(bgGrad, tf.mul(dy, (alpha * sBg * (1 - beta)) / count));
          const g = tf.add(gp, complementProbabilities(gq));
          return tf.mul(ps, tf.sub(g, tf.sum(tf.mul(g, ps), -1, true)));
        },
      };
    });
    return tf.tidy(() => f(logits) as tf.Scalar);
  },
});
