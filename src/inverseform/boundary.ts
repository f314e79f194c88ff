/**
 * Differentiable soft boundary map used by the InverseForm loss (and, on the CPU, by its training data).
 *
 *   b_i = min(1, ½ Σ_c [ max_{j ∈ N₃ₓ₃(i)} p_jc − min_{j ∈ N₃ₓ₃(i)} p_jc ])
 *
 * the morphological gradient (3×3 dilation minus 3×3 erosion) of every class probability, summed over
 * classes and halved: for a hard one-hot map it is 1 exactly where some 8-neighbour has another label (a
 * 2-pixel-wide band straddling each edge), for C = 2 it is the morphological gradient of the foreground
 * probability. Neighbours outside the image are ignored (edge replication, which for a 3×3 max/min adds
 * only values already in the window). Max/min are built from shifted slices and tf.maximum/tf.minimum so
 * the gradient exists on cpu, wasm and webgl (tfjs-backend-wasm lacks MaxPoolGrad for the min-pool trick).
 */

import { replicatePad } from '../ops/padding';
import { tf } from '../tf';

function window3(x: tf.Tensor4D, op: 'max' | 'min'): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const f = op === 'max' ? tf.maximum : tf.minimum;
  const p = replicatePad(x);
  // separable: along W, then along H
  let r = tf.slice(p, [0, 0, 0, 0], [n, h + 2, w, c]);
  r = f(r, tf.slice(p, [0, 0, 1, 0], [n, h + 2, w, c]));
  r = f(r, tf.slice(p, [0, 0, 2, 0], [n, h + 2, w, c]));
  let out = tf.slice(r, [0, 0, 0, 0], [n, h, w, c]);
  out = f(out, tf.slice(r, [0, 1, 0, 0], [n, h, w, c]));
  out = f(out, tf.slice(r, [0, 2, 0, 0], [n, h, w, c]));
  return out as tf.Tensor4D;
}

/** Soft boundary of class probabilities [N, H, W, C] → [N, H, W] in [0, 1]. */
export function softBoundary(prob: tf.Tensor4D): tf.Tensor3D {
  return tf.tidy(() => {
    const grad = tf.sub(window3(prob, 'max'), window3(prob, 'min'));
    return tf.minimum(tf.mul(0.5, tf.sum(grad, -1)), 1) as tf.Tensor3D;
  });
}

/** The same map for integer labels on the CPU (constant; 1 where some 8-neighbour differs). */
export function labelBoundaryCPU(labels: ArrayLike<number>, n: number, h: number, w: number): Float32Array {
  const out = new Float32Array(n * h * w);
  for (let b = 0; b < n; b++) {
    const o = b * h * w;
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const v = labels[o + i * w + j];
        let edge = 0;
        for (let di = -1; di <= 1 && !edge; di++) {
          const ii = i + di;
          if (ii < 0 || ii >= h) continue;
          for (let dj = -1; dj <= 1; dj++) {
            const jj = j + dj;
            if (jj < 0 || jj >= w) continue;
            if (labels[o + ii * w + jj] !== v) {
              edge = 1;
              break;
            }
          }
        }
        out[o + i * w + j] = edge;
      }
    }
  }
  return out;
}
