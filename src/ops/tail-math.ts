/**
 * The arithmetic of a loss's small tail — what it does with its per-(image, class) sums once the full-size work
 * is done (ratios, powers, means over a few numbers) — written once against this interface and run either on
 * tensors (TENSOR_MATH: the tape differentiates it) or on the host in float64 (ops/host-tail-math.ts: a small
 * reverse-mode differentiator). ops/small-tail.ts picks which.
 *
 * Why: on the tape, each of these operations on a [N, C] tensor is a kernel launch forward and one to three
 * backward, and at 64² the region losses' tails were most of their ≈ 60–185 kernels (kernel launches, not
 * arithmetic, bound an update at that size: the engine took ≈ 19 ms at 8² and ≈ 21 ms at 64², Node wasm).
 *
 * Semantics follow tf's: elementwise operations broadcast (numpy rules), `maximum`'s gradient goes to the first
 * argument where it is ≥ the floor, `pow` with one exponent per class broadcasts along the last axis.
 */
import { tf } from '../tf';
import { selectClasses } from './probabilities';
import { constantFrom } from './topk-select';

export type Operand<V> = V | number;

export interface TailMath<V> {
  add(a: Operand<V>, b: Operand<V>): V;
  sub(a: Operand<V>, b: Operand<V>): V;
  mul(a: Operand<V>, b: Operand<V>): V;
  div(a: Operand<V>, b: Operand<V>): V;
  neg(a: V): V;
  log(a: V): V;
  /** log(1 + a) for a > −1 (tf.log1p on tensors). */
  log1p(a: V): V;
  exp(a: V): V;
  /** a^e, with e one exponent or one per class (along the last axis). */
  pow(a: V, e: number | readonly number[]): V;
  /** max(a, floor), the gradient to a where a ≥ floor. */
  maximum(a: V, floor: number): V;
  /** log(cosh a), accurate for small |a|, with the gradient tanh a. */
  logCosh(a: V): V;
  /** e / (e + s) with the gradients s/(e+s)² and −e/(e+s)² evaluated without cancellation or overflow. */
  ratio(e: V, s: V): V;
  /** Mean over every element (a scalar). */
  mean(a: V): V;
  /** Sum over every element, or over one axis (removed). */
  sum(a: V, axis?: number): V;
  /** The slices along the first axis. */
  unstack(a: V): V[];
  /** The given classes along the last axis, in order. */
  select(a: V, classes: readonly number[]): V;
  /** A constant from values, [values.length] by default. */
  constant(values: readonly number[], shape?: number[]): V;
}

/**
 * tanh x = sign(x) · (−t)/(t + 2) with t = expm1(−2|x|) ∈ (−1, 0]: no cancellation for small |x| (unlike
 * (e^{2x} − 1)/(e^{2x} + 1)) and no overflow for large |x|.
 */
export function tanhAccurate(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const t = tf.expm1(tf.mul(tf.abs(x), -2));
    return tf.mul(tf.sign(x), tf.div(tf.neg(t), tf.add(t, 2)));
  });
}

/** Below this argument log1p is evaluated by its Taylor series (see log1pAccurate). */
export const LOG1P_SERIES_BELOW = 0.1;

/**
 * log(1 + z) for z ≥ 0, accurate in float32 on every backend. tf.log1p is not: the wasm kernel computes
 * log(1 + z) naively (measured: log1p(1e-4) = 1.000116e-4, and 0 for z < 6e-8), and so does a WebGL shader.
 * For z < 0.1 the series z − z²/2 + … − z⁸/8 is used (truncation < z⁹/9 ≈ 1e-10 relative); above, log1p.
 */
export function log1pAccurate(z: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    // Horner form of z·(1 − z/2 + z²/3 − … − z⁷/8)
    let poly: tf.Tensor = tf.fill(z.shape, -1 / 8);
    for (let k = 7; k >= 1; k--) poly = tf.add(tf.mul(poly, z), (k % 2 === 1 ? 1 : -1) / k);
    const series = tf.mul(z, poly);
    // constant 0/1 blend (a comparison has no gradient, so it is computed off the tape); both branches are finite
    const small = constantFrom(z, (v) => tf.cast(tf.less(v, LOG1P_SERIES_BELOW), 'float32'));
    const large = tf.log1p(tf.maximum(z, LOG1P_SERIES_BELOW));
    return tf.add(tf.mul(small, series), tf.mul(tf.sub(1, small), large));
  });
}

/**
 * log(cosh(x)), accurate in float32 for small |x| as well, with its closed-form gradient tanh x (the tape's
 * gradient of the series and expm1s was ≈ 120 kernel launches on a scalar).
 */
export function logCoshTensor(x: tf.Tensor): tf.Tensor {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const v = args[0] as tf.Tensor;
    (args[1] as tf.GradSaveFunc)([v]);
    return {
      value: tf.tidy(() => {
        const half = tf.mul(v, 0.5);
        const sinhHalf = tf.mul(tf.sub(tf.expm1(half), tf.expm1(tf.neg(half))), 0.5);
        return log1pAccurate(tf.mul(2, tf.square(sinhHalf)));
      }),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tanhAccurate(saved[0] as tf.Tensor)),
    };
  });
  return f(x) as tf.Tensor;
}

/** e / (e + s) with the hand-written gradient (see TailMath.ratio). */
function ratioTensor(e: tf.Tensor, s: tf.Tensor): tf.Tensor {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [a, b, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const d = tf.add(a, b);
    save([a, b, d]);
    return {
      value: tf.div(a, d),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sa, sb, sd] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        return [tf.mul(dy, tf.div(tf.div(sb, sd), sd)), tf.neg(tf.mul(dy, tf.div(tf.div(sa, sd), sd)))];
      },
    };
  });
  return f(e, s) as tf.Tensor;
}

/** The tail on tensors: each operation is the tf operation the losses used before (same kernels, same values). */
export const TENSOR_MATH: TailMath<tf.Tensor> = {
  add: (a, b) => tf.add(a, b),
  sub: (a, b) => tf.sub(a, b),
  mul: (a, b) => tf.mul(a, b),
  div: (a, b) => tf.div(a, b),
  neg: (a) => tf.neg(a),
  log: (a) => tf.log(a),
  log1p: (a) => tf.log1p(a),
  exp: (a) => tf.exp(a),
  pow: (a, e) => tf.pow(a, typeof e === 'number' ? e : tf.tensor1d([...e])),
  maximum: (a, floor) => tf.maximum(a, floor),
  logCosh: logCoshTensor,
  ratio: ratioTensor,
  mean: (a) => tf.mean(a),
  sum: (a, axis) => (axis === undefined ? tf.sum(a) : tf.sum(a, axis)),
  unstack: (a) => tf.unstack(a),
  select: (a, classes) => selectClasses(a, classes),
  constant: (values, shape) => tf.tensor(values as number[], shape ?? [values.length]),
};
