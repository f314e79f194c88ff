/**
 * Our small inverse-transformation network for the InverseForm loss (NOT the authors' network).
 *
 * Borse et al. (CVPR 2021) train an MLP (224·224·2 → 1000 → 32 → 4 in the release) that regresses the
 * transformation between two boundary maps. Their weights are not public, so SegLoss Explorer trains its
 * own network with `npm run train:inverseform` (scripts/train-inverseform.ts) on synthetic boundary maps.
 *
 * Architecture (input: a 32×32 tile with 2 channels, [predicted boundary, ground-truth boundary]):
 *   conv3×3(2→16)+ReLU → maxpool2 → conv3×3(16→32)+ReLU → maxpool2 → conv3×3(32→48)+ReLU
 *   → conv3×3 dilated 2 (48→48)+ReLU → conv1×1(48→48)+ReLU → conv1×1(48→4)
 * giving, on an 8×8 grid of 4×4-pixel cells, a local displacement (δ_x, δ_y) of the boundary and two
 * confidences w_x, w_y = softplus(·). θ is then the weighted least-squares fit of the affine field
 * δ(u) = t + (s − 1)·u to those displacements, per axis (u = cell centre relative to the tile centre, in
 * units of half a tile). Why a displacement field and a fit instead of a dense head: a scale change shows
 * only as displacements that grow across the tile (1–2 px at its edges for s = 1.1), which a dense head
 * trained for minutes does not learn to separate from shifts (the first network's scale outputs were no
 * better than answering "no scaling"); a field gives 64 supervised values per sample (training also
 * fits δ to the true displacement at cells with ground-truth boundary) and the fit is exact by
 * construction. The per-axis confidences let straight edges vote only across themselves (the aperture
 * problem); with the evidence in a single column the fit shrinks the scale towards 0 (IF_FIT_VAR_EPS).
 * Size: the first committed network (2026-11-27) had a 5×5 first layer and 64 channels after the second pool
 * (65,300 weights). This one (42,148 weights) needs 1.5× fewer multiply-adds per tile, forward and input
 * gradient together (7.5 M instead of 11.2 M), for the same held-out shift error and a 3–6 % larger scale
 * error (card.json; issue 11 asks for InverseForm within 60 ms at 256²). A cell still sees the whole tile
 * (receptive field 31 px).
 *
 * Output θ = (t_x, t_y, s_x − 1, s_y − 1): the shift in tile-normalised units (2·pixels/32, the
 * [-1, 1] convention of spatial transformers) and the scale about the tile centre minus 1, i.e. the
 * non-zero entries of A − I for A = [[s_x, 0, t_x], [0, s_y, t_y]]. ‖θ‖₂ is therefore the Frobenius
 * distance of the affine matrix from the identity (the paper's Euclidean variant).
 *
 * Every op is chosen so that the forward pass and its gradient run on cpu, wasm and webgl: for training,
 * convolutions are im2col (pad + slices + concat) followed by a matMul (tfjs-backend-wasm has no
 * Conv2DBackpropFilter) and max-pooling a reshape + max over the 2×2 axes; the frozen network in the loss uses
 * src/ops/frozen-conv.ts (tf.conv2d and tf.maxPool forward, input gradients built from forward convolutions,
 * also for the dilated layer, which has no TF.js gradient of its own).
 */
import {
  frozenConvLayer,
  frozenConvMaxPoolRelu,
  gradientKernel,
  maxPool2x2,
  spaceToDepthKernel,
  subPixelMajor,
} from '../ops/frozen-conv';
import { tf } from '../tf';
import { fitAffineHost } from './fit-host';

export const IF_TILE = 32;
export const IF_IN_CHANNELS = 2;
export const IF_OUTPUTS = 4;
/** Pixels per unit of the normalised shift output: t_px = t · IF_TILE / 2. */
export const IF_SHIFT_UNIT_PX = IF_TILE / 2;
/** The displacement field's grid: IF_GRID × IF_GRID cells of IF_CELL × IF_CELL pixels. */
export const IF_GRID = 8;
export const IF_CELL = IF_TILE / IF_GRID;
/** Added to the weighted variance of the cell positions in the fit (units: (half tile)²; 0.002 ≈ (0.7 px)²). */
export const IF_FIT_VAR_EPS = 0.002;

export interface ConvSpec {
  name: string;
  k: number;
  cin: number;
  cout: number;
  dilation: number;
  /** ReLU after the convolution (all but the last). */
  relu: boolean;
  /** 2×2 max-pool after the ReLU. */
  pool: boolean;
}
export const IF_CONVS: ConvSpec[] = [
  { name: 'conv1', k: 3, cin: 2, cout: 16, dilation: 1, relu: true, pool: true },
  { name: 'conv2', k: 3, cin: 16, cout: 32, dilation: 1, relu: true, pool: true },
  { name: 'conv3', k: 3, cin: 32, cout: 48, dilation: 1, relu: true, pool: false },
  { name: 'conv4', k: 3, cin: 48, cout: 48, dilation: 2, relu: true, pool: false },
  { name: 'conv5', k: 1, cin: 48, cout: 48, dilation: 1, relu: true, pool: false },
  { name: 'field', k: 1, cin: 48, cout: 4, dilation: 1, relu: false, pool: false },
];

/** Names and shapes of every weight, in the order of the weights manifest. */
export function weightSpecs(): { name: string; shape: number[] }[] {
  const specs: { name: string; shape: number[] }[] = [];
  for (const c of IF_CONVS) {
    specs.push({ name: `${c.name}/kernel`, shape: [c.k, c.k, c.cin, c.cout] });
    specs.push({ name: `${c.name}/bias`, shape: [c.cout] });
  }
  return specs;
}

export type IFWeights = Record<string, tf.Tensor>;

export const IF_ARCHITECTURE =
  'input 32×32×2 [pred boundary, GT boundary] → conv3×3(16)+ReLU → maxpool2 → conv3×3(32)+ReLU → maxpool2 → conv3×3(48)+ReLU → conv3×3 dilation 2 (48)+ReLU → conv1×1(48)+ReLU → conv1×1(4) = per 4×4-px cell of an 8×8 grid: displacement (δx, δy) and confidences softplus(wx, wy) → per-axis weighted least-squares fit of δ = t + (s−1)·u → θ = (t_x, t_y, s_x−1, s_y−1)';

/** Names of the kernels derived from the weights (withDerivedKernels); not part of the weights manifest. */
const GRAD = ':grad';
const PRED = 'conv1/kernel:pred';
const GT = 'conv1/kernel:gt';
/** The input-gradient kernel of the prediction's first-layer kernel on 2×2 blocks (frozenConvMaxPoolRelu). */
const PRED_BLOCK_GRAD = 'conv1/kernel:pred:block-grad';

/**
 * Adds to loaded weights what the frozen network would otherwise recompute on every call: each kernel's
 * input-gradient kernel (`<conv>/kernel:grad`, see src/ops/frozen-conv.ts), and the first layer's kernel
 * split by input channel (`conv1/kernel:pred`, `conv1/kernel:gt`), and the input-gradient kernel of the former on
 * 2×2 blocks (`conv1/kernel:pred:block-grad`), and the last layer split into its displacement and confidence
 * outputs (`field/kernel:delta`, `field/bias:delta`, … and their input-gradient kernels).
 */
export function withDerivedKernels(weights: IFWeights): IFWeights {
  return tf.tidy(() => {
    const out: IFWeights = { ...weights };
    for (const c of IF_CONVS) {
      const kernel = weights[`${c.name}/kernel`] as tf.Tensor4D;
      out[`${c.name}/kernel${GRAD}`] = gradientKernel(kernel);
    }
    const first = IF_CONVS[0] as ConvSpec;
    const kernel = weights[`${first.name}/kernel`] as tf.Tensor4D;
    const [k, , , cout] = kernel.shape;
    const pred = tf.slice(kernel, [0, 0, 0, 0], [k, k, 1, cout]) as tf.Tensor4D;
    out[PRED] = pred;
    out[PRED_BLOCK_GRAD] = gradientKernel(spaceToDepthKernel(pred));
    out[GT] = tf.slice(kernel, [0, 0, 1, 0], [k, k, 1, cout]);
    const last = IF_CONVS[IF_CONVS.length - 1] as ConvSpec;
    const head = weights[`${last.name}/kernel`] as tf.Tensor4D;
    const [kh, , cin] = head.shape;
    FIELD_PARTS.forEach((part, i) => {
      const partKernel = tf.slice(head, [0, 0, 0, 2 * i], [kh, kh, cin, 2]) as tf.Tensor4D;
      out[`${last.name}/kernel:${part}`] = partKernel;
      out[`${last.name}/kernel:${part}${GRAD}`] = gradientKernel(partKernel);
      out[`${last.name}/bias:${part}`] = tf.slice(weights[`${last.name}/bias`] as tf.Tensor, [2 * i], [2]);
    });
    return out;
  });
}

/** The last layer's outputs: channels 0–1 the displacement, 2–3 the confidences before softplus (fieldOf). */
const FIELD_PARTS = ['delta', 'confidence'] as const;

/** A derived kernel (withDerivedKernels), or a clear error for weights that were not loaded through the loader. */
function derived(weights: IFWeights, name: string): tf.Tensor4D {
  const t = weights[name];
  if (!t)
    throw new Error(`InverseForm: weights without the derived kernel ${name} (load them with inverseFormWeights())`);
  return t as tf.Tensor4D;
}

/** He-normal initialisation (seeded), biases 0. Returned tensors are tf.Variables for training. */
export function initWeights(seed: number): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  let s = seed;
  for (const spec of weightSpecs()) {
    const isBias = spec.name.endsWith('/bias');
    const fanIn = spec.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const init = tf.tidy(() =>
      isBias ? tf.zeros(spec.shape) : tf.randomNormal(spec.shape, 0, Math.sqrt(2 / fanIn), 'float32', s++),
    );
    out[spec.name] = tf.variable(init, true, spec.name);
    init.dispose();
  }
  return out;
}

/** 'same' convolution, stride 1, as im2col + matMul (gradients on every backend). x: [B,H,W,Cin]. */
function conv(x: tf.Tensor4D, kernel: tf.Tensor, bias: tf.Tensor, k: number, dilation: number): tf.Tensor4D {
  const [b, h, w, cin] = x.shape;
  const cout = kernel.shape[3] as number;
  if (k === 1) {
    const y = tf.add(tf.matMul(tf.reshape(x, [b * h * w, cin]), tf.reshape(kernel, [cin, cout])), bias);
    return tf.reshape(y, [b, h, w, cout]);
  }
  const r = (dilation * (k - 1)) / 2;
  const padded = tf.pad(x, [
    [0, 0],
    [r, r],
    [r, r],
    [0, 0],
  ]);
  const cols: tf.Tensor[] = [];
  for (let dy = 0; dy < k; dy++) {
    for (let dx = 0; dx < k; dx++) cols.push(tf.slice(padded, [0, dy * dilation, dx * dilation, 0], [b, h, w, cin]));
  }
  const patches = tf.reshape(tf.concat(cols, 3), [b * h * w, k * k * cin]);
  const y = tf.add(tf.matMul(patches, tf.reshape(kernel, [k * k * cin, cout])), bias);
  return tf.reshape(y, [b, h, w, cout]);
}

function maxPool2(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  return tf.max(tf.reshape(x, [b, h / 2, 2, w / 2, 2, c]), [2, 4]) as tf.Tensor4D;
}

/** Cell centres relative to the tile centre, in half-tile units: [1, G, G, 2] = (u_x, u_y). */
export function cellPositions(): Float32Array {
  const g = IF_GRID;
  const u = new Float32Array(g * g * 2);
  for (let i = 0; i < g; i++) {
    for (let j = 0; j < g; j++) {
      u[(i * g + j) * 2] = (IF_CELL * j + IF_CELL / 2 - IF_TILE / 2) / IF_SHIFT_UNIT_PX;
      u[(i * g + j) * 2 + 1] = (IF_CELL * i + IF_CELL / 2 - IF_TILE / 2) / IF_SHIFT_UNIT_PX;
    }
  }
  return u;
}

export type DisplacementField = {
  /** [B, G, G, 2] displacement (δ_x, δ_y) of the boundary at each cell, half-tile units. */
  delta: tf.Tensor4D;
  /** [B, G, G, 2] non-negative confidences (w_x, w_y). */
  confidence: tf.Tensor4D;
};

/**
 * The convolutional part: x [B, 32, 32, 2] → displacement field and confidences on the 8×8 grid.
 * `trainable`: im2col convolutions, whose gradient with respect to the kernels exists on every backend
 * (training). Otherwise frozenConv2d / maxPool2x2 (frozen weights: the loss needs only the gradient with
 * respect to the input, which they compute with forward convolutions), several times faster on wasm.
 */
export function inverseNetField(weights: IFWeights, x: tf.Tensor4D, trainable = false): DisplacementField {
  return tf.tidy((): DisplacementField => {
    let h = x;
    for (const c of IF_CONVS) {
      const kernel = weights[`${c.name}/kernel`] as tf.Tensor4D;
      const bias = weights[`${c.name}/bias`] as tf.Tensor;
      if (trainable) {
        const y = conv(h, kernel, bias, c.k, c.dilation);
        h = c.relu ? tf.relu(y) : y;
      } else
        h = frozenConvLayer(h, kernel, bias, c.relu, c.dilation, weights[`${c.name}/kernel${GRAD}`] as tf.Tensor4D);
      if (c.pool) h = trainable ? maxPool2(h) : maxPool2x2(h);
    }
    return fieldOf(h);
  });
}

function fieldOf(h: tf.Tensor4D): DisplacementField {
  const [b, g] = h.shape;
  const delta = tf.slice(h, [0, 0, 0, 0], [b, g, g, 2]);
  const confidence = tf.softplus(tf.slice(h, [0, 0, 0, 2], [b, g, g, 2]));
  return { delta, confidence };
}

/**
 * The first layer is linear in its two input channels: the ground-truth channel's term conv(gt, W₁) + b₁ is a
 * constant for a fixed ground truth (the loss memoises it), and the prediction needs only conv(pred, W₀). Returned
 * in the sub-pixel layout of frozenConvMaxPoolRelu: [4, B, 16, 16, 16] (subPixelMajor of [B, 32, 32, 16]).
 */
export function inverseNetGroundTruthTerm(weights: IFWeights, gt: tf.Tensor3D): tf.Tensor5D {
  return tf.tidy(() => {
    const first = IF_CONVS[0] as ConvSpec;
    const [b, h, w] = gt.shape;
    const x = tf.reshape(gt, [b, h, w, 1]) as tf.Tensor4D;
    const term = tf.add(
      tf.conv2d(x, derived(weights, GT), 1, 'same', 'NHWC', first.dilation),
      weights[`${first.name}/bias`] as tf.Tensor,
    ) as tf.Tensor4D;
    return subPixelMajor(term);
  });
}

/**
 * The frozen network's θ [B, 4] for predicted boundary tiles `pred` [B, 32, 32] whose ground-truth tiles
 * entered through `gtTerm` (inverseNetGroundTruthTerm of the same tiles, picked along axis 1 to match): equal to
 * inverseNetForward(weights, stack([pred, gt], -1)) up to float rounding, without stacking the two channels (a
 * JavaScript copy on wasm, and its gradient another) or convolving the constant one. The first two layers run
 * as frozenConvMaxPoolRelu (convolution per sub-pixel, ReLU after the max-pool: same values and gradient, no
 * upsampling in the backward pass); the first layer's input gradient (16 → 1 channels, XNNPACK's slowest shape)
 * runs on 2×2 blocks.
 */
export function inverseNetForwardWithGroundTruth(
  weights: IFWeights,
  pred: tf.Tensor3D,
  gtTerm: tf.Tensor5D,
): tf.Tensor2D {
  return tf.tidy(() => {
    const [first, second, ...middle] = IF_CONVS.slice(0, -1) as [ConvSpec, ConvSpec, ...ConvSpec[]];
    const last = IF_CONVS[IF_CONVS.length - 1] as ConvSpec;
    if (
      !(first.relu && first.pool && first.dilation === 1 && second.relu && second.pool && second.dilation === 1) ||
      last.relu ||
      last.pool ||
      last.k !== 1
    )
      throw new Error(
        'InverseForm: inverseNetForwardWithGroundTruth assumes conv + ReLU + pool in the first two layers and a 1×1 linear last one',
      );
    const [b, h, w] = pred.shape;
    const x0 = tf.reshape(pred, [b, h, w, 1]) as tf.Tensor4D;
    let x = frozenConvMaxPoolRelu(
      x0,
      derived(weights, PRED),
      { blockGradKernel: derived(weights, PRED_BLOCK_GRAD) },
      undefined,
      gtTerm,
    );
    x = frozenConvMaxPoolRelu(
      x,
      weights[`${second.name}/kernel`] as tf.Tensor4D,
      { gradKernel: derived(weights, `${second.name}/kernel${GRAD}`) },
      weights[`${second.name}/bias`] as tf.Tensor,
    );
    for (const c of middle) {
      const kernel = weights[`${c.name}/kernel`] as tf.Tensor4D;
      const bias = weights[`${c.name}/bias`] as tf.Tensor;
      x = frozenConvLayer(x, kernel, bias, c.relu, c.dilation, derived(weights, `${c.name}/kernel${GRAD}`));
      if (c.pool) x = maxPool2x2(x);
    }
    // the last layer as its two halves (two 1×1 convolutions instead of one and two channel slices)
    const [delta, confidence] = FIELD_PARTS.map((part) =>
      frozenConvLayer(
        x,
        derived(weights, `${last.name}/kernel:${part}`),
        derived(weights, `${last.name}/bias:${part}`),
        false,
        1,
        derived(weights, `${last.name}/kernel:${part}${GRAD}`),
      ),
    ) as [tf.Tensor4D, tf.Tensor4D];
    return fitAffineHost({ delta, confidence: tf.softplus(confidence) as tf.Tensor4D }); // ~180 fewer kernels
  });
}

/**
 * Per-axis weighted least-squares fit of δ = t + a·u over the cells: a = cov_w(u, δ) / (var_w(u) + ε),
 * t = mean_w(δ) − a·mean_w(u). Returns θ = (t_x, t_y, a_x, a_y) [B, 4].
 */
export function fitAffine(field: DisplacementField): tf.Tensor2D {
  return tf.tidy(() => {
    const { delta, confidence: w } = field;
    const u = tf.tensor4d(cellPositions(), [1, IF_GRID, IF_GRID, 2]);
    const sw = tf.add(tf.sum(w, [1, 2]), 1e-6); // [B, 2]
    const mean = (t: tf.Tensor) => tf.div(tf.sum(tf.mul(w, t), [1, 2]), sw);
    const mu = mean(u);
    const md = mean(delta);
    const varU = tf.sub(mean(tf.square(u)), tf.square(mu));
    const cov = tf.sub(mean(tf.mul(u, delta)), tf.mul(mu, md));
    const a = tf.div(cov, tf.add(tf.relu(varU), IF_FIT_VAR_EPS));
    const t = tf.sub(md, tf.mul(a, mu));
    return tf.concat([t, a], 1) as tf.Tensor2D;
  });
}

/** Forward pass: x [B, 32, 32, 2] → θ [B, 4] (see inverseNetField for `trainable`). */
export function inverseNetForward(weights: IFWeights, x: tf.Tensor4D, trainable = false): tf.Tensor2D {
  return tf.tidy(() => fitAffine(inverseNetField(weights, x, trainable)));
}

/** TF.js weights-manifest entry (model.json `weightsManifest`). */
export interface WeightsManifestGroup {
  paths: string[];
  weights: { name: string; shape: number[]; dtype: 'float32' }[];
}

/** Serialises weights as one float32 shard in manifest order. */
export function serializeWeights(weights: IFWeights): { manifest: WeightsManifestGroup[]; data: Uint8Array } {
  const specs = weightSpecs();
  const total = specs.reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0);
  const flat = new Float32Array(total);
  let off = 0;
  for (const s of specs) {
    const v = (weights[s.name] as tf.Tensor).dataSync() as Float32Array;
    flat.set(v, off);
    off += v.length;
  }
  return {
    manifest: [{ paths: ['group1-shard1of1.bin'], weights: specs.map((s) => ({ ...s, dtype: 'float32' as const })) }],
    data: new Uint8Array(flat.buffer),
  };
}

/** Builds weight tensors from a manifest and the concatenated shard bytes (checks names and shapes). */
export function deserializeWeights(manifest: WeightsManifestGroup[], data: ArrayBuffer | Uint8Array): IFWeights {
  const bytes = data instanceof Uint8Array ? data : new Uint8Array(data);
  const floats = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const entries = manifest.flatMap((g) => g.weights);
  const expected = weightSpecs();
  const out: IFWeights = {};
  let off = 0;
  for (const e of entries) {
    if (e.dtype !== 'float32') throw new Error(`InverseForm weights: ${e.name} has dtype ${e.dtype}, expected float32`);
    const size = e.shape.reduce((a, b) => a * b, 1);
    out[e.name] = tf.tensor(floats.subarray(off, off + size), e.shape, 'float32');
    off += size;
  }
  if (off !== floats.length) {
    for (const t of Object.values(out)) t.dispose();
    throw new Error(`InverseForm weights: manifest describes ${off} floats, shard holds ${floats.length}`);
  }
  for (const s of expected) {
    const t = out[s.name];
    if (!t || t.shape.join(',') !== s.shape.join(',')) {
      for (const x of Object.values(out)) x.dispose();
      throw new Error(`InverseForm weights: ${s.name} missing or has the wrong shape (expected [${s.shape}])`);
    }
  }
  return out;
}
