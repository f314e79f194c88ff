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

/**
 * relu(2×2 max-pool(z)), stride 2, as one op: equal to maxPool2x2(relu(z)) (ReLU is monotone, so it commutes
 * with the maximum) with the same gradient (dy·[M > 0] to every element equal to its window's maximum M, which
 * is what ReLU's mask times tf.max's rule gives: where M ≤ 0 the whole window is 0 after the ReLU), but the ReLU
 * and its mask work on the pooled quarter of the values.
 */
export function maxPoolRelu2x2(z: tf.Tensor4D): tf.Tensor4D {
  const [, h, w] = z.shape;
  if (h % 2 !== 0 || w % 2 !== 0) throw new Error(`maxPoolRelu2x2: H and W must be even, got ${h}×${w}`);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor4D;
    const save = args[1] as tf.GradSaveFunc;
    const m = tf.maxPool(input, 2, 2, 'valid');
    save([input, m]);
    return {
      value: tf.relu(m),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [zs, ms] = saved as [tf.Tensor4D, tf.Tensor4D];
        const below = tf.step(tf.sub(upsample2(ms, h, w), zs)); // 1 where z is below its window's maximum
        const up = upsample2(tf.mul(dy, tf.step(ms)) as tf.Tensor4D, h, w);
        return tf.sub(up, tf.mul(up, below));
      },
    };
  });
  return f(z) as tf.Tensor4D;
}

/**
 * Space-to-depth by 2: [B, H, W, C] → [B, H/2, W/2, 4C], the 2×2 block at (2P + a, 2Q + b) stored in channel
 * (2a + b)·C + c. A reshape and one transpose (so its gradient is the inverse transpose on every backend).
 */
export function spaceToDepth2(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  if (h % 2 !== 0 || w % 2 !== 0) throw new Error(`spaceToDepth2: H and W must be even, got ${h}×${w}`);
  const blocks = tf.transpose(tf.reshape(x, [b, h / 2, 2, w / 2, 2, c]), [0, 1, 3, 2, 4, 5]);
  return tf.reshape(blocks, [b, h / 2, w / 2, 4 * c]) as tf.Tensor4D;
}

/** The inverse of spaceToDepth2: [B, H, W, 4C] → [B, 2H, 2W, C]. */
export function depthToSpace2(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c4] = x.shape;
  if (c4 % 4 !== 0) throw new Error(`depthToSpace2: channels must be a multiple of 4, got ${c4}`);
  const c = c4 / 4;
  const pixels = tf.transpose(tf.reshape(x, [b, h, w, 2, 2, c]), [0, 1, 3, 2, 4, 5]);
  return tf.reshape(pixels, [b, 2 * h, 2 * w, c]) as tf.Tensor4D;
}

/**
 * frozenConv2d (dilation 1) whose input gradient runs on 2×2 blocks: depthToSpace2(conv(spaceToDepth2(dy),
 * `blockGradKernel`)) with blockGradKernel = gradientKernel(spaceToDepthKernel(kernel)). The same sums as the
 * plain input gradient (up to their order), for a layer with few input channels, whose input gradient has few
 * output channels: XNNPACK is slowest there (InverseForm's first layer, 16 → 1 channels at 32×32: 14 → 6 ms on
 * wasm for 64 tiles as 64 → 4 channels at 16×16). The forward stays the plain convolution, so values that tie
 * exactly (flat regions, which later max-pools credit to every tied element) still tie. `addend`: a constant
 * added to the output (InverseForm's ground-truth term).
 */
export function frozenConv2dBlockGradient(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  blockGradKernel: tf.Tensor4D,
  addend?: tf.Tensor,
): tf.Tensor4D {
  const [, h, w] = x.shape;
  if (h % 2 !== 0 || w % 2 !== 0) throw new Error(`frozenConv2dBlockGradient: H and W must be even, got ${h}×${w}`);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const y = tf.conv2d(args[0] as tf.Tensor4D, kernel, 1, 'same');
    return {
      // a constant `addend` is added here, off the tape (a taped Add would copy both of its inputs for its gradient)
      value: addend ? tf.add(y, addend) : y,
      gradFunc: (dy: tf.Tensor) =>
        depthToSpace2(tf.conv2d(spaceToDepth2(dy as tf.Tensor4D), blockGradKernel, 1, 'same')),
    };
  });
  return f(x) as tf.Tensor4D;
}

/**
 * The kernel that computes a 'same' stride-1 convolution with the odd k×k `kernel` [k, k, Cin, Cout] on
 * space-to-depth inputs and outputs (spaceToDepth2 layout on both sides): an odd k'×k' kernel [k', k', 4Cin,
 * 4Cout], k' = 2⌈r/2⌉ + 1 for r = (k − 1)/2, holding W[dy + r, dx + r] at block offset (i, j) from input
 * sub-pixel (a', b') to output sub-pixel (a, b) where dy = 2(i − r') + a' − a, dx = 2(j − r') + b' − b, and 0
 * where |dy| or |dx| exceeds r. Its 'same' padding (r' blocks = 2r' ≥ r pixels of zeros) covers the original's.
 * Same sums up to their order; the extra terms are exact zeros. Used for the input gradient of a layer with a
 * 1-channel input (see frozenConv2dBlockGradient).
 */
export function spaceToDepthKernel(kernel: tf.Tensor4D): tf.Tensor4D {
  const [k, k2, cin, cout] = kernel.shape;
  if (k !== k2 || k % 2 !== 1) throw new Error(`spaceToDepthKernel: needs an odd square kernel, got ${k}×${k2}`);
  const r = (k - 1) / 2;
  const rb = Math.ceil(r / 2);
  const kb = 2 * rb + 1;
  const w = kernel.dataSync();
  const out = new Float32Array(kb * kb * 4 * cin * 4 * cout);
  for (let i = 0; i < kb; i++)
    for (let j = 0; j < kb; j++)
      for (let a = 0; a < 2; a++)
        for (let b = 0; b < 2; b++)
          for (let a2 = 0; a2 < 2; a2++)
            for (let b2 = 0; b2 < 2; b2++) {
              const dy = 2 * (i - rb) + a2 - a;
              const dx = 2 * (j - rb) + b2 - b;
              if (Math.abs(dy) > r || Math.abs(dx) > r) continue;
              for (let ci = 0; ci < cin; ci++)
                for (let co = 0; co < cout; co++) {
                  const src = (((dy + r) * k + (dx + r)) * cin + ci) * cout + co;
                  const inCh = (a2 * 2 + b2) * cin + ci;
                  const outCh = (a * 2 + b) * cout + co;
                  out[((i * kb + j) * 4 * cin + inCh) * 4 * cout + outCh] = w[src] as number;
                }
            }
  return tf.tensor4d(out, [kb, kb, 4 * cin, 4 * cout]);
}
