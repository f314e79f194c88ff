/**
 * Hausdorff distance loss (HD-DT, the distance-transform estimator; HD-ER as a variant).
 * Paper: Karimi & Salcudean, "Reducing the Hausdorff Distance in Medical Image Segmentation with
 *   Convolutional Neural Networks", IEEE TMI 39(2) 2020, arXiv 1904.10030, eq. 8 (HD-DT) and eq. 9 (HD-ER);
 *   survey eq. 24.
 * Reference: Project-MONAI/MONAI@d388d1c6 monai/losses/hausdorff_loss.py::HausdorffDTLoss(to_onehot_y=True,
 *   softmax=True); variant: kornia/kornia kornia/losses/hausdorff.py::HausdorffERLoss.
 *
 *   f(M) = EDT(M) + EDT(¬M) if M has a pixel in and a pixel out, else 0   (distance to the other region)
 *   L_nc = (1/|Ω|) Σ_i (p_ic − y_ic)² · ( f(M_pred)_i^α + f(M_gt)_i^α ),  M_pred = {p_c > 0.5}, M_gt = {t = c}
 *   L = mean_{n,c} L_nc   over c ≥ 1 (all c with includeBackground)
 *
 * M_pred depends on the prediction: its field is recomputed on every call from the probabilities read back
 * once (a constant, no gradient through the threshold or the EDT). The ground-truth field f(M_gt)^α is cached
 * per ground truth and α. With the mean reduction, `batch` (average over N·|Ω| per class first) gives the same
 * value as per-image averaging because every image has the same number of pixels; it is kept for MONAI parity.
 *
 * Variant estimator = 'erosion' (kornia HausdorffERLoss, Karimi & Salcudean eq. 9): with b₀ = (p − y)²,
 *   b_k = norm( relu( B ⊛ b_{k−1} − 0.5 ) ),  B = 0.2 × 3×3 cross (zero padding),
 *   norm = min-max per image and class (skipped where max = min),   L = mean Σ_{k=1}^{K} k^α b_k.
 * No distance transform; fully differentiable. kornia applies no softmax and uses every channel; here p is the
 * softmax (as for every loss of this library) and includeBackground selects the channels.
 */

import { complementProbabilities } from '../../ops/complement';
import { distanceToOtherRegion } from '../../ops/distance-maps';
import { hostTensor, hostTensorWork } from '../../ops/host-tensor';
import { hostValues } from '../../ops/prediction-memo';
import { classRange, softmax } from '../../ops/probabilities';
import { reusable } from '../../ops/reusable';
import { softmaxBackwardOf } from '../../ops/softmax-backward';
import { tf } from '../../tf';
import { defineLoss } from '../define';

export type HausdorffParams = {
  alpha: number;
  includeBackground: boolean;
  batch: boolean;
  estimator: 'distance-transform' | 'erosion';
  erosions: number;
};

// fieldPower's work arrays: the mask and the distance field never leave a call, and the uploaded array is reused
// only where the backend copies it at upload (src/ops/host-tensor.ts). The prediction's field is computed on
// every call.
const maskWork = reusable((n) => new Uint8Array(n));
const distanceWork = reusable((n) => new Float64Array(n));
const fieldWork = hostTensorWork();

/** Channels-last [N, H, W, C] of f(mask)^α for the classes in `classes` (0 elsewhere), as a tensor. */
function fieldPower(
  n: number,
  h: number,
  w: number,
  c: number,
  classes: readonly number[],
  alpha: number,
  maskOf: (b: number, k: number, out: Uint8Array) => void,
): tf.Tensor4D {
  const hw = h * w;
  const fill = (out: Float32Array) => {
    const mask = maskWork(hw);
    for (let b = 0; b < n; b++) {
      for (const k of classes) {
        maskOf(b, k, mask);
        const f = distanceToOtherRegion(mask, h, w, distanceWork(hw));
        for (let i = 0; i < hw; i++) out[(b * hw + i) * c + k] = (f[i] as number) ** alpha;
      }
    }
  };
  return hostTensor<tf.Tensor4D>(fieldWork, [n, h, w, c], fill, classes.length < c);
}

/** 0.2 × (x + its four 4-neighbours), zero padding: kornia's cross-kernel convolution, per channel. */
function crossConv(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const p = tf.pad(x, [
    [0, 0],
    [1, 1],
    [1, 1],
    [0, 0],
  ]);
  const at = (di: number, dj: number) => tf.slice(p, [0, 1 + di, 1 + dj, 0], [n, h, w, c]);
  return tf.mul(0.2, tf.addN([at(0, 0), at(-1, 0), at(1, 0), at(0, -1), at(0, 1)])) as tf.Tensor4D;
}

function erosionEstimator(p: tf.Tensor4D, y: tf.Tensor4D, alpha: number, k: number): tf.Tensor4D {
  let bound = tf.square(tf.sub(p, y)) as tf.Tensor4D;
  let eroded = tf.zerosLike(bound) as tf.Tensor4D;
  for (let it = 0; it < k; it++) {
    const e = tf.relu(tf.sub(crossConv(bound), 0.5)) as tf.Tensor4D;
    const mx = tf.max(e, [1, 2], true);
    const mn = tf.min(e, [1, 2], true);
    const range = tf.sub(mx, mn);
    const norm = tf.step(range); // 1 where max ≠ min (range ≥ 0), 0 elsewhere; no gradient
    const safe = tf.add(range, tf.sub(1, norm));
    const scaled = tf.div(tf.sub(e, mn), safe);
    const next = tf.add(e, tf.mul(norm, tf.sub(scaled, e))) as tf.Tensor4D;
    eroded = tf.add(eroded, tf.mul(next, (it + 1) ** alpha)) as tf.Tensor4D;
    bound = next;
  }
  return eroded;
}

export const hausdorffDistanceLoss = defineLoss<HausdorffParams, 'hausdorff-distance'>({
  id: 'hausdorff-distance',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Hausdorff Distance Loss',
  category: 'boundary',
  citation: {
    authors: ['Davood Karimi', 'Septimiu E. Salcudean'],
    title: 'Reducing the Hausdorff Distance in Medical Image Segmentation with Convolutional Neural Networks',
    venue: 'IEEE Transactions on Medical Imaging 39(2), 2020',
    year: 2020,
    arxiv: '1904.10030',
    url: 'https://arxiv.org/abs/1904.10030',
  },
  summary:
    'Squared errors weighted by distance maps of prediction and ground truth, a smooth proxy of the Hausdorff distance.',
  useWhen: 'When large boundary outliers (HD, HD95) matter, usually next to Dice or CE.',
  needs: ['distance-map'],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  needsHostData: true, // reads data back inside compute (see the engine's scheduling)
  formula: String.raw`\mathcal{L}_{HD}=\operatorname*{mean}_{n,c}\frac1{|\Omega|}\sum_{i}(p_{nic}-y_{nic})^2\Big(f(\{p_c>0.5\})_i^{\alpha}+f(\{t=c\})_i^{\alpha}\Big),\quad f(M)=\mathrm{EDT}(M)+\mathrm{EDT}(\lnot M)`,
  reference: [
    {
      repo: 'Project-MONAI/MONAI',
      commit: 'd388d1c6fec8cb3a0eebee5b5a0b9776ca59ca83',
      path: 'monai/losses/hausdorff_loss.py',
      symbol: 'HausdorffDTLoss',
      note: 'to_onehot_y=True, softmax=True',
    },
    {
      repo: 'JunMa11/SegLoss',
      commit: '71b14900',
      path: 'losses_pytorch/boundary_loss.py',
      symbol: 'HDDTBinaryLoss',
      note: 'equal to MONAI for binary inputs with non-degenerate masks',
    },
    {
      repo: 'kornia/kornia',
      commit: '04c6a4f1b6b5b361eb7325ff68eba1b926fd12b5',
      path: 'kornia/losses/hausdorff.py',
      symbol: 'HausdorffERLoss',
      note: 'the erosion estimator (estimator = "erosion")',
    },
  ],
  params: {
    alpha: {
      kind: 'number',
      label: 'distance exponent α',
      default: 2,
      min: 0,
      max: 4,
      step: 0.5,
      doc: 'Power of the distances (HD-DT) or of the erosion index k (HD-ER); larger α stresses far-off errors.',
    },
    includeBackground: {
      kind: 'boolean',
      label: 'include background',
      default: false,
      doc: 'Average over all classes (true) or only the foreground classes 1..C−1 (MONAI default).',
    },
    batch: {
      kind: 'boolean',
      label: 'batch average',
      default: false,
      doc: 'Average each class over all N·|Ω| pixels before averaging over classes; with equal image sizes the value is the same as per-image averaging.',
    },
    estimator: {
      kind: 'enum',
      label: 'estimator',
      default: 'distance-transform',
      doc: 'How distances are estimated: exact distance transforms (HD-DT) or repeated soft erosions (HD-ER).',
      options: [
        {
          value: 'distance-transform',
          label: 'distance transform (MONAI HausdorffDTLoss)',
          doc: 'Exact EDT of the ground truth and of the thresholded prediction; constants.',
        },
        {
          value: 'erosion',
          label: 'erosion (kornia HausdorffERLoss)',
          doc: 'K soft erosions of (p − y)² with a 3×3 cross, thresholded at 0.5 and min-max normalised, weighted by k^α.',
        },
      ],
    },
    erosions: {
      kind: 'number',
      label: 'erosions K (HD-ER)',
      default: 10,
      min: 1,
      max: 50,
      step: 1,
      integer: true,
      doc: 'Number of erosion steps of the erosion estimator (kornia k = 10); unused by the distance-transform estimator.',
    },
  },
  variants: [
    {
      param: 'estimator',
      value: 'erosion',
      label: 'HD-ER (kornia)',
      doc: 'Karimi & Salcudean’s erosion estimator as kornia implements it: no distance transform, gradients also flow through the erosions. kornia applies no softmax and averages over every channel.',
    },
    {
      param: 'includeBackground',
      value: true,
      label: 'include background',
      doc: 'MONAI drops channel 0 by default; SegLoss’s binary losses use the foreground channel only.',
    },
  ],
  pitfalls: [
    {
      where: 'JunMa11/SegLoss losses_pytorch/boundary_loss.py::HDDTBinaryLoss',
      text: 'With an empty ground-truth mask it still calls EDT on the all-true complement and picks up SciPy’s (−1, 0) virtual-background artifact; MONAI skips empty and full masks (field 0). The two give 0.39 and 63.8 on the same input.',
    },
    {
      where: 'JunMa11/SegLoss losses_pytorch/hausdorff.py::HausdorffERLoss',
      text: 'The erosion runs in NumPy and is wrapped with torch.from_numpy, so the loss has no gradient path to the prediction; kornia’s refactor fixes this.',
    },
    {
      where: 'MONAI HausdorffDTLoss',
      text: 'The prediction mask {p > 0.5} and its distance field are recomputed from the prediction every step on the CPU; they are constants, so no gradient flows through where the predicted boundary lies.',
    },
  ],
  notes: [
    'No epsilon. Fields use the exact EDT (src/ops/edt.ts); the ground-truth field f^α is cached per ground truth and α (key hausdorff-distance:gt-field:alpha=…); the prediction field is recomputed per call (one read-back of the probabilities).',
    'float32: the fields reach ~(H+W)^α (e.g. 10⁵ at 256² with α = 2), well within float32 range.',
  ],
  compute(logits, _target, params, ctx) {
    const [n, h, w, c] = logits.shape;
    const classes = classRange(c, params.includeBackground);
    const y = ctx.oneHot();
    if (params.estimator === 'erosion') {
      return tf.tidy(() => {
        const sel = new Float32Array(c);
        for (const k of classes) sel[k] = 1;
        const eroded = erosionEstimator(softmax(logits), y, params.alpha, params.erosions);
        return tf.div(tf.sum(tf.mul(eroded, tf.tensor1d(sel))), n * h * w * classes.length) as tf.Scalar;
      });
    }
    const alpha = params.alpha;
    const labels = ctx.labels;
    const hw = h * w;
    const gtField = ctx.memo(`hausdorff-distance:gt-field:alpha=${alpha}:classes=${classes.join(',')}`, () =>
      fieldPower(n, h, w, c, classes, alpha, (b, k, out) => {
        for (let i = 0; i < hw; i++) out[i] = labels[b * hw + i] === k ? 1 : 0;
      }),
    );
    const count = n * hw * classes.length;
    // closed-form gradient: the fields are constants, so ∂L/∂p = 2 (p − y) F / count, then the softmax backward
    const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const p = softmax(args[0] as tf.Tensor4D);
      const probs = hostValues(p); // one read-back (shared per update); the thresholded mask is a constant
      const predField = fieldPower(n, h, w, c, classes, alpha, (b, k, out) => {
        for (let i = 0; i < hw; i++) out[i] = (probs[(b * hw + i) * c + k] as number) > 0.5 ? 1 : 0;
      });
      const diff = tf.sub(p, y);
      const field = tf.add(predField, gtField); // fields are 0 on unselected classes
      (args[1] as tf.GradSaveFunc)([p, diff, field]);
      return {
        value: tf.div(tf.sum(tf.mul(tf.square(diff), field)), count) as tf.Scalar,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [ps, ds, fs] = saved as tf.Tensor4D[];
          const d = tf.mul(tf.mul(ds as tf.Tensor, fs as tf.Tensor), tf.mul(dy, 2 / count));
          return softmaxBackwardOf(ps as tf.Tensor4D, c === 2 ? complementProbabilities(ps as tf.Tensor4D) : null, d);
        },
      };
    });
    return f(logits) as tf.Scalar;
  },
});
