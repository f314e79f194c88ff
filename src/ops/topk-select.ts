/**
 * Constants inside a taped computation, and top-k selection whose gradient flows through the selected values.
 *
 * TF.js has no stopGradient and no gradient for TopK (nor for ScatterNd). Both are solved with `tf.customGrad`:
 * ops run inside a custom-gradient forward function are not recorded on the tape (the engine records only at
 * kernel depth 0), and the declared gradient is zero. So the selection is computed from the values without
 * making the values' gradient depend on it, exactly as `torch.topk` indices are constants in the references.
 *
 * Backends:
 * - cpu, wasm: TopK and ScatterNd are native kernels; nothing is read back.
 * - webgl: tf.topk hands off to the CPU when the last dimension has fewer than
 *   `TOPK_LAST_DIM_CPU_HANDOFF_SIZE_THRESHOLD` (100 000) values **or** k exceeds `TOPK_K_CPU_HANDOFF_THRESHOLD`
 *   (128). A TopK loss over a 256×256 image (65 536 pixels, k = 6 553) always takes that path: the values are
 *   downloaded (a synchronous GPU→CPU read-back, which also waits for the GPU to finish), sorted on the CPU, and
 *   the indices are uploaded again for ScatterNd. The selection is never differentiated, so only the forward
 *   pass pays for it.
 * - tf.gather is avoided on purpose: its gradient (UnsortedSegmentSum) is missing on wasm. The mask product
 *   `values · mask` has an ordinary Multiply gradient on every backend.
 *
 * Ties: tf.topk breaks ties by index; torch.topk's order for ties is unspecified. The sum of the k largest
 * values is the same either way, only which tied entry receives the gradient can differ.
 */
import { tf } from '../tf';

/**
 * `fn(x)` as a constant: computed off the tape (inside a custom-gradient forward, where the engine records
 * nothing), with a zero gradient back to `x`. Use it for selections, masks and comparisons (TopK, ScatterNd,
 * Less, … have no gradient, and an op without one anywhere between the input and the loss makes tf.grad throw
 * even if its output is only used as a mask). The result must be a float tensor of x's shape.
 */
export function constantFrom(x: tf.Tensor, fn: (v: tf.Tensor) => tf.Tensor): tf.Tensor {
  const f = tf.customGrad((...args) => ({
    value: tf.tidy(() => fn(args[0] as tf.Tensor)),
    gradFunc: (_dy: tf.Tensor) => tf.zerosLike(args[0] as tf.Tensor),
  }));
  return f(x);
}

/** `x` as a constant: same value, zero gradient (TF.js has no stopGradient). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return constantFrom(x, (v) => tf.clone(v)) as T;
}

/** Number of entries TopK keeps: ⌊count · percent / 100⌋, as `int(num_voxels * k / 100)` in nnU-Net/SegLoss. */
export function topkCount(count: number, percent: number): number {
  return Math.floor((count * percent) / 100);
}

/**
 * Constant 0/1 float mask with the shape of `values`: 1 at the `k` largest entries of the flattened tensor.
 * Zero gradient (a constant). k ≤ 0 gives all zeros, k ≥ size all ones.
 */
export function topkMask(values: tf.Tensor, k: number): tf.Tensor {
  const size = values.size;
  const shape = values.shape;
  return constantFrom(values, (v) => {
    if (k <= 0) return tf.zeros(shape);
    if (k >= size) return tf.ones(shape);
    const { indices } = tf.topk(tf.reshape(v, [size]), k, false);
    const mask = tf.scatterND(tf.reshape(indices, [k, 1]), tf.ones([k], 'float32'), [size]);
    return tf.reshape(mask, shape);
  });
}

/**
 * Σ of the k largest entries of `values` (flattened). Differentiable: the gradient is 1 at the selected entries
 * and 0 elsewhere; the selection itself is constant.
 */
export function topkSum(values: tf.Tensor, k: number): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.mul(values, topkMask(values, k))) as tf.Scalar);
}
