/**
 * Unified Focal loss (asymmetric, binary): a weighted sum of a modified focal loss and a modified focal
 * Tversky loss that share δ (FN/FP balance) and γ (suppression/enhancement).
 * Paper: Yeung, Sala, Schönlieb & Rundo, "Unified Focal loss: Generalising Dice and cross entropy-based losses
 *   to handle class imbalanced medical image segmentation", Comput. Med. Imaging Graph. 95 (2022) 102026
 *   (arXiv 2102.04525), eqs. 16–22; survey eq. 36.
 * Reference (port): mlyg/unified-focal-loss@411c9c5ce4 loss_functions.py::asym_unified_focal_loss (TF/Keras;
 *   the file does not compile as published, see pitfalls).
 *
 *   p̃ = clip(softmax(x), 1e−7, 1 − 1e−7),  per image n and class c ∈ {0, 1}:
 *   mTI_c = (TP_c + 1e−7) / (TP_c + δ FN_c + (1 − δ) FP_c + 1e−7)
 *   L_aFTL = mean_n ½ [ (1 − mTI_0) + (1 − mTI_1)^{1−γ} ]
 *   L_aFL  = (1/P) Σ_{n,i} [ (1 − δ)(1 − p̃_0)^γ (−y_0 log p̃_0) + δ (−y_1 log p̃_1) ]
 *   L = w L_aFTL + (1 − w) L_aFL          (official code: w multiplies the focal Tversky part)
 *
 * Built from the component losses' code: the per-pixel focal term is focal.ts's (1 − p)^γ (−log p) (written
 * out in unifiedFocalSums, which gives the per-pixel sums an exact closed-form gradient), 1 − mTI is
 * tversky.ts::tverskyComplement of TP/FP/FN (α = 1 − δ on FP, β = δ on FN), and the power is
 * focal-tversky.ts::focalTverskyTerm. The asymmetric and symmetric forms only differ in the
 * per-class (weight, γ) table below; the symmetric one was checked line by line against the same file's
 * sym_unified_focal_loss / symmetric_focal_loss / symmetric_focal_tversky_loss (no golden file for it).
 *
 * float32 and epsilons: the clip at 1e−7 is the reference's. log p̃ = clip(logSoftmax, log 1e−7, log(1 − 1e−7))
 * (exact, unlike log of a float32 p near 1) and 1 − p̃_c = clip(Σ_{c'≠c} p_{c'}, 1e−7, 1 − 1e−7) (for C = 2,
 * 1 − clip(p) = clip(1 − p) exactly). Tversky smoothing 1e−7 in numerator and denominator, as the reference.
 */
import { complementProbabilities } from '../../ops/complement';
import { equalMask } from '../../ops/equal-mask';
import { readFloats } from '../../ops/host-read';
import { affineOfYHost } from '../../ops/host-sums-backward';
import { pixelMatMul } from '../../ops/pixel-matmul';
import { logSoftmax, softmax } from '../../ops/probabilities';
import { sumPerClass } from '../../ops/reductions';
import { powScalar } from '../../ops/scalar-power';
import { smallTail, tailsOnHost } from '../../ops/small-tail';
import { affineOfY, type OneHotPair, oneHotPair } from '../../ops/softmax-class-sums';
import { tf } from '../../tf';
import { defineLoss } from '../define';
import { focalTverskyTerm } from '../region/focal-tversky';
import { tverskyComplement } from '../region/tversky';

export type UnifiedFocalParams = {
  weight: number;
  delta: number;
  gamma: number;
  weightOn: 'focal-tversky' | 'focal';
  form: 'asymmetric' | 'symmetric';
};

/** The reference's probability clip. */
export const UNIFIED_FOCAL_CLIP = 1e-7;
/** The reference's Tversky smoothing (numerator and denominator). */
export const UNIFIED_FOCAL_SMOOTH = 1e-7;

/** Per-class settings of the two parts: focal weight and exponent, focal-Tversky exponent, for c = 0, 1. */
export interface UnifiedFocalClassTerms {
  focalWeight: [number, number];
  focalGamma: [number, number];
  tverskyExponent: [number, number];
}

/**
 * Asymmetric (official): focal suppression only on background, focal-Tversky enhancement only on the rare
 * foreground class. Symmetric: both modifications on both classes (sym_unified_focal_loss).
 */
export function unifiedFocalClassTerms(
  form: 'asymmetric' | 'symmetric',
  delta: number,
  gamma: number,
): UnifiedFocalClassTerms {
  return {
    focalWeight: [1 - delta, delta],
    focalGamma: form === 'asymmetric' ? [gamma, 0] : [gamma, gamma],
    tverskyExponent: form === 'asymmetric' ? [1, 1 - gamma] : [1 - gamma, 1 - gamma],
  };
}

export const unifiedFocalLoss = defineLoss<UnifiedFocalParams, 'unified-focal'>({
  id: 'unified-focal',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Unified Focal Loss',
  category: 'combination',
  citation: {
    authors: ['Michael Yeung', 'Evis Sala', 'Carola-Bibiane Schönlieb', 'Leonardo Rundo'],
    title:
      'Unified Focal loss: Generalising Dice and cross entropy-based losses to handle class imbalanced medical image segmentation',
    venue: 'Computerized Medical Imaging and Graphics 95 (2022) 102026',
    year: 2022,
    arxiv: '2102.04525',
    url: 'https://arxiv.org/abs/2102.04525',
  },
  summary: 'Asymmetric focal loss plus asymmetric focal Tversky loss, tied by shared delta and gamma.',
  useWhen: 'Imbalanced binary medical segmentation with few hyperparameters.',
  needs: [],
  binaryOnly: true,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  formula: String.raw`\mathcal{L}_{aUF}=w\,\underbrace{\operatorname*{mean}_n\tfrac12\Big[(1-mTI_0)+(1-mTI_1)^{1-\gamma}\Big]}_{\mathcal{L}_{aFTL}}+(1-w)\,\underbrace{\frac1P\sum_{n,i}\Big[(1-\delta)(1-\tilde p_0)^{\gamma}(-y_0\log\tilde p_0)+\delta\,(-y_1\log\tilde p_1)\Big]}_{\mathcal{L}_{aFL}},\quad mTI_c=\frac{TP_c+10^{-7}}{TP_c+\delta FN_c+(1-\delta)FP_c+10^{-7}}`,
  reference: [
    {
      repo: 'mlyg/unified-focal-loss',
      commit: '411c9c5ce4',
      path: 'loss_functions.py',
      symbol: 'asym_unified_focal_loss',
      note: 'TF/Keras, ported line by line (the published file has an IndentationError)',
    },
    {
      repo: 'Project-MONAI/MONAI',
      commit: 'd388d1c6fec8cb3a0eebee5b5a0b9776ca59ca83',
      path: 'monai/losses/unified_focal_loss.py',
      symbol: 'AsymmetricUnifiedFocalLoss',
      note: 'MONAI(weight = 1 − w) equals the port(w); MONAI defaults to δ = 0.7',
    },
  ],
  params: {
    weight: {
      kind: 'number',
      label: 'weight w',
      default: 0.5,
      min: 0,
      max: 1,
      step: 0.05,
      doc: 'Mix of the two parts. In the official code w multiplies the focal Tversky part (see weightOn).',
    },
    delta: {
      kind: 'number',
      label: 'δ (FN vs FP, class balance)',
      default: 0.6,
      min: 0,
      max: 1,
      step: 0.05,
      doc: 'Weight of false negatives in mTI (1 − δ on false positives) and of the foreground class in the focal part (1 − δ on background). Paper range 0.5–0.9.',
    },
    gamma: {
      kind: 'number',
      label: 'γ (suppression / enhancement)',
      default: 0.5,
      min: 0,
      max: 1,
      step: 0.05,
      doc: 'Focal exponent on background in the focal part and 1 − γ on the foreground focal Tversky term. γ = 0 removes both modifications. Paper range (0, 1].',
    },
    weightOn: {
      kind: 'enum',
      label: 'w multiplies',
      default: 'focal-tversky',
      options: [
        {
          value: 'focal-tversky',
          label: 'focal Tversky part (official code)',
          doc: 'L = w·L_aFTL + (1 − w)·L_aFL, as asym_unified_focal_loss computes it.',
        },
        {
          value: 'focal',
          label: 'focal part (paper, survey eq. 36, MONAI)',
          doc: 'L = λ·L_aFL + (1 − λ)·L_aFTL with λ = w: the paper’s and MONAI’s meaning. Same value at w = 0.5.',
        },
      ],
      doc: 'Which part the weight multiplies: the official code and the paper disagree.',
    },
    form: {
      kind: 'enum',
      label: 'form',
      default: 'asymmetric',
      options: [
        {
          value: 'asymmetric',
          label: 'asymmetric (official default)',
          doc: 'Focal suppression on background only, focal Tversky enhancement on the rare foreground only.',
        },
        {
          value: 'symmetric',
          label: 'symmetric',
          doc: 'Both modifications on both classes (sym_unified_focal_loss); no golden vectors, checked by a test against a float64 transcription of the official code.',
        },
      ],
      doc: 'Asymmetric or symmetric Unified Focal loss.',
    },
  },
  variants: [
    {
      param: 'weightOn',
      value: 'focal',
      label: 'paper/MONAI weight side',
      doc: 'The paper and survey eq. 36 write λL_F + (1 − λ)L_FT, and MONAI follows it: port(w) = MONAI(1 − w). Identical at w = 0.5.',
    },
    {
      param: 'delta',
      value: 0.7,
      label: 'MONAI δ = 0.7',
      doc: 'MONAI’s AsymmetricUnifiedFocalLoss defaults to δ = 0.7; the official code (and this loss) to 0.6.',
    },
    {
      param: 'form',
      value: 'symmetric',
      label: 'symmetric Unified Focal',
      doc: 'Applies focal suppression and focal-Tversky enhancement to both classes.',
    },
  ],
  pitfalls: [
    {
      where: 'mlyg/unified-focal-loss loss_functions.py @411c9c5',
      text: 'Does not compile: the docstring of asymmetric_focal_loss sits between the inner def and its body (IndentationError).',
    },
    {
      where: 'mlyg/unified-focal-loss vs paper',
      text: 'The code computes weight·FTL + (1 − weight)·FL, so its weight multiplies the focal Tversky term; the paper and survey put λ on the focal term.',
    },
    {
      where: 'MONAI AsymmetricUnifiedFocalLoss',
      text: 'Follows the paper’s weight side, defaults to δ = 0.7 (not 0.6), expects probabilities despite its docstring, raises if the target lacks the foreground class, and its docstrings state wrong γ defaults (MONAI #8689).',
    },
    {
      where: 'all references',
      text: 'Binary only: channels 0 and 1 are hard-coded (the paper also reports multi-class KiTS19 results).',
    },
  ],
  notes: [
    'Epsilons: the reference’s clip of p to [1e−7, 1 − 1e−7] (applied to logSoftmax and to Σ_{other} p, equivalent and exact in float32) and the Tversky smoothing 1e−7.',
    'Composed from focal.ts’s focal term, tversky.ts::tverskyComplement and focal-tversky.ts::focalTverskyTerm.',
  ],
  compute(logits, _target, params, ctx) {
    const { delta, gamma, weight } = params;
    const terms = unifiedFocalClassTerms(params.form, delta, gamma);
    const gt = oneHotPair(ctx);
    // y_c · a_c (the focal part's class weight on the target channel), the per-class focal weights, and the
    // per-class focal exponents as full-shape constants (0/1 class masks and γ_c): no broadcasting kernels
    const [yw, focalWeight, classMask0, classMask1, gammaMap] = ctx.memo(
      `unified-focal:${params.form}:${delta}:${gamma}`,
      () =>
        tf.tidy(() => {
          const masks = [0, 1].map((c) => tf.mul(tf.onesLike(gt.y), tf.tensor1d([1 - c, c])));
          return [
            tf.mul(gt.y, tf.tensor1d(terms.focalWeight)),
            tf.tensor1d(terms.focalWeight),
            ...masks,
            tf.mul(tf.onesLike(gt.y), tf.tensor1d(terms.focalGamma)),
          ];
        }),
    ) as [tf.Tensor4D, tf.Tensor1D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const powers: FocalPowers = { gammas: terms.focalGamma, classMasks: [classMask0, classMask1], gammaMap };
    return tf.tidy(() => {
      const [n, h, w] = logits.shape;
      const onFtl = params.weightOn === 'focal-tversky' ? weight : 1 - weight;
      return smallTail(unifiedFocalSums(logits, gt, yw, powers, focalWeight), [], (m, s) => {
        const [tp, fp, fn, focal] = m.unstack(s) as [typeof s, typeof s, typeof s, typeof s];
        // Focal Tversky part: per image and class, α = 1 − δ on FP, β = δ on FN; per-class exponents.
        const smooth = UNIFIED_FOCAL_SMOOTH;
        const oneMinusTI = tverskyComplement(m, { tp, fp, fn }, 1 - delta, delta, smooth, smooth);
        const ftl = m.mean(focalTverskyTerm(m, oneMinusTI, terms.tverskyExponent));
        // Focal part: the mean over pixels of the class-weighted focal term of the target channel.
        const fl = m.div(m.sum(focal), n * h * w);
        return m.add(m.mul(onFtl, ftl), m.mul(1 - onFtl, fl));
      });
    });
  },
});

/** The focal exponents γ_c of the two classes, with full-shape constants to apply them without broadcasts. */
interface FocalPowers {
  gammas: [number, number];
  /** 1 on class c's channel, 0 on the other. */
  classMasks: [tf.Tensor4D, tf.Tensor4D];
  /** γ_c on class c's channel. */
  gammaMap: tf.Tensor4D;
}

/** q^{γ_c} on each class's channel: one powScalar per distinct exponent (Square, Sqrt, … where exact; no broadcast Pow). */
function classPowers(q: tf.Tensor4D, f: FocalPowers): tf.Tensor4D {
  const [g0, g1] = f.gammas;
  if (g0 === g1) return powScalar(q, g0);
  const part = (g: number, mask: tf.Tensor4D) => (g === 0 ? mask : tf.mul(mask, powScalar(q, g)));
  return tf.add(part(g0, f.classMasks[0]), part(g1, f.classMasks[1]));
}

/** Columns swapped: for C = 2 the complement Σ_{c'≠c} v_c' (exact: a product with [[0, 1], [1, 0]]). */
function swapClasses(v: tf.Tensor): tf.Tensor4D {
  return complementProbabilities(v) as tf.Tensor4D;
}

/**
 * The per-(image, class) sums the loss depends on, [4, N, C]: TP = Σ p̃ y, FP = Σ p̃ (1 − y), FN = Σ q̃ y (p̃, q̃
 * clipped to [1e−7, 1 − 1e−7]) and the focal sums Σ_i y_c a_c q̃^{γ_c} (−ℓ_c), ℓ = clipped logSoftmax (focal.ts's
 * focal term; its floor max(q̃, 1e−30) is q̃ itself here, as q̃ ≥ 1e−7) — with the closed-form gradient
 * (tf.customGrad). C = 2 (binary only): q = p with its columns swapped, exactly, so q̃ = swap(p̃), FN is FP with
 * its classes swapped (the same products y_c p̃_c' summed), and 1[q̃ = q] = swap(1[p̃ = p]). For g = ∂L/∂S:
 *   ∂L/∂p̃_c = g_TP,c y_c + (g_FP,c + g_FN,c') y_c' + (y a g_F (−ℓ) γ q̃^{γ−1})_c'   (c' the other class),
 *   ∂L/∂ℓ = −g_F y a q̃^γ,
 * each through its clip (1 inside the bounds, ends included, as tf.clipByValue). With d = ∂L/∂p (through the clip)
 * and G = p ⊙ d + ∂L/∂ℓ (through its clip) the derivative with respect to log p, the softmax backward for two
 * classes is ∂L/∂x_0 = p_1 G_0 − p_0 G_1 = −∂L/∂x_1: one product of q ⊙ G with [[1, −1], [−1, 1]], no cancellation.
 */
function unifiedFocalSums(
  logits: tf.Tensor4D,
  gt: OneHotPair,
  yw: tf.Tensor4D,
  focal: FocalPowers,
  focalWeight: tf.Tensor1D,
): tf.Tensor3D {
  const lo = UNIFIED_FOCAL_CLIP;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor4D;
    const sm = softmax(x);
    const p = tf.clipByValue(sm, lo, 1 - lo);
    const qRaw = swapClasses(sm);
    const q = tf.clipByValue(qRaw, lo, 1 - lo);
    const logpRaw = logSoftmax(x);
    const logp = tf.clipByValue(logpRaw, Math.log(lo), Math.log1p(-lo));
    const sum = (v: tf.Tensor) => sumPerClass(v as tf.Tensor4D, false);
    const qG = classPowers(q, focal);
    const fp = sum(tf.mul(p, gt.notY));
    const fn = tf.reverse(fp, 1); // FN_c = Σ q̃_c y_c = Σ p̃_c' (1 − y_c') = FP_c'
    (args[1] as tf.GradSaveFunc)([sm, p, qRaw, q, logp, logpRaw, gt.yOne ?? gt.y, focalWeight, qG, focal.gammaMap]);
    return {
      value: tf.stack([sum(tf.mul(p, gt.y)), fp, fn, sum(tf.mul(yw, tf.mul(qG, tf.neg(logp))))]) as tf.Tensor3D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sms, ps, qRaws, qs, logps, logpRaws, yOnes, aw, qGs, gam] = saved as tf.Tensor4D[];
        const [dpLinear, ywg] = linearParts(dy as tf.Tensor3D, aw as tf.Tensor, sms as tf.Tensor4D, yOnes as tf.Tensor);
        // γ q̃^{γ−1} = γ q̃^γ / q̃ (q̃ ≥ 1e−7): no second power
        const dq = tf.mul(
          tf.mul(ywg, tf.neg(logps as tf.Tensor)),
          tf.div(tf.mul(gam as tf.Tensor, qGs as tf.Tensor), qs as tf.Tensor),
        );
        const d = tf.mul(tf.add(dpLinear, swapClasses(dq)), equalMask(ps as tf.Tensor, sms as tf.Tensor));
        const dl = tf.mul(tf.neg(tf.mul(ywg, qGs as tf.Tensor)), equalMask(logps as tf.Tensor, logpRaws as tf.Tensor));
        const g = tf.mul(qRaws as tf.Tensor, tf.add(tf.mul(sms as tf.Tensor, d), dl));
        return pixelMatMul(g, [1, -1, -1, 1], 2, 2) as tf.Tensor4D;
      },
    };
  });
  return f(logits) as tf.Tensor3D;
}

/**
 * The parts of the backward pass that are per-class affine maps of y, for g = ∂L/∂S ([4, N, 2]: TP, FP, FN,
 * focal): ∂L/∂p̃'s linear part g_TP y + g_FP (1 − y) + g_FN' (1 − y) = (g_FP + g_FN') + (g_TP − g_FP − g_FN') y
 * (y_c' = 1 − y_c), and y a g_F. Each is one MatMul with [y | 1] (no slow wasm broadcasts); the coefficient
 * matrices are built on the host where reading g is a memory copy (ops/host-sums-backward.ts), else on the tape.
 * `yy` is the saved [y | 1] when the context made one ([N, H·W, C + 1]), else y itself.
 */
function linearParts(dy: tf.Tensor3D, aw: tf.Tensor, like: tf.Tensor4D, yy: tf.Tensor): [tf.Tensor, tf.Tensor] {
  if (tailsOnHost() && yy.rank === 3) {
    const n = dy.shape[1];
    const g = readFloats(dy);
    const w = readFloats(aw);
    const at = (k: number, r: number, c: number) => g[(k * n + r) * 2 + c] as number;
    const a = new Float64Array(n * 2);
    const b = new Float64Array(n * 2);
    const e = new Float64Array(n * 2);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < 2; c++) {
        a[r * 2 + c] = at(1, r, c) + at(2, r, 1 - c); // g_FP + g_FN'
        b[r * 2 + c] = at(0, r, c) - (a[r * 2 + c] as number);
        e[r * 2 + c] = (w[c] as number) * at(3, r, c);
      }
    const yOne = yy as tf.Tensor3D;
    return [affineOfYHost(yOne, a, b, n, like.shape), affineOfYHost(yOne, null, e, n, like.shape)];
  }
  const pair =
    yy.rank === 3
      ? { y: like, notY: like, yOne: yy as tf.Tensor3D }
      : { y: yy as tf.Tensor4D, notY: yy as tf.Tensor4D };
  const [gTp, gFp, gFn, gF] = tf.unstack(tf.reshape(dy, [4, -1, 1, 1, 2])) as tf.Tensor[];
  const a = tf.add(gFp as tf.Tensor, tf.reverse(gFn as tf.Tensor, -1));
  return [affineOfY(pair, a, tf.sub(gTp as tf.Tensor, a)), affineOfY(pair, null, tf.mul(aw, gF as tf.Tensor))];
}
