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
 * window's maximum), built from cheap same-shape or outer-broadcast ops (maxPool2x2, frozenConvMaxPoolRelu).
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
 * relu?(conv(x, kernel) + bias) for a frozen layer, as one fused kernel forward (FusedConv2D: bias and ReLU
 * inside the convolution, no separate Add and Relu over the output), with the input gradient
 * conv(dy · [y > 0], rotated kernel) (ReLU's gradient is 0 where its output is 0, as tf.relu's). The kernel is
 * run directly: tf.fused.conv2d splits off the ReLU while a gradient is being recorded, although this op never
 * needs FusedConv2D's own gradient.
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
    const y = tf
      .engine()
      .runKernel(
        'FusedConv2D',
        { x: args[0] as tf.Tensor4D, filter: kernel, bias },
        { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: dilation, activation: relu ? 'relu' : 'linear' },
      ) as tf.Tensor4D;
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
 * [B, H, W, C] → [4, B, H/2, W/2, C]: the pixels (2P + a, 2Q + b) of every 2×2 block, sub-pixel (a, b) at index
 * 2a + b (the layout of frozenConvMaxPoolRelu's pre-pooling values; a constant addend comes in it).
 */
export function subPixelMajor(x: tf.Tensor4D): tf.Tensor5D {
  const [b, h, w, c] = x.shape;
  if (h % 2 !== 0 || w % 2 !== 0) throw new Error(`subPixelMajor: H and W must be even, got ${h}×${w}`);
  // [B·P, a, Q, b', C] → [a, B·P, Q, b', C] → [a, b', B·P·Q, C] (rank ≤ 4, see frozenConvMaxPoolRelu)
  const rows = tf.transpose(tf.reshape(x, [b * (h / 2), 2, w * c]), [1, 0, 2]);
  const blocks = tf.transpose(tf.reshape(rows, [2, b * (h / 2) * (w / 2), 2, c]), [0, 2, 1, 3]);
  return tf.reshape(blocks, [4, b, h / 2, w / 2, c]) as tf.Tensor5D;
}

/** How frozenConvMaxPoolRelu computes its input gradient (see there). */
export type PoolLayerGradient = { gradKernel: tf.Tensor4D } | { blockGradKernel: tf.Tensor4D };

/**
 * relu(2×2 max-pool(conv(x, kernel) + bias + addend)) for a frozen layer ('same', stride 1, odd k ≥ 3), whose
 * pre-pooling values z are computed per sub-pixel: four stride-2 convolutions, one per (a, b) ∈ {0, 1}², give z
 * at the pixels (2P + a, 2Q + b), stacked as [4, B, H/2, W/2, Cout] (subPixelMajor). Each is the same sum in the
 * same order as the 'same' convolution there (bit for bit on wasm), so exact ties inside a window stay ties. In
 * this layout the pooling is one max over the leading axis of 4 and the gradient's window mask compares z with
 * its maximum by a broadcast over that leading axis, which XNNPACK runs at the speed of a same-shape op; the
 * plain layout needs the maxima and dy upsampled by nearest neighbour (~1.3 ms each at 64×32×32×16 on wasm).
 * The ReLU comes after the pooling (it is monotone, so it commutes with the maximum) and works on a quarter of
 * the values. Gradient: dy·[M > 0] to every element equal to its window's maximum M (tf.max's rule times ReLU's
 * mask: where M ≤ 0 the whole window is 0 after the ReLU), then the convolution's input gradient: `gradKernel`
 * (gradientKernel(kernel)) on the values put back in place, or `blockGradKernel`
 * (gradientKernel(spaceToDepthKernel(kernel))) on 2×2 blocks, one transpose away. The latter is for a layer with
 * few input channels, whose input gradient has few output channels: XNNPACK is slowest there (InverseForm's
 * first layer, 16 → 1 channels at 32×32: 14 → 5 ms on wasm for 64 tiles as 64 → 4 channels at 16×16).
 * `addend`: a constant [4, B, H/2, W/2, Cout] in the sub-pixel layout (InverseForm's ground-truth term).
 */
export function frozenConvMaxPoolRelu(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  gradient: PoolLayerGradient,
  bias?: tf.Tensor,
  addend?: tf.Tensor5D,
): tf.Tensor4D {
  const [b, h, w] = x.shape;
  const [k, k2, , cout] = kernel.shape;
  if (k !== k2 || k % 2 !== 1 || k < 3)
    throw new Error(`frozenConvMaxPoolRelu: needs an odd square kernel of at least 3×3, got ${k}×${k2}`);
  if (h % 2 !== 0 || w % 2 !== 0) throw new Error(`frozenConvMaxPoolRelu: H and W must be even, got ${h}×${w}`);
  const r = (k - 1) / 2;
  const cells = b * (h / 2) * (w / 2); // pooled pixels
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor4D;
    const save = args[1] as tf.GradSaveFunc;
    const subs: tf.Tensor4D[] = [];
    for (let a = 0; a < 2; a++)
      for (let c = 0; c < 2; c++) {
        // output P reads input rows 2P + a − r … 2P + a + r: a 'same' convolution sampled at the sub-pixel (a, c)
        const pad: [[number, number], [number, number], [number, number], [number, number]] = [
          [0, 0],
          [r - a, r - 1 + a],
          [r - c, r - 1 + c],
          [0, 0],
        ];
        subs.push(
          bias
            ? tf.fused.conv2d({ x: input, filter: kernel, strides: 2, pad, bias })
            : tf.conv2d(input, kernel, 2, pad),
        );
      }
    let z = tf.reshape(tf.concat(subs, 0), [4, cells * cout]);
    if (addend) z = tf.add(z, tf.reshape(addend, [4, cells * cout]));
    const m = tf.reshape(tf.maxPool(tf.reshape(z, [1, 4, cells, cout]) as tf.Tensor4D, [4, 1], [4, 1], 'valid'), [
      1,
      cells * cout,
    ]);
    save([z, m]);
    return {
      value: tf.reshape(tf.relu(m), [b, h / 2, w / 2, cout]),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [zs, ms] = saved as [tf.Tensor2D, tf.Tensor2D];
        const g = tf.mul(tf.reshape(dy, [1, cells * cout]), tf.step(ms));
        // z equals its window's maximum unless max − z > 0: g·[z = max] = g − g·step(max − z), exactly
        const below = tf.step(tf.sub(ms, zs));
        const dz = tf.sub(g, tf.mul(g, below)); // [4, cells·Cout], sub-pixel major
        // (transposes of rank ≤ 4 only: tfjs-backend-wasm's general-rank transpose is ~100× slower)
        if ('blockGradKernel' in gradient) {
          const blocks = tf.transpose(tf.reshape(dz, [4, cells, cout]), [1, 0, 2]); // [cells, (a, b), Cout]
          const dxBlocks = tf.conv2d(
            tf.reshape(blocks, [b, h / 2, w / 2, 4 * cout]) as tf.Tensor4D,
            gradient.blockGradKernel,
            1,
            'same',
          );
          return depthToSpace2(dxBlocks);
        }
        // [a, b', B·P, Q, C] → [a, B·P, Q, b', C] → [B·P, a, Q, b', C] = [B, 2P + a, 2Q + b', C]
        const inner = tf.transpose(tf.reshape(dz, [2, 2, cells, cout]), [0, 2, 1, 3]);
        const outer = tf.transpose(tf.reshape(inner, [2, b * (h / 2), w * cout]), [1, 0, 2]);
        const plain = tf.reshape(outer, [b, h, w, cout]) as tf.Tensor4D;
        return tf.conv2d(plain, gradient.gradKernel, 1, 'same');
      },
    };
  });
  return f(x) as tf.Tensor4D;
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
 * The kernel that computes a 'same' stride-1 convolution with the odd k×k `kernel` [k, k, Cin, Cout] on
 * space-to-depth inputs and outputs (spaceToDepth2 layout on both sides): an odd k'×k' kernel [k', k', 4Cin,
 * 4Cout], k' = 2⌈r/2⌉ + 1 for r = (k − 1)/2, holding W[dy + r, dx + r] at block offset (i, j) from input
 * sub-pixel (a', b') to output sub-pixel (a, b) where dy = 2(i − r') + a' − a, dx = 2(j − r') + b' − b, and 0
 * where |dy| or |dx| exceeds r. Its 'same' padding (r' blocks = 2r' ≥ r pixels of zeros) covers the original's.
 * Same sums up to their order; the extra terms are exact zeros. Used for the input gradient of a layer with a
 * 1-channel input (see frozenConvMaxPoolRelu).
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
