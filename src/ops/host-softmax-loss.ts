/**
 * A loss of the softmax probabilities whose value and gradient are computed on the host, as one custom-gradient
 * op of the logits — for the losses that read the probabilities back anyway (a sort, a distance transform, a
 * float64 factorisation) and whose remaining device work is a few elementwise products.
 *
 * Why: differentiated by the tape, such a loss pays the device softmax's backward and each product's gradient,
 * with the broadcasting kernels that are slow on wasm (≈ 4–8 ms at 256², C = 2); its host work already visits
 * every pixel. Here the gradient is assembled on the host in float64, only when asked for, and uploaded once;
 * the backward pass is one product by dy. With d = ∂L/∂p the softmax backward is
 *
 *   ∂L/∂x_c = p_c Σ_{c' ≠ c} p_c' (d_c − d_c')
 *
 * which equals p_c (d_c − Σ_c' p_c' d_c') where Σ p = 1, without its cancellation where p_c → 1 (for C = 2 it is
 * p₀ p₁ (d₀ − d₁), the form the closed-form losses use on the device).
 */
import { tf } from '../tf';
import { hostTensor, hostTensorWork } from './host-tensor';
import { hostValues } from './prediction-memo';
import { softmax } from './probabilities';

/** The uploaded gradient's work array: filled and uploaded within the backward pass (src/ops/host-tensor.ts). */
const backwardWork = hostTensorWork();

/** Float32 where float32 is all the precision there is (fewer bytes to allocate per call), else float64. */
export type HostArray = Float32Array | Float64Array;

/** The host side of the loss for one p (row-major [N, H, W, C], the device softmax read back). */
export interface HostLoss {
  /** The loss value (float64), added to `deviceValue` when given. */
  value: number;
  /**
   * The gradient, computed only when the tape asks for it: ∂L/∂p (`gradP`) and/or a part given directly as
   * ∂L/∂x (`gradX`, added after the softmax backward), both in p's layout (float32 or float64).
   */
  grad(): { gradP?: HostArray; gradX?: HostArray };
}

/**
 * L(softmax(logits)) with its value and gradient from `lossOf` (see the header). `deviceValue`, evaluated in the
 * forward pass (tape off), adds a term computed on the device whose gradient is part of `lossOf`'s `gradX`.
 */
export function hostSoftmaxLoss(
  logits: tf.Tensor4D,
  lossOf: (p: Float32Array) => HostLoss,
  deviceValue?: () => tf.Scalar,
): tf.Scalar {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor4D;
    // the softmax is memoised per update, and so is its read-back (ops/prediction-memo.ts)
    const p = hostValues(softmax(x));
    const loss = lossOf(p);
    const host = tf.scalar(loss.value);
    return {
      value: deviceValue ? tf.add(host, deviceValue()) : host,
      gradFunc: (dy: tf.Tensor) => {
        const { gradP, gradX } = loss.grad();
        const g = hostTensor(backwardWork, x.shape, (out) => softmaxBackwardHost(p, x.shape[3], gradP, gradX, out));
        return tf.mul(dy, g);
      },
    };
  });
  return f(logits) as tf.Scalar;
}

/**
 * ∂L/∂x from p, d = ∂L/∂p (optional) and a direct part gx (optional), summed in float64, as float32 (into `out`
 * when given: every element is written).
 */
export function softmaxBackwardHost(
  p: Float32Array,
  c: number,
  d?: HostArray,
  gx?: HostArray,
  out: Float32Array = new Float32Array(p.length),
): Float32Array {
  if (c === 2 && d) {
    // the common case, unrolled: ±p₀ p₁ (d₀ − d₁)
    for (let i = 0; i < p.length; i += 2) {
      const g = (p[i] as number) * (p[i + 1] as number) * ((d[i] as number) - (d[i + 1] as number));
      out[i] = gx ? g + (gx[i] as number) : g;
      out[i + 1] = gx ? (gx[i + 1] as number) - g : -g;
    }
    return out;
  }
  for (let base = 0; base < p.length; base += c) {
    for (let k = 0; k < c; k++) {
      let g = gx ? (gx[base + k] as number) : 0;
      if (d) {
        const dk = d[base + k] as number;
        let acc = 0;
        for (let j = 0; j < c; j++) if (j !== k) acc += (p[base + j] as number) * (dk - (d[base + j] as number));
        g += (p[base + k] as number) * acc;
      }
      out[base + k] = g;
    }
  }
  return out;
}
