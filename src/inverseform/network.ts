/**
 * Our small inverse-transformation network for the InverseForm loss (NOT the authors' network).
 *
 * Borse et al. (CVPR 2021) train an MLP (224·224·2 → 1000 → 32 → 4 in the release) that regresses the
 * transformation between two boundary maps. Their weights are not public, so SegLoss Explorer trains its
 * own network with `npm run train:inverseform` (scripts/train-inverseform.ts) on synthetic boundary maps.
 *
 * Architecture (input: a 32×32 tile with 2 channels, [predicted boundary, ground-truth boundary]):
 *   conv5×5(2→16)+ReLU → maxpool2 → conv3×3(16→32)+ReLU → maxpool2 → conv3×3(32→64)+ReLU → maxpool2
 *   → flatten(4·4·64 = 1024) → dense(1024→64)+ReLU → dense(64→4)
 * Output θ = (t_x, t_y, s_x − 1, s_y − 1): the shift in tile-normalised units (2·pixels/32, the
 * [-1, 1] convention of spatial transformers) and the scale about the tile centre minus 1, i.e. the
 * non-zero entries of A − I for A = [[s_x, 0, t_x], [0, s_y, t_y]]. ‖θ‖₂ is therefore the Frobenius
 * distance of the affine matrix from the identity (the paper's Euclidean variant).
 *
 * Every op is chosen so that the forward pass and its gradient run on cpu, wasm and webgl: for training,
 * convolutions are im2col (pad + slices + concat) followed by a matMul (tfjs-backend-wasm has no
 * Conv2DBackpropFilter); the frozen network in the loss uses tf.conv2d; max-pooling is a reshape + max
 * over the 2×2 axes.
 */
import { tf } from '../tf';

export const IF_TILE = 32;
export const IF_IN_CHANNELS = 2;
export const IF_OUTPUTS = 4;
/** Pixels per unit of the normalised shift output: t_px = t · IF_TILE / 2. */
export const IF_SHIFT_UNIT_PX = IF_TILE / 2;

export interface ConvSpec {
  name: string;
  k: number;
  cin: number;
  cout: number;
}
export const IF_CONVS: ConvSpec[] = [
  { name: 'conv1', k: 5, cin: 2, cout: 16 },
  { name: 'conv2', k: 3, cin: 16, cout: 32 },
  { name: 'conv3', k: 3, cin: 32, cout: 64 },
];
export const IF_DENSE: { name: string; nin: number; nout: number }[] = [
  { name: 'dense1', nin: 4 * 4 * 64, nout: 64 },
  { name: 'dense2', nin: 64, nout: IF_OUTPUTS },
];

/** Names and shapes of every weight, in the order of the weights manifest. */
export function weightSpecs(): { name: string; shape: number[] }[] {
  const specs: { name: string; shape: number[] }[] = [];
  for (const c of IF_CONVS) {
    specs.push({ name: `${c.name}/kernel`, shape: [c.k, c.k, c.cin, c.cout] });
    specs.push({ name: `${c.name}/bias`, shape: [c.cout] });
  }
  for (const d of IF_DENSE) {
    specs.push({ name: `${d.name}/kernel`, shape: [d.nin, d.nout] });
    specs.push({ name: `${d.name}/bias`, shape: [d.nout] });
  }
  return specs;
}

export type IFWeights = Record<string, tf.Tensor>;

export const IF_ARCHITECTURE =
  'input 32×32×2 [pred boundary, GT boundary] → conv5×5(16)+ReLU → maxpool2 → conv3×3(32)+ReLU → maxpool2 → conv3×3(64)+ReLU → maxpool2 → dense(64)+ReLU → dense(4) = (t_x, t_y, s_x−1, s_y−1)';

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
function conv(x: tf.Tensor4D, kernel: tf.Tensor, bias: tf.Tensor, k: number): tf.Tensor4D {
  const [b, h, w, cin] = x.shape;
  const r = (k - 1) / 2;
  const padded = tf.pad(x, [
    [0, 0],
    [r, r],
    [r, r],
    [0, 0],
  ]);
  const cols: tf.Tensor[] = [];
  for (let dy = 0; dy < k; dy++) {
    for (let dx = 0; dx < k; dx++) cols.push(tf.slice(padded, [0, dy, dx, 0], [b, h, w, cin]));
  }
  const patches = tf.reshape(tf.concat(cols, 3), [b * h * w, k * k * cin]);
  const cout = kernel.shape[3] as number;
  const y = tf.add(tf.matMul(patches, tf.reshape(kernel, [k * k * cin, cout])), bias);
  return tf.reshape(y, [b, h, w, cout]);
}

function maxPool2(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  return tf.max(tf.reshape(x, [b, h / 2, 2, w / 2, 2, c]), [2, 4]) as tf.Tensor4D;
}

/**
 * Forward pass: x [B, 32, 32, 2] → θ [B, 4].
 * `trainable`: im2col convolutions, whose gradient with respect to the kernels exists on every backend
 * (training). Otherwise tf.conv2d (frozen weights: the loss only needs the gradient with respect to the
 * input, Conv2DBackpropInput, which cpu, wasm and webgl all have), ~3× faster on wasm.
 */
export function inverseNetForward(weights: IFWeights, x: tf.Tensor4D, trainable = false): tf.Tensor2D {
  return tf.tidy(() => {
    let h = x;
    for (const c of IF_CONVS) {
      const kernel = weights[`${c.name}/kernel`] as tf.Tensor4D;
      const bias = weights[`${c.name}/bias`] as tf.Tensor;
      const y = trainable ? conv(h, kernel, bias, c.k) : (tf.add(tf.conv2d(h, kernel, 1, 'same'), bias) as tf.Tensor4D);
      h = maxPool2(tf.relu(y));
    }
    const b = h.shape[0];
    let z: tf.Tensor2D = tf.reshape(h, [b, -1]);
    IF_DENSE.forEach((d, i) => {
      z = tf.add(tf.matMul(z, weights[`${d.name}/kernel`] as tf.Tensor2D), weights[`${d.name}/bias`] as tf.Tensor);
      if (i < IF_DENSE.length - 1) z = tf.relu(z);
    });
    return z;
  });
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
