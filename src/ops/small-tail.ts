/**
 * A loss's small tail — a scalar of a few per-(image, class) sums — evaluated on the host where reading the
 * sums costs nothing (cpu and wasm: a copy from host memory), and on tensors elsewhere (webgl: no read-back
 * in the middle of an update). The tail is written once (ops/tail-math.ts) and differentiated either way.
 *
 * Host: one custom-gradient op of the sums. Its forward pass reads the sums, runs the tail in float64 with
 * reverse-mode differentiation (ops/host-tail-math.ts), uploads ∂L/∂sums and returns L; its backward pass is
 * dy times that upload. So the tail costs ≈ 5 kernel launches instead of one to four per operation (measured
 * at 64², Node wasm, value and gradient: Dice 75 → 41 launches, Unified Focal 185 → 104; with the sums' backward
 * on the host too, ops/host-sums-backward.ts, 29 and 85, and the engine's update 1,850 → 1,085).
 * Tensors: the tail's operations on the tape, as the losses did before.
 */
import { tf } from '../tf';
import { readFloats, readsFromHostMemory } from './host-read';
import { HostMath } from './host-tail-math';
import { type TailMath, TENSOR_MATH } from './tail-math';

/** A tail: the loss from its sums (differentiable) and constants (e.g. the ground truth's class totals). */
export type Tail = <V>(m: TailMath<V>, sums: V, consts: V[]) => V;

/** Where tails run: 'auto' (host on cpu and wasm, tensors elsewhere), or forced (for tests and benchmarks). */
export type TailPlace = 'auto' | 'host' | 'tensor';

let place: TailPlace = 'auto';

/** Sets where tails run and returns the previous setting. */
export function setTailPlace(next: TailPlace): TailPlace {
  const previous = place;
  place = next;
  return previous;
}

/** Whether tails run on the host now. */
export function tailsOnHost(): boolean {
  return place === 'host' || (place === 'auto' && readsFromHostMemory());
}

/** The scalar `tail(sums, consts)`, differentiable with respect to `sums` (float32, a few values). */
export function smallTail(sums: tf.Tensor, consts: readonly tf.Tensor[], tail: Tail): tf.Scalar {
  if (!tailsOnHost()) {
    return tf.tidy(() => {
      const out = tail(TENSOR_MATH, sums, [...consts]);
      return (out.rank === 0 ? out : tf.reshape(out, [])) as tf.Scalar;
    });
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    const m = new HostMath();
    const input = m.input(readFloats(x), x.shape);
    const out = tail(
      m,
      input,
      consts.map((c) => m.input(readFloats(c), c.shape)),
    );
    const grad = tf.tensor(Float32Array.from(m.gradient(out, input)), x.shape, 'float32');
    (args[1] as tf.GradSaveFunc)([grad]);
    return {
      // 0·Σ sums keeps the value a node of the sums' tape (see ops/host-gradient-op.ts), and NaN sums a NaN loss
      value: tf.add(tf.scalar(out.data[0] as number), tf.mul(0, tf.sum(x))) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0] as tf.Tensor),
    };
  });
  return op(sums) as tf.Scalar;
}
