/**
 * Constants inside a taped computation, and top-k selection whose gradient flows through the selected values.
 *
 * TF.js has no stopGradient and no gradient for TopK (nor for comparisons). Both are solved with `tf.customGrad`:
 * ops run inside a custom-gradient forward function are not recorded on the tape (the engine records only at
 * kernel depth 0), and the declared gradient is zero. So the selection is computed from the values without
 * making the values' gradient depend on it, exactly as `torch.topk` indices are constants in the references.
 *
 * Backends:
 * - cpu, wasm: TopK is a native kernel; nothing is read back.
 * - webgl: tf.topk hands off to the CPU when the last dimension has fewer than
 *   `TOPK_LAST_DIM_CPU_HANDOFF_SIZE_THRESHOLD` (100 000) values **or** k exceeds `TOPK_K_CPU_HANDOFF_THRESHOLD`
 *   (128). A TopK loss over a 256×256 image (65 536 pixels, k = 6 553) always takes that path: the values are
 *   downloaded (a synchronous GPU→CPU read-back, which also waits for the GPU to finish) and sorted on the CPU;
 *   the k-th value is uploaded again for the comparisons. The selection is never differentiated, so only the
 *   forward pass pays for it.
 * - tf.gather is avoided on purpose: its gradient (UnsortedSegmentSum) is missing on wasm. The mask product
 *   `values · mask` has an ordinary Multiply gradient on every backend.
 *
 * Ties: torch.topk picks an unspecified subset of entries tied at the k-th value; here they share the
 * selection evenly. The sum of the k largest values is the same either way; only how the gradient is spread
 * over tied entries can differ (the golden vectors have no ties).
 */
import { tf } from '../tf';
import { equalMask } from './equal-mask';

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
 * Constant float mask with the shape of `values`: 1 at the `k` largest entries of the flattened tensor, 0
 * elsewhere, and, when several entries equal the k-th largest value, the remaining share of k split evenly
 * among them (so the mask always sums to k and Σ mask·values is exactly the sum of the k largest).
 * Zero gradient (a constant). k ≤ 0 gives all zeros, k ≥ size all ones.
 *
 * Built from the k-th largest value (tf.topk) and two elementwise comparisons, all O(size) on the device.
 * (A first version scattered the top-k indices with ScatterNd: exact too, but the WebGL ScatterNd shader loops
 * over all k updates for every output entry, O(size·k): 11.7 s for value + gradient at 256×256 on SwiftShader.)
 */
export function topkMask(values: tf.Tensor, k: number): tf.Tensor {
  const size = values.size;
  const shape = values.shape;
  return constantFrom(values, (v) => {
    if (k <= 0) return tf.zeros(shape);
    if (k >= size) return tf.ones(shape);
    const { values: top } = tf.topk(tf.reshape(v, [size]), k, false); // unsorted: cheaper
    const kth = tf.min(top); // the k-th largest value
    // 1[v > kth] and 1[v = kth] from Step (for finite values v − kth > 0 exactly when v > kth; a difference a
    // backend flushes to zero counts as a tie): ~10× cheaper on wasm than Greater/Equal + Cast
    const above = tf.step(tf.sub(v, kth));
    const tied = equalMask(v, kth);
    // k − #above of the entries equal to the k-th value are selected; split that share evenly among them
    const share = tf.div(tf.sub(k, tf.sum(above)), tf.sum(tied));
    return tf.add(above, tf.mul(tied, share));
  });
}

/**
 * Σ of the k largest entries of `values` (flattened). Differentiable: the gradient is 1 at the selected entries
 * and 0 elsewhere; the selection itself is constant.
 */
export function topkSum(values: tf.Tensor, k: number): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.mul(values, topkMask(values, k))) as tf.Scalar);
}
