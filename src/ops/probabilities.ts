import { tf } from '../tf';
import { complementProbabilities } from './complement';
import { pixelMatMul } from './pixel-matmul';
import { memoOfLogits } from './prediction-memo';

/**
 * Softmax over the class axis (last) of channels-last logits, as one op with a closed-form gradient:
 * ∂/∂x_c = p_c (dy_c − Σ_k dy_k p_k). With two classes it is σ(x₀ − x₁), σ(x₁ − x₀) (a 2×2 MatMul and a
 * Sigmoid: each probability computed directly, never as 1 − the other; ≈ 5× faster than the Softmax kernel on
 * wasm at 256²) and the gradient is p₀p₁ (dy_c − dy_other).
 *
 * Inside an engine update (ops/prediction-memo.ts) the forward pass is computed once for every loss, also
 * under the gradient tape: the tape sees only this op, whose backward pass reads the memoised p again.
 */
export function softmax(logits: tf.Tensor4D): tf.Tensor4D {
  return probabilityOp(logits, 'softmax', softmaxForward, softmaxBackward);
}

/**
 * log softmax over the class axis; exact (no clamping of the value), stable for large logits; one op with the
 * closed-form gradient dy − p Σ_k dy_k, memoised like softmax. With two classes it is log σ(x_c − x_other),
 * computed as log σ(max(d, −30)) + (d − max(d, −30)): below −30, log σ(d) = d − log(1 + e^d) equals d in
 * float32, and σ never underflows to 0 (a Log, a Sigmoid and a MatMul instead of the slower LogSoftmax kernel).
 */
export function logSoftmax(logits: tf.Tensor4D): tf.Tensor4D {
  return probabilityOp(logits, 'log-softmax', logSoftmaxForward, logSoftmaxBackward);
}

/** Where log σ(d) is computed as is; below it, log σ(d) = d in float32 (e^−30 ≈ 1e−13 ≪ ulp(30)). */
const LOG_SIGMOID_LINEAR_BELOW = -30;

/** [x₀ − x₁, x₁ − x₀] per pixel of two-class logits (one small MatMul). */
function twoClassMargins(logits: tf.Tensor4D): tf.Tensor4D {
  return pixelMatMul(logits, [1, -1, -1, 1], 2, 2) as tf.Tensor4D;
}

function softmaxForward(logits: tf.Tensor4D): tf.Tensor4D {
  if (logits.shape[3] !== 2) return tf.softmax(logits, -1) as tf.Tensor4D;
  return tf.tidy(() => tf.sigmoid(twoClassMargins(logits)));
}

function logSoftmaxForward(logits: tf.Tensor4D): tf.Tensor4D {
  if (logits.shape[3] !== 2) return tf.logSoftmax(logits, -1) as tf.Tensor4D;
  return tf.tidy(() => {
    const d = twoClassMargins(logits);
    const clipped = tf.clipByValue(d, LOG_SIGMOID_LINEAR_BELOW, 3e38);
    return tf.add(tf.log(tf.sigmoid(clipped)), tf.sub(d, clipped)) as tf.Tensor4D;
  });
}

/** Per-pixel (p₀p₁, p₀p₁) of two-class logits: the softmax Jacobian's only entry (1 − p₀ = p₁ for two classes). */
function twoClassJacobian(logits: tf.Tensor4D): tf.Tensor4D {
  return memoOfLogits(logits, 'softmax-jacobian', () => {
    const p = softmax(logits);
    return tf.mul(p, complementProbabilities(p)) as tf.Tensor4D;
  });
}

function softmaxBackward(dy: tf.Tensor4D, logits: tf.Tensor4D): tf.Tensor4D {
  if (logits.shape[3] === 2) return tf.mul(twoClassMargins(dy), twoClassJacobian(logits));
  const p = softmax(logits);
  return tf.mul(p, tf.sub(dy, tf.sum(tf.mul(dy, p), -1, true)));
}

function logSoftmaxBackward(dy: tf.Tensor4D, logits: tf.Tensor4D): tf.Tensor4D {
  const p = softmax(logits);
  const c = logits.shape[3];
  // Σ_k dy_k at every class: a MatMul with ones (a broadcast of a [.., 1] sum costs 20× a same-shape op on wasm)
  const total = c === 2 ? pixelMatMul(dy, [1, 1, 1, 1], 2, 2) : tf.sum(dy, -1, true);
  return tf.sub(dy, tf.mul(p, total));
}

/**
 * `forward(logits)`, memoised per engine update, as a single op for the tape with gradient `backward`. The
 * forward pass runs with the tape paused (inside tf.customGrad), so the memo serves it there too; the value is
 * a clone (shared data, not a copy) so that each use is its own tape node.
 */
function probabilityOp(
  logits: tf.Tensor4D,
  key: string,
  forward: (x: tf.Tensor4D) => tf.Tensor4D,
  backward: (dy: tf.Tensor4D, x: tf.Tensor4D) => tf.Tensor4D,
): tf.Tensor4D {
  if (!tf.engine().isTapeOn()) return memoOfLogits(logits, key, () => forward(logits));
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor4D;
    (args[1] as tf.GradSaveFunc)([x]);
    return {
      value: tf.clone(memoOfLogits(x, key, () => forward(x))),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => backward(dy as tf.Tensor4D, saved[0] as tf.Tensor4D),
    };
  });
  return op(logits) as tf.Tensor4D;
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
