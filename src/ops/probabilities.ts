import { tf } from '../tf';
import { memoOfLogits } from './prediction-memo';

/**
 * Softmax over the class axis (last) of channels-last logits. Computed once per engine update where the tape is
 * off (ops/prediction-memo.ts).
 */
export function softmax(logits: tf.Tensor4D): tf.Tensor4D {
  return memoOfLogits(logits, 'softmax', () => tf.softmax(logits, -1) as tf.Tensor4D);
}

/** log softmax over the class axis; exact (no clamping), stable for large logits. Memoised as softmax. */
export function logSoftmax(logits: tf.Tensor4D): tf.Tensor4D {
  return memoOfLogits(logits, 'log-softmax', () => tf.logSoftmax(logits, -1) as tf.Tensor4D);
}

/** Float32 one-hot of integer labels [N, H, W] → [N, H, W, C]. Prefer ctx.oneHot(), which is cached. */
export function oneHot(target: tf.Tensor3D, numClasses: number): tf.Tensor4D {
  return tf.tidy(() => tf.cast(tf.oneHot(tf.cast(target, 'int32'), numClasses), 'float32') as tf.Tensor4D);
}

/**
 * Selects classes along the last axis (e.g. drop background) with a constant index list.
 * Returns the input unchanged when every class is selected. A contiguous range is a slice; any other list is
 * a product with a constant 0/1 selection matrix (not tf.gather: its gradient needs UnsortedSegmentSum,
 * which the WASM backend lacks).
 */
export function selectClasses<T extends tf.Tensor>(x: T, classes: readonly number[]): T {
  const c = x.shape[x.rank - 1] as number;
  if (classes.length === c && classes.every((k, i) => k === i)) return x;
  const first = classes[0] ?? 0;
  if (classes.every((k, i) => k === first + i)) {
    const begin = x.shape.map((_, i) => (i === x.rank - 1 ? first : 0));
    const size = x.shape.map((d, i) => (i === x.rank - 1 ? classes.length : d));
    return tf.slice(x, begin, size) as T;
  }
  const sel = new Float32Array(c * classes.length);
  classes.forEach((k, j) => {
    sel[k * classes.length + j] = 1;
  });
  const flat = tf.reshape(x, [-1, c]) as tf.Tensor2D;
  const picked = tf.matMul(flat, tf.tensor2d(sel, [c, classes.length]));
  return tf.reshape(picked, [...x.shape.slice(0, -1), classes.length]) as T;
}

/** Class indices 0..C-1, or 1..C-1 without background. */
export function classRange(numClasses: number, includeBackground: boolean): number[] {
  const out: number[] = [];
  for (let c = includeBackground ? 0 : 1; c < numClasses; c++) out.push(c);
  return out;
}

/**
 * Softmax for the forward pass of a custom-gradient op (not meant to be differentiated by the tape). With two
 * classes it is σ(x₀ − x₁), σ(x₁ − x₀): one 2×2 MatMul and a Sigmoid, about half the time of the Softmax kernel
 * on wasm at 256² (same float32 accuracy: each probability is computed directly, never as 1 − the other).
 */
export function softmaxTwoClassFast(logits: tf.Tensor4D): tf.Tensor4D {
  if (logits.shape[3] !== 2) return softmax(logits);
  return memoOfLogits(logits, 'softmax-two-class', () =>
    tf.tidy(() => {
      const diff = tf.matMul(tf.reshape(logits, [-1, 2]) as tf.Tensor2D, tf.tensor2d([1, -1, -1, 1], [2, 2]));
      return tf.reshape(tf.sigmoid(diff), logits.shape) as tf.Tensor4D;
    }),
  );
}
