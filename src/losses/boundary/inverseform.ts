/**
 * InverseForm loss, with SegLoss Explorer's OWN inverse-transformation network.
 * Paper: S. Borse, Y. Wang, Y. Zhang, F. Porikli, "InverseForm: A Loss Function for Structured
 *   Boundary-Aware Segmentation", CVPR 2021, arXiv:2104.02745; survey eq. 29.
 * Reference: Qualcomm-AI-research/InverseForm@d5fec5b065c9a3c7afab48db84071fc3537bad7a
 *   models/loss/utils.py::InverseTransform2D, JointEdgeSegLoss; models/InverseForm.py::InverseNet.
 *
 *   L_IF = (1/T) Σ_tiles ‖ f_φ(b̂_tile, b_tile) − θ_I ‖₂
 *
 * b̂ = soft boundary of the prediction: min(1, ½ Σ_c [max₃ₓ₃ p_c − min₃ₓ₃ p_c]), the morphological
 * gradient (3×3 max-pool minus 3×3 min-pool, built from shifted slices) of the softmax probabilities,
 * differentiable; b = the same operator on the one-hot ground truth (1 where some 8-neighbour has another
 * label; constant, ctx.memo). Both maps are resized bilinearly to (tilesY·32)×(tilesX·32) and cut into 32×32
 * tiles, as the paper resizes to 672×1344 and cuts 3×6 tiles of 224×224. f_φ is a FROZEN network that
 * regresses θ = (t_x, t_y, s_x − 1, s_y − 1) (shift and per-axis scale of the ground-truth boundary that
 * gives the predicted one), so ‖θ − θ_I‖₂ is the Frobenius distance of the 2×3 affine matrix from the
 * identity (the paper's Euclidean variant). The gradient flows through the frozen network into the logits.
 *
 * OUR NETWORK IS NOT THE AUTHORS'. The authors trained a ~100M-weight MLP (224·224·2 → 1000 → 32 → 4 in the
 * release) on boundary maps of real datasets; its checkpoint is not published. Ours (src/inverseform/
 * network.ts, trained by `npm run train:inverseform` on seeded synthetic shapes, 42k weights, see
 * public/models/inverseform/card.json) is a small convolutional network on 32×32 tiles that reads a
 * displacement field of the boundary and fits shift + per-axis scale to it by least squares. What that
 * changes: values are NOT comparable with the paper's; the loss is only as good as our regressor (it
 * knows shifts up to ±8 px per tile and scales 0.75–1.33, nothing about rotation, shear or real-image
 * boundary statistics); at the identity it returns the network's small residual output (identityReference
 * 'gt-self' removes it); and in regions the regressor cannot read (tiles without boundary, straight edges
 * shifted along themselves) it returns ≈ 0 whatever the prediction does there. Measured (card.json, 512
 * held-out synthetic pairs): shift MAE 0.58 / 0.60 px (always answering "identity": 2.8 px), scale MAE
 * 0.069 / 0.073 (always answering "no scaling": 0.088 / 0.090; a brute-force chamfer search over shifts
 * and scales, scripts/inverseform-chamfer-bound.ts, reaches 0.040 / 0.041 on the first 256 of them,
 * against 0.089 / 0.091 for "no scaling" there: part of the scale is not readable from a 32-px tile at all,
 * and our network reads about 35–40 % of what is). On the test scene the value grows
 * strictly with shifts of 1…8 px in either direction and with scale changes of +4…32 % and −4…24 %.
 *
 * The weights are loaded once, asynchronously, before the loss is used: `await loadInverseFormNet()` in
 * the browser, `await loadInverseFormNetFromFile()` in Node (src/inverseform/loader.ts explains why they
 * are not embedded). compute() throws InverseFormNotLoadedError otherwise.
 *
 * Epsilons: ‖·‖₂ = sqrt(Σθ² + 1e-8) (finite gradient at θ = θ_I; adds ≤ 1e-4 to the value); in the
 * joint variant, b̂ is clamped to [1e-6, 1 − 1e-6] before the logarithms of the edge BCE.
 */
import { labelBoundaryCPU, softBoundaryHost } from '../../inverseform/boundary';
import { inverseFormNetVersion, inverseFormWeights } from '../../inverseform/loader';
import {
  IF_TILE,
  inverseNetForward,
  inverseNetForwardWithGroundTruth,
  inverseNetGroundTruthTerm,
} from '../../inverseform/network';
import { defaultTiles, toTiles } from '../../inverseform/tiling';
import { logSoftmax, softmax } from '../../ops/probabilities';
import { tf } from '../../tf';
import { defineLoss } from '../define';

export type InverseFormParams = {
  tilesY: number | null;
  tilesX: number | null;
  identityReference: string;
  mode: string;
  beta: number;
  gamma: number;
};

const NORM_EPS = 1e-8;
const BCE_EPS = 1e-6;

/** Per tile (of `count` equal blocks of `data`), whether every value is exactly 0. */
function tileIsZero(data: ArrayLike<number>, count: number, per = data.length / count): boolean[] {
  const out: boolean[] = [];
  for (let t = 0; t < count; t++) {
    let zero = true;
    for (let i = t * per; i < (t + 1) * per && zero; i++) if (data[i] !== 0) zero = false;
    out.push(zero);
  }
  return out;
}

export const inverseformLoss = defineLoss<InverseFormParams, 'inverseform'>({
  id: 'inverseform',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'InverseForm Loss',
  category: 'boundary',
  citation: {
    authors: ['Shubhankar Borse', 'Ying Wang', 'Yizhe Zhang', 'Fatih Porikli'],
    title: 'InverseForm: A Loss Function for Structured Boundary-Aware Segmentation',
    venue: 'CVPR 2021',
    year: 2021,
    arxiv: '2104.02745',
    url: 'https://arxiv.org/abs/2104.02745',
  },
  summary:
    'Distance from identity of the spatial transform that a frozen network estimates between predicted and true boundaries.',
  useWhen: 'Boundary-aware training where a small boundary shift should cost in proportion to its size.',
  needs: ['boundary-map', 'pretrained-network'],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  needsHostData: true, // reads data back inside compute (see the engine's scheduling)
  formula: String.raw`\mathcal{L}_{IF}=\frac{1}{T}\sum_{\tau=1}^{T}\big\|f_\phi(\hat b_\tau,b_\tau)-\theta_I\big\|_2,\quad \hat b=\min\!\Big(1,\tfrac12\sum_c\big[\max_{3\times3}p_c-\min_{3\times3}p_c\big]\Big)`,
  reference: [
    {
      repo: 'Qualcomm-AI-research/InverseForm',
      commit: 'd5fec5b065c9a3c7afab48db84071fc3537bad7a',
      path: 'models/loss/utils.py',
      symbol: 'InverseTransform2D',
      note: 'Tiling and distance as the release; the pretrained network is ours (the authors’ checkpoint is not published) and the prediction is the soft boundary of softmax(x), not a 1-channel edge head.',
    },
    {
      repo: 'Qualcomm-AI-research/InverseForm',
      commit: 'd5fec5b065c9a3c7afab48db84071fc3537bad7a',
      path: 'models/loss/utils.py',
      symbol: 'JointEdgeSegLoss',
      note: 'mode = joint: CE + β·BCE(edges) + γ·L_IF (the release’s extra 0.1·edge-attention CE is omitted).',
    },
  ],
  params: {
    tilesY: {
      kind: 'number',
      label: 'tile rows',
      default: null,
      min: 1,
      max: 16,
      integer: true,
      nullMeaning: 'round(H / 32), at least 1 (native scale)',
      doc: 'The boundary maps are resized to (rows·32)×(cols·32) and cut into 32×32 tiles (the paper: 3×6 tiles of 224×224 after resizing to 672×1344).',
    },
    tilesX: {
      kind: 'number',
      label: 'tile columns',
      default: null,
      min: 1,
      max: 16,
      integer: true,
      nullMeaning: 'round(W / 32), at least 1 (native scale)',
      doc: 'Number of tile columns (see tile rows).',
    },
    identityReference: {
      kind: 'enum',
      label: 'identity reference θ_I',
      default: 'zero',
      options: [
        {
          value: 'zero',
          label: 'θ_I = 0 (paper)',
          doc: 'Distance from the identity parameters, as the paper and the release.',
        },
        {
          value: 'gt-self',
          label: 'θ_I = f(b, b)',
          doc: 'Distance from what the network outputs for the ground truth against itself (a constant per ground truth): removes the network’s residual at the identity, so a prediction whose soft boundary equals the ground-truth boundary costs exactly 0.',
        },
      ],
      doc: 'What the regressed parameters are compared with.',
    },
    mode: {
      kind: 'enum',
      label: 'combination',
      default: 'if',
      options: [
        { value: 'if', label: 'L_IF only', doc: 'The InverseForm term alone.' },
        {
          value: 'joint',
          label: 'CE + β·BCE + γ·L_IF',
          doc: 'The paper’s total loss (survey eq. 29): mean cross-entropy + β·class-balanced BCE between the soft and the ground-truth boundary maps + γ·L_IF.',
        },
      ],
      doc: 'Return the InverseForm term alone or the paper’s total loss.',
    },
    beta: {
      kind: 'number',
      label: 'β (edge BCE)',
      default: 0.3,
      min: 0,
      max: 10,
      step: 0.05,
      doc: 'Weight of the boundary BCE in the joint mode (0.3 in the release’s JointEdgeSegLoss).',
    },
    gamma: {
      kind: 'number',
      label: 'γ (InverseForm)',
      default: 0.3,
      min: 0,
      max: 10,
      step: 0.05,
      doc: 'Weight of L_IF in the joint mode (0.3 in the release’s JointEdgeSegLoss).',
    },
  },
  variants: [
    {
      param: 'mode',
      value: 'joint',
      label: 'paper’s total loss',
      doc: 'CE + β·BCE(b̂, b) + γ·L_IF with the release’s β = γ = 0.3; the release adds 0.1·CE on edge-attended pixels, omitted here.',
    },
    {
      param: 'identityReference',
      value: 'gt-self',
      label: 'calibrated identity',
      doc: 'Our own option: compares with f(b, b) instead of 0, so a perfect boundary costs exactly 0 despite the regressor’s residual.',
    },
  ],
  pitfalls: [
    {
      where: 'Qualcomm-AI-research/InverseForm models/loss/utils.py::InverseTransform2D.forward',
      text: 'Applies F.log_softmax(inputs) with the implicit dim = 1 to the 1-channel edge logits of the OCRNet edge head. The log-softmax of a single channel is identically 0, so the inverse network always sees an all-zero prediction: the released term is a constant and passes no gradient (SPEC §4.5, verified by running it).',
    },
    {
      where: 'Qualcomm-AI-research/InverseForm checkpoints/distance_measures_regressor.pth',
      text: 'The pretrained inverse-transformation network is not in the repository; the release’s net has 4 outputs (normalised shifts and scales), while the paper reports 6 (Euclidean) and 8 (geodesic) parameters (authors, issue #1).',
    },
    {
      where: 'this implementation',
      text: 'The network is ours (small CNN reading a displacement field, synthetic training data, 30 min of training on a 2-core machine), not the authors’: values are not comparable with the paper. Held-out error: shifts 0.59 px (answering “identity”: 2.8 px), scales 0.071 (answering “no scaling”: 0.089). The loss is blind to what the regressor never saw (rotations, shears, shifts > 8 px per 32-pixel tile, boundary-free tiles).',
    },
  ],
  notes: [
    'Needs the pretrained network: await loadInverseFormNet() (browser) or loadInverseFormNetFromFile() (Node) first; compute() throws InverseFormNotLoadedError otherwise.',
    'Network: src/inverseform/network.ts, card with held-out error: public/models/inverseform/card.json (trained by npm run train:inverseform).',
    'Soft boundary: morphological gradient (3×3 max − 3×3 min, edge replicated) of the softmax probabilities, halved and summed over classes, clipped at 1.',
    'Euclidean norm with +1e-8 under the square root (finite gradient at the identity); BCE logs clamp b̂ to [1e-6, 1 − 1e-6].',
    'Tiles are averaged with equal weight, including tiles without any boundary (as the paper does).',
  ],
  compute(logits, _target, params, ctx) {
    const weights = inverseFormWeights(); // throws InverseFormNotLoadedError when not loaded
    const [n, h, w] = logits.shape;
    const ty = params.tilesY ?? defaultTiles(h);
    const tx = params.tilesX ?? defaultTiles(w);
    const gtBoundary = ctx.memo('inverseform:gt-boundary', () =>
      tf.tensor3d(labelBoundaryCPU(ctx.labels, n, h, w), [n, h, w]),
    );
    const gtTiles = ctx.memo(`inverseform:gt-tiles:${ty}x${tx}`, () => toTiles(gtBoundary, ty, tx));
    const reference =
      params.identityReference === 'gt-self'
        ? ctx.memo(`inverseform:gt-self:${ty}x${tx}:net${inverseFormNetVersion()}`, () =>
            tf.tidy(() => inverseNetForward(weights, tf.stack([gtTiles, gtTiles], -1) as tf.Tensor4D)),
          )
        : null;
    // The ground-truth channel's share of the network's first layer (constant per ground truth).
    const gtTerm = ctx.memo(`inverseform:gt-term:${ty}x${tx}:net${inverseFormNetVersion()}`, () =>
      inverseNetGroundTruthTerm(weights, gtTiles),
    );
    return tf.tidy(() => {
      const p = softmax(logits);
      const predBoundary = softBoundaryHost(p);
      const predTiles = toTiles(predBoundary, ty, tx); // [T, 32, 32]; the network sees [pred, gt] per tile
      if (predTiles.shape[1] !== IF_TILE) throw new Error('inverseform: internal tiling error');
      const total = predTiles.shape[0];
      // The network runs only on tiles with some boundary. A tile whose predicted and true maps are both exactly
      // 0 gives the constant θ₀ = f_φ(0, 0) and no gradient (b̂ = 0 means every 3×3 max equals its min, and
      // both tie-break to the same pixel, so their gradients cancel), so it adds ‖θ₀ − θ_ref‖ without running f_φ.
      const gtEmpty = ctx.memo(`inverseform:gt-empty:${ty}x${tx}`, () => tileIsZero(gtTiles.dataSync(), total));
      const predEmpty = tileIsZero(tf.max(predTiles, [1, 2]).dataSync(), total, 1);
      const active: number[] = [];
      for (let t = 0; t < total; t++) if (!(gtEmpty[t] && predEmpty[t])) active.push(t);
      const norms = (theta: tf.Tensor) => tf.sqrt(tf.add(tf.sum(tf.square(theta), -1), NORM_EPS));
      let lif: tf.Scalar;
      if (active.length === total) {
        let theta: tf.Tensor = inverseNetForwardWithGroundTruth(weights, predTiles, gtTerm);
        if (reference) theta = tf.sub(theta, reference);
        lif = tf.mean(norms(theta)) as tf.Scalar;
      } else {
        const zero = ctx.memo(`inverseform:zero-tile:net${inverseFormNetVersion()}`, () =>
          tf.tidy(() => Float32Array.from(inverseNetForward(weights, tf.zeros([1, IF_TILE, IF_TILE, 2])).dataSync())),
        );
        const refHost = reference
          ? ctx.memo(`inverseform:gt-self-host:${ty}x${tx}:net${inverseFormNetVersion()}`, () =>
              Float32Array.from(reference.dataSync()),
            )
          : null;
        let idle = 0; // Σ over the skipped tiles of ‖θ₀ − θ_ref‖ (θ_ref = 0 without a reference)
        for (let t = 0; t < total; t++) {
          if (!(gtEmpty[t] && predEmpty[t])) continue;
          let sq = 0;
          for (let k = 0; k < 4; k++) sq += ((zero[k] as number) - (refHost ? (refHost[t * 4 + k] as number) : 0)) ** 2;
          idle += Math.sqrt(sq + NORM_EPS);
        }
        // the active tiles, picked by a constant 0/1 matrix (its gradient is a matMul on every backend)
        let sum: tf.Tensor = tf.mul(0, tf.sum(logits)); // keeps the value on the logits' tape when nothing runs
        if (active.length > 0) {
          const pick = new Float32Array(active.length * total);
          active.forEach((t, a) => {
            pick[a * total + t] = 1;
          });
          const sel = tf.tensor2d(pick, [active.length, total]);
          const flat = tf.reshape(predTiles, [total, IF_TILE * IF_TILE]);
          const chosen = tf.reshape(tf.matMul(sel, flat), [active.length, IF_TILE, IF_TILE]) as tf.Tensor3D;
          const chosenGt = tf.gather(gtTerm, tf.tensor1d(active, 'int32'), 1) as tf.Tensor5D; // constant, tiles on axis 1
          let theta: tf.Tensor = inverseNetForwardWithGroundTruth(weights, chosen, chosenGt);
          if (reference) theta = tf.sub(theta, tf.matMul(sel, reference));
          sum = tf.add(sum, tf.sum(norms(theta)));
        }
        lif = tf.div(tf.add(sum, idle), total) as tf.Scalar;
      }
      if (params.mode !== 'joint') return lif;
      const y = ctx.oneHot();
      const ce = tf.mean(tf.neg(tf.sum(tf.mul(y, logSoftmax(logits)), -1)));
      const pos = ctx.memo('inverseform:edge-balance', () => {
        const b = gtBoundary.dataSync();
        let k = 0;
        for (const v of b) if (v > 0.5) k++;
        return [k / b.length];
      })[0] as number;
      // class-balanced weights as the release's bce2d: positives weigh the negative fraction and vice versa
      const wPix = tf.add(tf.mul(gtBoundary, 1 - pos), tf.mul(tf.sub(1, gtBoundary), pos));
      const bc = tf.clipByValue(predBoundary, BCE_EPS, 1 - BCE_EPS);
      const bce = tf.mean(
        tf.mul(
          wPix,
          tf.neg(tf.add(tf.mul(gtBoundary, tf.log(bc)), tf.mul(tf.sub(1, gtBoundary), tf.log(tf.sub(1, bc))))),
        ),
      );
      return tf.addN([ce, tf.mul(params.beta, bce), tf.mul(params.gamma, lif)]) as tf.Scalar;
    });
  },
});
