/**
 * Generalised Wasserstein Dice loss (GWDL): a Dice-like ratio built from the per-pixel Wasserstein distance
 * between the predicted class distribution and the one-hot label, under a class-distance matrix M.
 * Paper: Fidon, Li, Garcia-Peraza-Herrera, Ekanayake, Kitchen, Ourselin & Vercauteren, "Generalised
 *   Wasserstein Dice Score for Imbalanced Multi-class Segmentation using Holistic Convolutional Networks",
 *   BrainLes @ MICCAI 2017 (arXiv 1707.00478), eqs. 6–9; survey eq. 9 (garbled, see pitfalls).
 * Reference: LucasFidon/GeneralizedWassersteinDiceLoss@4aa35abb07
 *   generalized_wasserstein_dice_loss/loss.py::GeneralizedWassersteinDiceLoss (the author's code).
 *
 *   W_i = Σ_c M[t_i, c] p_ic        (closed form: the label is one-hot)
 *   default (paper): TP_n = Σ_i a_{t_i} (1 − W_i), a_0 = 0, a_{c≥1} = 1;   denom_n = 2 TP_n + Σ_i W_i
 *   GDL:             TP_n = Σ_i a_{t_i} (1 − W_i), a_c = 1/(V_c + 1);       denom_n = Σ_i a_{t_i} (2 − W_i)
 *   L = mean_n [ 1 − (2 TP_n + ε) / (denom_n + ε) ],   ε = 2^−52 (np.spacing(1))
 *
 * M is divided by its maximum when that maximum is not 1. V_c is the pixel count of class c in image n.
 *
 * float32: with E_n = Σ_i e_i W_i (e ≡ 1, or e = a_t for GDL) both modes have denom_n = 2 TP_n + E_n, so with
 * S_n = 2 TP_n + ε the loss is L_n = E_n / (E_n + S_n). This is the same value as 1 − ratio, but
 *   - near a perfect prediction it avoids the cancellation of 1 − ratio (value 1.5e-3 needs 1e-7 absolute), and
 *   - its gradient is written by hand (TailMath.ratio, ops/tail-math.ts): ∂L/∂E = S/(E+S)², ∂L/∂S = −E/(E+S)². Autodiff of E/(E+S)
 *     would give 1/(E+S) − E/(E+S)², a cancellation that leaves ~1e-9 of noise for a background-only image
 *     (TP = 0, true gradient ε·S/E² ≈ 1e-19); autodiff of the older form 1/(1 + S/E) needed E² and gave an
 *     all-NaN gradient once E underflowed (every correct logit leading by ≳ 80, issue 14 §1.4).
 * S ≥ ε > 0, so no clamp is needed: E = 0 (softmax exactly one-hot) gives L = 0 with zero gradient. ε = 2^−52 is
 * kept as in the reference (it is representable in float32 and decides the background-only value
 * 1 − ε/(E+ε) = 1).
 */
import { smallTail } from '../../ops/small-tail';
import { oneHotPair, softmaxClassSums } from '../../ops/softmax-class-sums';
import { tf } from '../../tf';
import { defineLoss } from '../define';

export type GwdlParams = { distMatrix: number[][] | null; weightingMode: 'default' | 'GDL' };

/** np.spacing(1) = 2^−52, the reference's smoothing. */
export const GWDL_EPSILON = 2 ** -52;

/** The distance matrix actually used: 1 − I by default, otherwise M / max(M) when max(M) ≠ 1. */
export function normalisedDistMatrix(m: number[][] | null, numClasses: number): number[][] {
  if (m === null)
    return Array.from({ length: numClasses }, (_, i) =>
      Array.from({ length: numClasses }, (_, j) => (i === j ? 0 : 1)),
    );
  const max = Math.max(...m.flat());
  return max !== 1 && max > 0 ? m.map((row) => row.map((v) => v / max)) : m.map((row) => [...row]);
}

export const generalisedWassersteinDiceLoss = defineLoss<GwdlParams, 'generalised-wasserstein-dice'>({
  id: 'generalised-wasserstein-dice',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Generalised Wasserstein Dice Loss',
  category: 'region',
  citation: {
    authors: [
      'Lucas Fidon',
      'Wenqi Li',
      'Luis C. Garcia-Peraza-Herrera',
      'Jinendra Ekanayake',
      'Neil Kitchen',
      'Sébastien Ourselin',
      'Tom Vercauteren',
    ],
    title:
      'Generalised Wasserstein Dice Score for Imbalanced Multi-class Segmentation using Holistic Convolutional Networks',
    venue: 'BrainLes workshop @ MICCAI 2017 (LNCS 10670)',
    year: 2017,
    arxiv: '1707.00478',
    url: 'https://arxiv.org/abs/1707.00478',
  },
  summary: 'Dice in which confusing two classes costs their distance in a class-distance matrix.',
  useWhen: 'Classes with a known similarity structure (nested tumour regions, left/right organs).',
  needs: [],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  formula: String.raw`W_{ni}=\sum_{c}M_{t_{ni},c}\,p_{nic},\quad TP_n=\sum_i a_{t_{ni}}(1-W_{ni}),\quad \mathcal{L}_{GWDL}=\operatorname*{mean}_n\left[1-\frac{2\,TP_n+\epsilon}{2\,TP_n+\sum_i W_{ni}+\epsilon}\right]`,
  reference: [
    {
      repo: 'LucasFidon/GeneralizedWassersteinDiceLoss',
      commit: '4aa35abb07',
      path: 'generalized_wasserstein_dice_loss/loss.py',
      symbol: 'GeneralizedWassersteinDiceLoss',
      note: "author's code; weighting_mode 'default' and 'GDL'",
    },
    {
      repo: 'Project-MONAI/MONAI',
      commit: 'd388d1c6fec8cb3a0eebee5b5a0b9776ca59ca83',
      path: 'monai/losses/dice.py',
      symbol: 'GeneralizedWassersteinDiceLoss',
      note: 'agrees only for batch size 1 (see pitfalls)',
    },
  ],
  params: {
    distMatrix: {
      kind: 'matrix',
      label: 'distance matrix M',
      default: null,
      nullMeaning: '1 − I: all classes equidistant',
      doc: 'C×C class distances (zero diagonal): how much confusing class i for class j costs. Divided by its maximum when that is not 1.',
    },
    weightingMode: {
      kind: 'enum',
      label: 'weighting',
      default: 'default',
      options: [
        {
          value: 'default',
          label: 'paper (background weight 0)',
          doc: 'α = 0 for background and 1 for every other class; denominator 2·TP + Σ W.',
        },
        {
          value: 'GDL',
          label: 'GDL (inverse volume)',
          doc: 'α_c = 1/(V_c + 1) from the class volumes of each image, applied to the error term too: denominator Σ α_t (2 − W).',
        },
      ],
      doc: 'Class weights of the generalised true positives.',
    },
  },
  variants: [
    {
      param: 'weightingMode',
      value: 'GDL',
      label: 'GDL weighting',
      doc: 'Generalised-Dice style inverse-volume weights (the author’s second mode), also weighting the error term.',
    },
  ],
  pitfalls: [
    {
      where: 'MONAI GeneralizedWassersteinDiceLoss (d388d1c)',
      text: 'Batch bug: in _compute_generalized_true_positive alpha (B,1,S) times the Wasserstein map (B,S) broadcasts to (B,B,S) and is summed over dims [1,2], mixing the images of a batch. It agrees with the author’s code only for batch size 1.',
    },
    {
      where: 'MONAI GeneralizedWassersteinDiceLoss',
      text: 'Smooths with 1e-5 (smooth_nr = smooth_dr) instead of the author’s ε = np.spacing(1).',
    },
    {
      where: 'survey eq. 9',
      text: 'Writes −Σ_n Σ_c M_{c,c} t y, which uses only the zero diagonal of M: not the GWDL. It also claims linear programming is needed; with one-hot labels the distance has a closed form.',
    },
    {
      where: 'background-only image (default weighting)',
      text: 'TP = 0 so the loss is ≈ 1 whatever the prediction, with a gradient of order ε ≈ 2e-16: such images teach nothing.',
    },
  ],
  notes: [
    'ε = 2^−52 (np.spacing(1)) as in the reference.',
    'Evaluated as E/(E + 2TP + ε) with E = Σ e_i W_i and a hand-written gradient (see the file header): exact in value and gradient in float32 near a perfect prediction, for background-only images and when every wrong-class probability underflows (correct logits leading by ≥ 88).',
  ],
  compute(logits, _target, params, ctx) {
    return tf.tidy(() => {
      const [n, h, w, c] = logits.shape;
      const m = normalisedDistMatrix(params.distMatrix, c);
      const gdl = params.weightingMode === 'GDL';
      // Constant per-pixel rows M[t_i, ·] and per-pixel weights a_{t_i} (depend only on the labels).
      const key = `gwdl:${JSON.stringify(m)}:${params.weightingMode}`;
      // An array (not an object) so that the context keeps and later disposes both tensors.
      const [rows, alpha] = ctx.memo(key, (): [tf.Tensor4D, tf.Tensor3D] => {
        const rowData = new Float32Array(n * h * w * c);
        const alphaData = new Float32Array(n * h * w);
        const counts = ctx.classCounts();
        ctx.labels.forEach((t, i) => {
          rowData.set(m[t] as number[], i * c);
          const img = Math.floor(i / (h * w));
          alphaData[i] = gdl ? 1 / (((counts[img] as number[])[t] as number) + 1) : t === 0 ? 0 : 1;
        });
        return [tf.tensor4d(rowData, [n, h, w, c]), tf.tensor3d(alphaData, [n, h, w])];
      });
      // W_i = Σ_c p_c M[t_i, c] is linear in p, and so are TP = Σ_i a_i (1 − W_i) = Σ_i Σ_c p_c a_i (1 − M[t_i, c])
      // (Σ_c p_c = 1; a sum of non-negative terms) and E = Σ_i (a_i) W_i: both from softmaxClassSums with
      // constant maps (closed-form gradient), the maps memoised with the ground truth
      const [tpMap, eMap] = ctx.memo(`${key}:maps`, () =>
        tf.tidy(() => {
          const a = tf.expandDims(alpha, -1);
          return [tf.mul(a, tf.sub(1, rows)), gdl ? tf.mul(a, rows) : rows.clone()];
        }),
      ) as [tf.Tensor4D, tf.Tensor4D];
      const sums = softmaxClassSums(
        logits,
        oneHotPair(ctx),
        [
          { of: 'p', weight: tpMap },
          { of: 'p', weight: eMap },
        ],
        false,
      );
      return smallTail(sums, [], (m, all) => {
        const [tp, e] = m.unstack(m.sum(all, -1)) as [typeof all, typeof all];
        return m.mean(m.ratio(e, m.add(m.mul(2, tp), GWDL_EPSILON)));
      });
    });
  },
});
