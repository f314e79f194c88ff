/**
 * Region Mutual Information (RMI) loss.
 * Paper: Zhao, Wang, Yang & Cai, "Region Mutual Information Loss for Semantic Segmentation", NeurIPS 2019
 *   (arXiv 1910.12037): a lower bound of the MI between R×R neighbourhoods; survey eq. 21 (SPEC §3.9).
 * Reference: ZJULearning/RMI@10a40cd losses/rmi/rmi.py::RMILoss.forward_softmax_sigmoid (and
 *   rmi_lower_bound, rmi_utils.map_get_pairs, rmi_utils.log_det_by_cholesky), with the sigmoid replaced by
 *   the softmax over classes (SPEC §3.9). The reference's default `forward` (sigmoid + BCE) is the variant
 *   `activation: 'sigmoid'`.
 *
 *   Q = clamp(softmax(x), 1e-6, 1), Y = onehot(t), both pooled (kernel = stride = s, padding ⌊s/2⌋).
 *   Per image n and class c, stack the R² shifted h'×w' windows (row a·R+b = window [a:a+h', b:b+w']) into
 *   Y_v, Q_v ∈ R^{R²×h'w'} and centre each row. Σ_Y = Y_vY_vᵀ, Σ_Q = Q_vQ_vᵀ, Σ_YQ = Y_vQ_vᵀ (un-normalised),
 *     A = Σ_Y − Σ_YQ (Σ_Q + αI)⁻¹ Σ_YQᵀ,   rmi_nc = Σ_j log(L_jj + 1e-8),  L = chol(A + αI),  α = 5e-4
 *   RMI = Σ_c mean_n rmi_nc / R²;  L = λ·CE + (1−λ)·RMI (lambdaWay 1) or CE + λ·RMI (lambdaWay 0).
 *
 * How A + αI is factorised here (numerics; TF.js is float32 everywhere, the reference casts to float64).
 * A + αI is exactly the Schur complement of the Q block in the joint matrix J = Z Zᵀ + αI with Z = [Q_v; Y_v]
 * (2R² × M): eliminating the first R² rows of J leaves (Σ_Y + αI) − Σ_YQ (Σ_Q + αI)⁻¹ Σ_QY. So the last R²
 * Cholesky diagonal entries of J are the L_jj of chol(A + αI). The default (`numerics: 'float64'`) reads the
 * probabilities back once (with max pooling, the default, the clamp and the pooling then run on the host too,
 * rmiOnHostMaxPooled; otherwise the pooled map, h'·w'·C values) and factorises J in float64 with the exact gradient
 * ∂/∂Z = L⁻ᵀWL⁻¹Z (rmi-host.ts): the reference's own precision, ~70 kernels instead of ~2200 at 256², and the
 * smallest errors against the golden vectors (worst value | gradient: cpu 2.2e-7 | 8.4e-8, wasm 1.9e-6 |
 * 8.4e-8). The float32 device orders below remain selectable. `numerics: 'qr'` gets them without
 * forming J at all: modified Gram–Schmidt on the columns of X = [Zᵀ; √α·I] (XᵀX = J), where L_jj is the norm
 * of the j-th column after projecting out the ones before it (ops/linalg gramCholeskyDiagonal). Forming a
 * covariance squares the condition number, and A is a difference of O(M) numbers that is often O(α): in float32
 * that cancellation cost up to 3 digits in the gradient. Measured max gradient error / SPEC §1.3 tolerance over
 * the 10 public cases (cpu | wasm):
 *   'reference' (inverse, product, second Cholesky, the order of rmi.py): up to 356 | 680, 4 and 4 cases fail;
 *   'joint'     (one Cholesky of J, no inverse):                          up to 3.5 | 5.2, 2 and 4 cases fail;
 *   'qr'        (Gram–Schmidt, default):                                  0.50 | 0.50, all pass.
 * The remaining 0.5 is the `perfect` case, where p ≈ 0.999 is stored in float32 (spacing 6e-8) while the loss
 * depends on its 1e-4-sized variations: the same floor as the reference re-run in float32 (SPEC float32Deviation).
 * Worst absolute errors with 'qr' over the 10 public cases (value | gradient): cpu 4.6e-7 | 8.4e-8, wasm 1.9e-6 |
 * 8.4e-8, webgl (headless Chromium, SwiftShader) 4.6e-7 | 8.4e-8; all cases pass on the three backends.
 */

import { hostMaxPool } from '../../ops/host-max-pool';
import { batchEye, cholesky, choleskyPivots, gramCholeskyDiagonal, spdInverse } from '../../ops/linalg';
import { hostValues } from '../../ops/prediction-memo';
import { logSoftmax, softmax } from '../../ops/probabilities';
import { reusable } from '../../ops/reusable';
import { tf } from '../../tf';
import { defineLoss } from '../define';
import { type RmiLabelConstants, type RmiShape, rmiHostValueAndGrad, rmiLabelConstants } from './rmi-host';

/** rmiOnHostMaxPooled's clamped probabilities, reused between calls (src/ops/reusable.ts says why). */
const clampedWork = reusable((n) => new Float32Array(n));

export type RmiParams = {
  rmiRadius: number;
  rmiPoolWay: number;
  rmiPoolSize: number;
  weightLambda: number;
  lambdaWay: number;
  activation: 'softmax' | 'sigmoid';
  numerics: 'float64' | 'qr' | 'joint' | 'reference';
};

/** Diagonal regulariser of the reference (`_POS_ALPHA`). */
const POS_ALPHA = 5e-4;
/** Lower clamp of the probabilities (`_CLIP_MIN`); below it the gradient is zero. */
const CLIP_MIN = 1e-6;
/** Added to each Cholesky diagonal entry before the log (`log_det_by_cholesky`). */
const LOG_EPS = 1e-8;

/** Pools NHWC maps with kernel = stride = s and zero padding ⌊s/2⌋ (max: values ≥ 0, so zeros never win). */
function pool(x: tf.Tensor4D, way: number, s: number): tf.Tensor4D {
  if (s <= 1) return x;
  const [, h, w] = x.shape;
  if (way === 2) {
    // F.interpolate to (H // s, W // s): bilinear, align_corners=True for probabilities
    return tf.image.resizeBilinear(x, [Math.floor(h / s), Math.floor(w / s)], true) as tf.Tensor4D;
  }
  const p = Math.floor(s / 2);
  // max: the pooling's own padding (cells ignored) equals the reference's zero padding here, as x ≥ 0 (clipped
  // probabilities, one-hot labels) and every window holds a real cell; it spares a PadV2 and its gradient (a
  // slice along W, a JavaScript loop on wasm: ≈ 4.5 ms of RMI's 25 ms of kernels at 256²)
  if (way === 0) return tf.maxPool(x, [s, s], [s, s], p) as tf.Tensor4D;
  const padded = tf.pad(x, [
    [0, 0],
    [p, p],
    [p, p],
    [0, 0],
  ]) as tf.Tensor4D;
  return tf.avgPool(padded, [s, s], [s, s], 'valid') as tf.Tensor4D; // count_include_pad=True
}

/**
 * −mean Σ_c y_c log softmax(x)_c (the same forward ops as the autodiff formulation) with its closed-form gradient
 * (softmax(x) − y) / (N·H·W): y is one-hot (the context validates every label), so the log-softmax backward
 * p·Σ_c y_c − y is p − y. Three kernels over [N, H, W, C] in the gradient instead of the taped chain's ≈ 8.
 */
function meanCrossEntropy(logits: tf.Tensor4D, y: tf.Tensor4D, p: tf.Tensor4D): tf.Scalar {
  const [n, h, w] = logits.shape;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const logp = logSoftmax(args[0] as tf.Tensor4D);
    // p: the caller's softmax (a constant here) rather than exp(log p), an Exp kernel; y saved too: the
    // gradient may run after its context is disposed
    (args[1] as tf.GradSaveFunc)([p, y]);
    return {
      value: tf.neg(tf.mean(tf.sum(tf.mul(y, logp), -1))) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.mul(tf.sub(saved[0] as tf.Tensor, saved[1] as tf.Tensor), tf.div(dy, n * h * w)),
    };
  });
  return f(logits) as tf.Scalar;
}

/** Nearest-neighbour downsampling of the one-hot labels as torch 'nearest' (source index ⌊i·H/H'⌋). */
function poolLabelsNearest(y: tf.Tensor4D, s: number): tf.Tensor4D {
  const [n, h, w, c] = y.shape;
  const oh = Math.floor(h / s);
  const ow = Math.floor(w / s);
  const src = y.dataSync();
  const out = new Float32Array(n * oh * ow * c);
  for (let k = 0; k < n; k++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++) {
        const si = Math.floor((i * h) / oh);
        const sj = Math.floor((j * w) / ow);
        for (let q = 0; q < c; q++)
          out[((k * oh + i) * ow + j) * c + q] = src[((k * h + si) * w + sj) * c + q] as number;
      }
  return tf.tensor4d(out, [n, oh, ow, c]);
}

/** A constant conv2d filter [R, R, 1, R²] that copies window offset (a, b) to output channel a·R + b. */
function patchFilter(r: number): tf.Tensor4D {
  const d = r * r;
  const f = new Float32Array(d * d);
  for (let k = 0; k < d; k++) f[k * d + k] = 1; // (a, b, 0, a·R+b) with k = a·R + b
  return tf.tensor4d(f, [r, r, 1, d]);
}

/**
 * The R² shifted h'×w' windows of NHWC maps as centred vectors: [N·C, R², h'·w'] (entry [n·C+c, a·R+b, i·w'+j]
 * = x[n, a+i, b+j, c] minus its mean over i, j). The windows come from a 'valid' conv2d with a 0/1 patch
 * filter (exact: one product by 1 per output) rather than R² strided slices, which TF.js's cpu backend copies
 * element by element.
 */
function centredWindows(x: tf.Tensor4D, r: number): tf.Tensor3D {
  const [n, h, w, c] = x.shape;
  const m = (h - r + 1) * (w - r + 1);
  const perMap = tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [n * c, h, w, 1]) as tf.Tensor4D;
  const patches = tf.conv2d(perMap, patchFilter(r), 1, 'valid'); // [N·C, h', w', R²]
  const v = tf.transpose(tf.reshape(patches, [n * c, m, r * r]), [0, 2, 1]); // [N·C, R², M]
  return tf.sub(v, tf.mean(v, 2, true)) as tf.Tensor3D;
}

/**
 * The ground-truth side of RMI for one (radius, pooling), cached per context and built on first use: the
 * centred label windows as a tensor (device orders) or the pooled labels on the host (numerics 'float64').
 */
class LabelWindows {
  private tensor: tf.Tensor3D | null = null;
  private hostData: Float32Array | null = null;
  private readonly constants = new Map<string, RmiLabelConstants[]>();
  constructor(
    private readonly pooled: () => tf.Tensor4D,
    private readonly r: number,
  ) {}
  device(): tf.Tensor3D {
    if (!this.tensor) this.tensor = tf.keep(tf.tidy(() => centredWindows(this.pooled(), this.r)));
    return this.tensor;
  }
  host(): Float32Array {
    if (!this.hostData) this.hostData = tf.tidy(() => Float32Array.from(this.pooled().dataSync()));
    return this.hostData;
  }
  /** rmiLabelConstants of host() (centred windows and their Gram block), per shape. */
  hostConstants(s: RmiShape): RmiLabelConstants[] {
    const key = `${s.n},${s.h},${s.w},${s.c},${s.r}`;
    let hit = this.constants.get(key);
    if (!hit) {
      hit = rmiLabelConstants(this.host(), s);
      this.constants.set(key, hit);
    }
    return hit;
  }
  dispose(): void {
    this.tensor?.dispose();
    this.tensor = null;
  }
}

/**
 * Σ_c mean_n rmi_nc / R² from the pooled probabilities, computed on the host in float64 (rmi-host.ts) with its
 * exact gradient attached through tf.customGrad: one read-back of the pooled map (h'·w'·C values).
 */
function rmiOnHost(qPooled: tf.Tensor4D, labels: LabelWindows, r: number): tf.Scalar {
  const [n, h, w, c] = qPooled.shape;
  const shape = { n, h, w, c, r };
  const { value, grad } = rmiHostValueAndGrad(
    qPooled.dataSync() as Float32Array,
    labels.host(),
    shape,
    POS_ALPHA,
    LOG_EPS,
    labels.hostConstants(shape),
  );
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    // 0·Σq keeps the value a node of the tape (tf.grad needs that); its gradient is replaced by gradFunc
    value: tf.add(tf.scalar(value), tf.mul(0, tf.sum(args[0] as tf.Tensor))),
    gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.tensor4d(grad, [n, h, w, c])),
  }));
  return f(qPooled) as tf.Scalar;
}

/**
 * rmiOnHost(pool(max(p, 1e-6))) for max pooling (the default), from one read-back of the probabilities: the clamp,
 * the pooling and the routing of the gradient run on the host (ops/host-max-pool.ts) instead of tf.maximum,
 * tf.maxPool and their gradients (MaxPoolGrad and Maximum's GreaterEqual: ≈ 3 ms of RMI's ≈ 8 ms of kernels at
 * 256² on wasm). The same float32 numbers: the clamp and the maximum are exact, each window's gradient goes to
 * its first largest cell, and it passes the clamp where p ≥ 1e-6 (tf.maximum's and torch.clamp's gradient).
 */
function rmiOnHostMaxPooled(p: tf.Tensor4D, labels: LabelWindows, r: number, s: number): tf.Scalar {
  const [n, h, w, c] = p.shape;
  const probs = hostValues(p); // one read-back (shared per update)
  const clipMin = Math.fround(CLIP_MIN);
  const q = clampedWork(probs.length); // fully written below, and does not leave this call
  for (let i = 0; i < q.length; i++) {
    const v = probs[i] as number;
    q[i] = Math.max(v, clipMin);
  }
  const { pooled, source, shape } = hostMaxPool(q, [n, h, w, c], s);
  const pooledShape = { n, h: shape[1], w: shape[2], c, r };
  const { value, grad } = rmiHostValueAndGrad(
    pooled,
    labels.host(),
    pooledShape,
    POS_ALPHA,
    LOG_EPS,
    labels.hostConstants(pooledShape),
  );
  const dp = new Float32Array(probs.length);
  for (let o = 0; o < source.length; o++) {
    const i = source[o] as number;
    if ((probs[i] as number) >= clipMin) dp[i] = grad[o] as number;
  }
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    // 0·Σp keeps the value a node of the tape (tf.grad needs that); its gradient is replaced by gradFunc
    value: tf.add(tf.scalar(value), tf.mul(0, tf.sum(args[0] as tf.Tensor))),
    gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.tensor4d(dp, [n, h, w, c])),
  }));
  return f(p) as tf.Scalar;
}

/** rmi_{n,c} = Σ_j log(L_jj + 1e-8) with L = chol(A + αI), as [N·C]; y, q are the centred windows [B, d, M]. */
function rmiPerImageClass(y: tf.Tensor3D, q: tf.Tensor3D, numerics: RmiParams['numerics']): tf.Tensor1D {
  const [b, d] = y.shape;
  if (numerics === 'qr') {
    // rows z_j of Z = [Q_v; Y_v] (Q's first), whose Gram matrix plus αI is J; placed with constant 0/1
    // matrices (a concat would cost a strided split in the gradient on the cpu backend)
    const place = (offset: number) => {
      const e = new Float32Array(2 * d * d);
      for (let i = 0; i < d; i++) e[(offset + i) * d + i] = 1;
      return tf.tensor3d(e, [1, 2 * d, d]);
    };
    const z = tf.add(tf.matMul(place(0), q), tf.matMul(place(d), y)) as tf.Tensor3D; // [B, 2d, M]
    const diag = tf.slice(gramCholeskyDiagonal(z, POS_ALPHA), [0, d], [b, d]);
    return tf.sum(tf.log(tf.add(diag, LOG_EPS)), 1) as tf.Tensor1D;
  }
  if (numerics === 'reference') {
    const sigmaY = tf.matMul(y, y, false, true);
    const sigmaQ = tf.matMul(q, q, false, true);
    const sigmaYQ = tf.matMul(y, q, false, true);
    const inv = spdInverse(tf.add(sigmaQ, batchEye(b, d, POS_ALPHA)) as tf.Tensor3D);
    const a = tf.sub(sigmaY, tf.matMul(tf.matMul(sigmaYQ, inv), sigmaYQ, false, true));
    const l = cholesky(tf.add(a, batchEye(b, d, POS_ALPHA)) as tf.Tensor3D);
    const diag = tf.sum(tf.mul(l, batchEye(b, d)), 2);
    return tf.sum(tf.log(tf.add(diag, LOG_EPS)), 1) as tf.Tensor1D;
  }
  const z = tf.concat([q, y], 1) as tf.Tensor3D; // [B, 2d, M]
  const joint = tf.add(tf.matMul(z, z, false, true), batchEye(b, 2 * d, POS_ALPHA)) as tf.Tensor3D;
  const pivots = tf.slice(choleskyPivots(joint), [0, d], [b, d]); // L_jj² of chol(A + αI)
  return tf.sum(tf.log(tf.add(tf.sqrt(pivots), LOG_EPS)), 1) as tf.Tensor1D;
}

export const regionMutualInformationLoss = defineLoss<RmiParams, 'region-mutual-information'>({
  id: 'region-mutual-information',
  // Where the survey's taxonomy puts it, who wrote it, when it helps.
  name: 'Region Mutual (Information) Loss',
  category: 'region',
  citation: {
    authors: ['Shuai Zhao', 'Yang Wang', 'Zheng Yang', 'Deng Cai'],
    title: 'Region Mutual Information Loss for Semantic Segmentation',
    venue: 'NeurIPS 2019',
    year: 2019,
    arxiv: '1910.12037',
    url: 'https://arxiv.org/abs/1910.12037',
  },
  summary:
    'Cross-entropy plus a bound on the mutual information between local 3x3 neighbourhoods of prediction and target.',
  useWhen: 'When pixel-wise losses miss structure; captures dependencies between neighbouring pixels.',
  needs: ['small-linear-algebra'],
  binaryOnly: false,
  hasReferenceCode: true,
  // The implementation.
  status: 'implemented',
  needsHostData: true, // numerics 'float64' (the default) reads the pooled probabilities back
  formula: String.raw`\mathcal{L}=\lambda\,\mathrm{CE}+(1-\lambda)\,\frac{1}{R^2}\sum_c\frac1N\sum_n\sum_{j=1}^{R^2}\log\!\Big(\big[\operatorname{chol}\big(\Sigma_Y-\Sigma_{YQ}(\Sigma_Q+\alpha I)^{-1}\Sigma_{YQ}^{\top}+\alpha I\big)\big]_{jj}+10^{-8}\Big),\quad \alpha=5\cdot10^{-4}`,
  reference: [
    {
      repo: 'ZJULearning/RMI',
      commit: '10a40cdbeb58bdd1bd7125fde73b48b12f9452c7',
      path: 'losses/rmi/rmi.py',
      symbol: 'RMILoss.forward_softmax_sigmoid',
      note: 'F.sigmoid replaced by a softmax over classes (SPEC §3.9); rmi_lower_bound, rmi_utils.log_det_by_cholesky',
    },
    {
      repo: 'ZJULearning/RMI',
      commit: '10a40cdbeb58bdd1bd7125fde73b48b12f9452c7',
      path: 'losses/rmi/rmi.py',
      symbol: 'RMILoss.forward_sigmoid',
      note: "the reference's default forward: activation 'sigmoid'",
    },
  ],
  params: {
    rmiRadius: {
      kind: 'number',
      label: 'radius R',
      default: 3,
      min: 1,
      max: 10,
      integer: true,
      doc: 'Side of the square neighbourhood; each pixel becomes an R²-dimensional point (d = 9 for R = 3). Cost grows with R⁴.',
    },
    rmiPoolWay: {
      kind: 'number',
      label: 'pooling (0 max, 1 avg, 2 resize)',
      default: 0,
      min: 0,
      max: 2,
      integer: true,
      doc: 'Downsampling before RMI: 0 max-pool, 1 average-pool (padding counted), 2 resize (bilinear, corners aligned, for probabilities; nearest for labels).',
    },
    rmiPoolSize: {
      kind: 'number',
      label: 'pool size = stride',
      default: 3,
      min: 1,
      max: 16,
      integer: true,
      doc: 'Kernel and stride of the pooling (padding ⌊s/2⌋); 1 means no downsampling.',
    },
    weightLambda: {
      kind: 'number',
      label: 'weight λ',
      default: 0.5,
      min: 0,
      max: 1,
      step: 0.05,
      doc: 'Balance of CE and RMI: λ·CE + (1−λ)·RMI (lambdaWay 1) or CE + λ·RMI (lambdaWay 0).',
    },
    lambdaWay: {
      kind: 'number',
      label: 'λ way',
      default: 1,
      min: 0,
      max: 1,
      integer: true,
      doc: '1: λ·CE + (1−λ)·RMI; 0: CE + λ·RMI.',
    },
    activation: {
      kind: 'enum',
      label: 'probabilities',
      default: 'softmax',
      options: [
        { value: 'softmax', label: 'softmax + CE', doc: 'SPEC §3.9: softmax probabilities, multi-class CE.' },
        {
          value: 'sigmoid',
          label: 'sigmoid + BCE (reference default)',
          doc: 'RMILoss.forward: per-class sigmoid, probabilities sigmoid + 1e-6 (no clamp), BCE summed and divided by (pixels + 1).',
        },
      ],
      doc: 'How probabilities and the pixel term are formed.',
    },
    numerics: {
      kind: 'enum',
      label: 'factorisation order',
      default: 'float64',
      options: [
        {
          value: 'float64',
          label: 'float64 Cholesky on the host',
          doc: 'Reads the pooled probabilities back once and factorises Z Zᵀ + αI in float64 with an exact closed-form gradient (as the reference, which casts to float64); the fastest.',
        },
        {
          value: 'qr',
          label: 'Gram–Schmidt on the stacked points',
          doc: 'Cholesky diagonal of the joint covariance by modified Gram–Schmidt on [Zᵀ; √α I], never forming Z Zᵀ.',
        },
        {
          value: 'joint',
          label: 'one Cholesky of the joint covariance',
          doc: 'A + αI as the Schur complement of the joint 2R²×2R² matrix; no explicit inverse.',
        },
        {
          value: 'reference',
          label: 'inverse, product, Cholesky (reference order)',
          doc: 'The order of rmi.py: (Σ_Q + αI)⁻¹, then A, then chol(A + αI). Same value in exact arithmetic.',
        },
      ],
      doc: 'Only changes rounding (and speed); the float32 device orders are kept to compare with the reference order.',
    },
  },
  variants: [
    {
      param: 'activation',
      value: 'sigmoid',
      label: "reference's default forward (sigmoid + BCE)",
      doc: 'ZJULearning/RMI RMILoss.forward calls forward_sigmoid: independent sigmoids per class, probabilities sigmoid + 1e-6, and a BCE term Σ BCE / (P + 1). The value differs from the softmax adaptation used by SPEC and the goldens.',
    },
    {
      param: 'rmiPoolWay',
      value: 1,
      label: 'average pooling (the repo’s parser and train script)',
      doc: 'The class defaults are max-pool of size 3; parser_params uses avg-pool size 2 and script/train.sh avg-pool size 4.',
    },
  ],
  pitfalls: [
    {
      where: 'ZJULearning/RMI losses/rmi/rmi.py',
      text: 'The default forward uses sigmoids, not a softmax: classes are independent binary maps and the pixel term is BCE, so the published numbers are for a different loss than forward_softmax_sigmoid.',
    },
    {
      where: 'ZJULearning/RMI losses/rmi/rmi.py',
      text: 'The covariance algebra is cast to float64 on CUDA (torch.cuda.DoubleTensor); the code does not run on a CPU-only machine, and float32 loses digits in the Schur complement when Q explains Y well.',
    },
    {
      where: 'ZJULearning/RMI pooling defaults',
      text: 'Pooling differs between the class defaults (max, 3), parser_params (avg, 2) and script/train.sh (avg, 4); results depend on which one a paper used.',
    },
    {
      where: 'survey eq. 21',
      text: 'The survey writes the MI bound I = −½ log det Σ_{Y|P}; the code minimises ½ log det (Σ_{Y|P} + αI) / R², i.e. −I up to constants, so the value is usually negative.',
    },
    {
      where: 'small images',
      text: 'With the default pooling an 8×8 image leaves a single 9-D point: the centred vectors vanish, RMI is the constant R²·log(√α + 1e-8)/R² per class, and only CE carries gradient.',
    },
  ],
  notes: [
    'Epsilons (all from the reference): probabilities clamped to [1e-6, 1] (zero gradient below), α = 5e-4 added to Σ_Q and to A, 1e-8 added to each Cholesky diagonal entry before the log.',
    "float32: the reference computes the covariance algebra in float64. Here the default numerics 'qr' (Gram–Schmidt, no covariance formed) keeps every public golden case within SPEC §1.3 on cpu and wasm (worst gradient error 0.5 of the tolerance, value error ≤ 2e-6); forming the covariances and inverting as rmi.py does fails 4–5 of the 10 cases in float32 (gradient errors up to 680× the tolerance). See the file header.",
    'The image must be at least R pixels high and wide after pooling: ⌊(H + 2⌊s/2⌋ − s)/s⌋ + 1 ≥ R (H // s ≥ R when resizing); smaller images throw an error naming the parameters.',
    'The pooled and centred label windows are ground-truth constants, cached per ground-truth version (ctx.memo key rmi:y-windows:r…:way…:s…).',
    'Max-pooling gradient: TF.js sends it to the first maximal entry of each window, as torch does; ties occur only between clamped probabilities (zero gradient anyway).',
  ],
  compute(logits, _target, params, ctx) {
    return tf.tidy(() => {
      const [n, h, w, c] = logits.shape;
      const r = params.rmiRadius;
      const s = params.rmiPoolSize;
      const way = params.rmiPoolWay;
      const ph = s <= 1 ? h : way === 2 ? Math.floor(h / s) : Math.floor((h + 2 * Math.floor(s / 2) - s) / s) + 1;
      const pw = s <= 1 ? w : way === 2 ? Math.floor(w / s) : Math.floor((w + 2 * Math.floor(s / 2) - s) / s) + 1;
      if (ph < r || pw < r) {
        throw new Error(
          `region-mutual-information: a ${h}×${w} image pools to ${ph}×${pw} (rmiPoolSize ${s}), smaller than rmiRadius ${r}`,
        );
      }
      const y = ctx.oneHot();
      let q: tf.Tensor4D;
      let p: tf.Tensor4D | null = null;
      let pixelTerm: tf.Scalar;
      const hostMaxPooled = params.numerics === 'float64' && params.activation === 'softmax' && way === 0 && s > 1;
      if (params.activation === 'sigmoid') {
        q = tf.add(tf.sigmoid(logits), CLIP_MIN) as tf.Tensor4D;
        // BCE with logits, stable form: max(x,0) − x·y + log(1 + e^{−|x|}); Σ / (P + 1)
        const bce = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, y)), tf.softplus(tf.neg(tf.abs(logits))));
        pixelTerm = tf.div(tf.sum(bce), n * h * w + 1) as tf.Scalar;
      } else {
        // clamp to [1e-6, 1]: the upper bound never binds for softmax probabilities, so tf.maximum (value and
        // gradient equal to clipByValue's there, two kernels fewer in the gradient); the default path clamps
        // on the host instead (rmiOnHostMaxPooled)
        p = softmax(logits);
        q = hostMaxPooled ? p : (tf.maximum(p, CLIP_MIN) as tf.Tensor4D);
        pixelTerm = meanCrossEntropy(logits, y, p);
      }
      // the pooled, centred label windows depend only on the ground truth: cached per GT version
      const labelWindows = ctx.memo(
        `rmi:y-windows:r${r}:way${way}:s${s}`,
        () => new LabelWindows(() => (s > 1 && way === 2 ? poolLabelsNearest(y, s) : pool(y, way, s)), r),
      );
      const rmi =
        hostMaxPooled && p
          ? rmiOnHostMaxPooled(p, labelWindows, r, s)
          : params.numerics === 'float64'
            ? rmiOnHost(pool(q, way, s), labelWindows, r)
            : tf.div(
                tf.sum(
                  tf.mean(
                    tf.reshape(
                      rmiPerImageClass(labelWindows.device(), centredWindows(pool(q, way, s), r), params.numerics),
                      [n, c],
                    ),
                    0,
                  ),
                ),
                r * r,
              );
      return (
        params.lambdaWay === 1
          ? tf.add(tf.mul(params.weightLambda, pixelTerm), tf.mul(1 - params.weightLambda, rmi))
          : tf.add(pixelTerm, tf.mul(params.weightLambda, rmi))
      ) as tf.Scalar;
    });
  },
});
