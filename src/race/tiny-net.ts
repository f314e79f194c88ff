// The race's tiny fully convolutional network: three 3×3 conv layers (ReLU, 8 channels) and a 1×1 layer to C
// logits, added to the starting logits z₀:  logits = z₀ + f_W(x). The 1×1 layer starts at zero, so step 0 is
// exactly the current prediction for every racer (same start); the hidden layers get He-normal weights from the
// project's seeded PRNG (same seed → same weights). Where the backend can differentiate tf.conv2d with respect to
// its filter (cpu, webgl) the 3×3 layers are conv2d; elsewhere (WASM has no Conv2DBackpropFilter kernel) they
// are im2col + matMul (pad, nine shifted slices, concat). Both compute the same function.
import { mulberry32 } from '../ops/random';
import { tf } from '../tf';

export const TINY_NET_WIDTH = 8;
export const TINY_NET_HIDDEN_LAYERS = 3;

export interface TinyNetShape {
  inChannels: number;
  numClasses: number;
}

/** Standard normal samples from mulberry32 (Box–Muller). */
function gaussian(rand: () => number, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(rand(), 1e-12);
    const v = rand();
    const r = Math.sqrt(-2 * Math.log(u)) * std;
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/**
 * Initial weights: [w₁, b₁, w₂, b₂, w₃, b₃, w_out, b_out]; 3×3 kernels as [9·Cin, Cout] matrices (rows ordered
 * (dy, dx, cin)), biases 0, w_out = 0.
 */
export function initTinyNet(shape: TinyNetShape, seed: number): tf.Tensor[] {
  const rand = mulberry32(seed);
  const ws: tf.Tensor[] = [];
  let cin = shape.inChannels;
  for (let l = 0; l < TINY_NET_HIDDEN_LAYERS; l++) {
    const fanIn = 9 * cin;
    ws.push(tf.tensor2d(gaussian(rand, fanIn * TINY_NET_WIDTH, Math.sqrt(2 / fanIn)), [fanIn, TINY_NET_WIDTH]));
    ws.push(tf.zeros([TINY_NET_WIDTH]));
    cin = TINY_NET_WIDTH;
  }
  ws.push(tf.zeros([TINY_NET_WIDTH, shape.numClasses]));
  ws.push(tf.zeros([shape.numClasses]));
  return ws;
}

/** [1, H, W, Cin] → [H·W, 9·Cin]: the 3×3 neighbourhood of every pixel (zero padding). */
function im2col(x: tf.Tensor4D): tf.Tensor2D {
  const [, h, w, c] = x.shape;
  const padded = tf.pad(x, [
    [0, 0],
    [1, 1],
    [1, 1],
    [0, 0],
  ]);
  const parts: tf.Tensor4D[] = [];
  for (let dy = 0; dy < 3; dy++)
    for (let dx = 0; dx < 3; dx++) parts.push(tf.slice(padded, [0, dy, dx, 0], [1, h, w, c]));
  return tf.reshape(tf.concat(parts, 3), [h * w, 9 * c]);
}

function conv3x3(x: tf.Tensor4D, w: tf.Tensor2D, useConv2d: boolean): tf.Tensor2D {
  const [, h, wd, c] = x.shape;
  if (useConv2d) {
    const y = tf.conv2d(x, tf.reshape(w, [3, 3, c, TINY_NET_WIDTH]) as tf.Tensor4D, 1, 'same');
    return tf.reshape(y, [h * wd, TINY_NET_WIDTH]);
  }
  return tf.matMul(im2col(x), w);
}

/** True when the active backend has the kernel for conv2d's filter gradient. */
function hasConvFilterGrad(): boolean {
  return tf.getKernel('Conv2DBackpropFilter', tf.getBackend()) !== undefined;
}

/** logits = z₀ + f_W(input); input [1, H, W, Cin], z₀ [1, H, W, C]. */
export function tinyNetLogits(weights: readonly tf.Tensor[], input: tf.Tensor4D, start: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = input.shape;
    const useConv2d = hasConvFilterGrad();
    let x: tf.Tensor4D = input;
    for (let l = 0; l < TINY_NET_HIDDEN_LAYERS; l++) {
      const y = tf.add(conv3x3(x, weights[2 * l] as tf.Tensor2D, useConv2d), weights[2 * l + 1] as tf.Tensor);
      x = tf.reshape(tf.relu(y), [1, h, w, TINY_NET_WIDTH]);
    }
    const k = TINY_NET_HIDDEN_LAYERS * 2;
    const flat = tf.reshape(x, [h * w, TINY_NET_WIDTH]);
    const out = tf.add(tf.matMul(flat, weights[k] as tf.Tensor2D), weights[k + 1] as tf.Tensor);
    return tf.add(start, tf.reshape(out, start.shape)) as tf.Tensor4D;
  });
}
