/**
 * A scalar of the logits whose value and exact gradient the host computes in one pass (the losses that read the
 * prediction back and visit only a band of pixels: Active Boundary, Conditional Boundary).
 *
 * `run` writes ∂L/∂x into `grad` (shaped like the logits, zeroed) and returns L. The gradient is uploaded in the
 * forward pass, from a work array reused across calls where the backend copies at upload (src/ops/host-tensor.ts),
 * and saved for the backward pass, which is dy times it. 0·Σx keeps the value a node of the logits' tape (tf.grad
 * needs that); its own gradient is replaced by the saved one.
 */
import { tf } from '../tf';
import { type HostTensorWork, hostTensor } from './host-tensor';

export function hostGradientOp(
  logits: tf.Tensor4D,
  work: HostTensorWork,
  run: (grad: Float32Array) => number,
): tf.Scalar {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor4D;
    let value = 0;
    const grad = hostTensor<tf.Tensor4D>(
      work,
      x.shape,
      (out) => {
        value = run(out);
      },
      true,
    );
    (args[1] as tf.GradSaveFunc)([grad]);
    return {
      value: tf.add(tf.scalar(value), tf.mul(0, tf.sum(x))) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0] as tf.Tensor),
    };
  });
  return op(logits) as tf.Scalar;
}
