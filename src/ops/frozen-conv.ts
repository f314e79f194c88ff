/**
 * Convolution and 2×2 max-pooling for a FROZEN network (weights are constants), with gradients with respect to
 * the input only, built from forward kernels.
 *
 * Why: TF.js's own gradient of tf.conv2d is Conv2DBackpropInput, which tfjs-backend-wasm runs as a plain loop
 * (~6× slower than its XNNPACK Conv2D at InverseForm's sizes), and a dilated conv2d has no gradient at all. For
 * a 'same', stride-1 convolution with an odd kernel, the input gradient is exactly another 'same' convolution
 * of dy with the kernel rotated by 180° and its in/out channels swapped, with the same dilation:
 *   y[p] = Σ_t W[t]ᵀ x[p + d(t − r)]  ⇒  dx[q] = Σ_t W[2r − t] dy[q + d(t − r)],  r = (k − 1) / 2.
 * tf.max over a reshaped 2×2 window has a gradient too, but through a broadcast Equal that is slow on wasm; here
 * the forward is tf.maxPool and the gradient is the same rule as tf.max's (dy to every element equal to its
 * window's maximum), with dy and the maxima upsampled by nearest neighbour instead of broadcast.
 */
import { tf } from '../tf';

/**
 * The kernel of the input gradient: W rotated by 180° in space, in and out channels swapped. A network whose
 * weights stay loaded can compute it once and pass it to frozenConv2d / frozenConvLayer (`gradKernel`).
 */
export function gradientKernel(kernel: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(tf.reverse(kernel, [0, 1]), [0, 1, 3, 2]);
}

/**
 * 'same' stride-1 convolution of x [B,H,W,Cin] with a constant odd k×k kernel [k,k,Cin,Cout]; d = dilation.
 * `gradKernel`: gradientKernel(kernel), when the caller keeps it (else computed in the backward pass).
 */
export function frozenConv2d(x: tf.Tensor4D, kernel: tf.Tensor4D, dilation = 1, gradKernel?: tf.Tensor4D): tf.Tensor4D {
  const [k, k2] = kernel.shape;
  if (k !== k2 || k % 2 !== 1) throw new Error(`frozenConv2d: needs an odd square kernel, got ${k}×${k2}`);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: tf.conv2d(args[0] as tf.Tensor4D, kernel, 1, 'same', 'NHWC', dilation),
    gradFunc: (dy: tf.Tensor) =>
      tf.conv2d(dy as tf.Tensor4D, gradKernel ?? gradientKernel(kernel), 1, 'same', 'NHWC', dilation),
  }));
  return f(x) as tf.Tensor4D;
}

/**
 * relu?(conv(x, kernel) + bias) for a frozen layer, as one fused kernel forward (tf.fused.conv2d: bias and
 * ReLU inside the convolution, no separate Add and Relu over the output), with the input gradient
 * conv(dy · [y > 0], rotated kernel) (ReLU's gradient is 0 where its output is 0, as tf.relu's).
 */
export function frozenConvLayer(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  bias: tf.Tensor,
  relu: boolean,
  dilation = 1,
  gradKernel?: tf.Tensor4D,
): tf.Tensor4D {
  const [k, k2] = kernel.shape;
  if (k !== k2 || k % 2 !== 1) throw new Error(`frozenConvLayer: needs an odd square kernel, got ${k}×${k2}`);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[1] as tf.GradSaveFunc;
    const y = tf.fused.conv2d({
      x: args[0] as tf.Tensor4D,
      filter: kernel,
      strides: 1,
      pad: 'same',
      dilations: dilation,
      bias,
      activation: relu ? 'relu' : 'linear',
    });
    if (relu) save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const g = relu ? tf.mul(dy, tf.step(saved[0] as tf.Tensor)) : dy;
        return tf.conv2d(g as tf.Tensor4D, gradKernel ?? gradientKernel(kernel), 1, 'same', 'NHWC', dilation);
      },
    };
  });
  return f(x) as tf.Tensor4D;
}

function upsample2(t: tf.Tensor4D, h: number, w: number): tf.Tensor4D {
  return tf.image.resizeNearestNeighbor(t, [h, w], false, false);
}

/** 2×2 max-pooling, stride 2 (H and W even); gradient to every element equal to its window's maximum. */
export function maxPool2x2(x: tf.Tensor4D): tf.Tensor4D {
  const [, h, w] = x.shape;
  if (h % 2 !== 0 || w % 2 !== 0) throw new Error(`maxPool2x2: H and W must be even, got ${h}×${w}`);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor4D;
    const save = args[1] as tf.GradSaveFunc;
    const y = tf.maxPool(input, 2, 2, 'valid');
    save([input, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ys] = saved as [tf.Tensor4D, tf.Tensor4D];
        // x equals its window's maximum unless max − x > 0: dy·[x = max] = dy − dy·step(max − x), exactly
        // (two distinct floats never subtract to 0). Cheaper on wasm than Equal + Cast.
        const below = tf.step(tf.sub(upsample2(ys, h, w), xs));
        const up = upsample2(dy as tf.Tensor4D, h, w);
        return tf.sub(up, tf.mul(up, below));
      },
    };
  });
  return f(x) as tf.Tensor4D;
}
