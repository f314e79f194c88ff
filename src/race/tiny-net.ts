// The race's tiny fully convolutional network: three 3×3 conv layers (ReLU, 8 channels) and a 1×1 layer to C
// logits, added to the starting logits z₀:  logits = z₀ + f_W(x). The 1×1 layer starts at zero, so step 0 is
// exactly the current prediction for every racer (same start); the hidden layers get He-normal weights from the
// project's seeded PRNG (same seed → same weights). Where the backend can differentiate tf.conv2d with respect to
// its filter (cpu, webgl) the 3×3 layers are conv2d; WASM has no Conv2DBackpropFilter kernel, so there conv2d
// gets its filter gradient from a custom gradient (convSameOwnFilterGrad); im2col + matMul is the fallback.
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

/**
 * conv2d 'same' with a hand-written gradient for backends without Conv2DBackpropFilter (WASM): dx from
 * conv2dTranspose, and the filter gradient as one 'valid' conv2d of the padded input (channels as the batch) with
 * dy as the filter — dW[i, j, ci, co] = Σ_{h,w} xpad[h+i, w+j, ci] · dy[h, w, co], as TensorFlow computes it.
 */
const convSameOwnFilterGrad = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x4, w4, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
  save([x4, w4]);
  return {
    value: tf.conv2d(x4, w4, 1, 'same'),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
      const g = dy as tf.Tensor4D;
      const dx = tf.conv2dTranspose(g, ws, xs.shape, 1, 'same');
      const xpad = tf.pad(xs, [
        [0, 0],
        [1, 1],
        [1, 1],
        [0, 0],
      ]);
      const dw = tf.conv2d(
        tf.transpose(xpad, [3, 1, 2, 0]) as tf.Tensor4D,
        tf.transpose(g, [1, 2, 0, 3]) as tf.Tensor4D,
        1,
        'valid',
      );
      return [dx, tf.transpose(dw, [1, 2, 0, 3])];
    },
  };
});

function conv3x3(x: tf.Tensor4D, w: tf.Tensor2D, how: ConvPath): tf.Tensor2D {
  const [, h, wd, c] = x.shape;
  if (how === 'im2col') return tf.matMul(im2col(x), w);
  const w4 = tf.reshape(w, [3, 3, c, TINY_NET_WIDTH]) as tf.Tensor4D;
  const y = how === 'conv2d' ? tf.conv2d(x, w4, 1, 'same') : (convSameOwnFilterGrad(x, w4) as tf.Tensor4D);
  return tf.reshape(y, [h * wd, TINY_NET_WIDTH]);
}

/** How the 3×3 layers are computed (all give the same function and gradients). */
export type ConvPath = 'conv2d' | 'custom-grad' | 'im2col';

/** conv2d where the backend differentiates it (cpu, webgl); else conv2d with our own filter gradient (wasm). */
function convPath(): ConvPath {
  const b = tf.getBackend();
  if (tf.getKernel('Conv2DBackpropFilter', b) !== undefined) return 'conv2d';
  if (tf.getKernel('Conv2D', b) && tf.getKernel('Conv2DBackpropInput', b)) return 'custom-grad';
  return 'im2col';
}

/** logits = z₀ + f_W(input); input [1, H, W, Cin], z₀ [1, H, W, C]. */
export function tinyNetLogits(
  weights: readonly tf.Tensor[],
  input: tf.Tensor4D,
  start: tf.Tensor4D,
  path: ConvPath = convPath(),
): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = input.shape;
    let x: tf.Tensor4D = input;
    for (let l = 0; l < TINY_NET_HIDDEN_LAYERS; l++) {
      const y = tf.add(conv3x3(x, weights[2 * l] as tf.Tensor2D, path), weights[2 * l + 1] as tf.Tensor);
      x = tf.reshape(tf.relu(y), [1, h, w, TINY_NET_WIDTH]);
    }
    const k = TINY_NET_HIDDEN_LAYERS * 2;
    const flat = tf.reshape(x, [h * w, TINY_NET_WIDTH]);
    const out = tf.add(tf.matMul(flat, weights[k] as tf.Tensor2D), weights[k + 1] as tf.Tensor);
    return tf.add(start, tf.reshape(out, start.shape)) as tf.Tensor4D;
  });
}
