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
import { reusable } from '../ops/reusable';
import { tf } from '../tf';

// softBoundaryWithArgs's row pass (index and value of each row window's max and min), reused between calls
// (src/ops/reusable.ts says why): fully written before it is read, and it does not outlive the call. The
// arrays the backward pass keeps (maxIndex, minIndex, sums) stay fresh: two soft boundaries may be taped
// before either's gradient runs.
const rowMaxWork = reusable((n) => new Int32Array(n));
const rowMinWork = reusable((n) => new Int32Array(n));
const rowMaxValueWork = reusable((n) => new Float32Array(n));
const rowMinValueWork = reusable((n) => new Float32Array(n));

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

/**
 * softBoundary computed on the host from one read-back of `prob`, with a custom gradient: the same values
 * and the same gradient (including where several pixels of a window tie for its maximum or minimum: like
 * tf.maximum / tf.minimum in the chain above, the first of x−1, x, x+1, then of y−1, y, y+1 wins), without the
 * ~60 slice, pad, comparison and cast kernels the device formulation launches (≈ 45 % of InverseForm's time
 * on wasm at 256², where a slice along W is a JavaScript loop). For losses that read back anyway (InverseForm).
 * The backward pass reads dy back once and uploads ∂/∂prob.
 */
export function softBoundaryHost(prob: tf.Tensor4D): tf.Tensor3D {
  const [n, h, w, c] = prob.shape;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const p = (args[0] as tf.Tensor4D).dataSync() as Float32Array;
    const { value, sums, maxIndex, minIndex } = softBoundaryWithArgs(p, n, h, w, c);
    return {
      value: tf.tensor3d(value, [n, h, w]),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync();
        const dp = new Float32Array(n * h * w * c);
        for (let i = 0; i < n * h * w; i++) {
          // tf.minimum(s, 1) passes the gradient where s <= 1; ½ from the mul; + to the max, − to the min.
          if (!(sums[i]! <= 1)) continue;
          const gi = 0.5 * g[i]!;
          for (let k = 0; k < c; k++) {
            const up = maxIndex[i * c + k]!;
            const down = minIndex[i * c + k]!;
            dp[up] = dp[up]! + gi;
            dp[down] = dp[down]! - gi;
          }
        }
        return tf.tensor4d(dp, [n, h, w, c]);
      },
    };
  });
  return f(prob) as tf.Tensor3D;
}

/**
 * The 3×3 maximum and minimum of every channel (edge replicated), as flat indices into `p` of the pixel that
 * the separable max/min chain of window3 credits, and b = min(1, ½ Σ_c (max − min)) in float32 steps.
 * Ties keep the earlier operand (a >= b, a <= b), as tf.maximum / tf.minimum in window3. The row pass keeps the
 * winning values next to their indices; the winner is picked arithmetically (index += [b wins]·(b − index))
 * rather than by a branch, which the noisy comparisons of real probabilities mispredict (3.8 → 3.3 ms at 256²).
 */
function softBoundaryWithArgs(p: Float32Array, n: number, h: number, w: number, c: number) {
  const size = n * h * w;
  const rowMax = rowMaxWork(size * c); // per (pixel, channel): index of the max over x−1, x, x+1
  const rowMin = rowMinWork(size * c);
  const rowMaxV = rowMaxValueWork(size * c); // and its value
  const rowMinV = rowMinValueWork(size * c);
  for (let row = 0; row < n * h; row++)
    for (let x = 0; x < w; x++) {
      const o = (row * w + x) * c;
      const left = x > 0 ? o - c : o;
      const right = x < w - 1 ? o + c : o;
      for (let k = 0; k < c; k++) {
        const l = left + k;
        const m = o + k;
        const r = right + k;
        let iMax = l + +!(p[l]! >= p[m]!) * (m - l);
        iMax += +!(p[iMax]! >= p[r]!) * (r - iMax);
        let iMin = l + +!(p[l]! <= p[m]!) * (m - l);
        iMin += +!(p[iMin]! <= p[r]!) * (r - iMin);
        rowMax[m] = iMax;
        rowMaxV[m] = p[iMax]!;
        rowMin[m] = iMin;
        rowMinV[m] = p[iMin]!;
      }
    }
  const maxIndex = new Int32Array(size * c);
  const minIndex = new Int32Array(size * c);
  const value = new Float32Array(size);
  const sums = new Float32Array(size);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++) {
      const rowUp = (b * h + (y > 0 ? y - 1 : y)) * w * c;
      const rowMid = (b * h + y) * w * c;
      const rowDown = (b * h + (y < h - 1 ? y + 1 : y)) * w * c;
      for (let x = 0; x < w; x++) {
        const i = (b * h + y) * w + x;
        let sum = 0;
        for (let k = 0; k < c; k++) {
          const u = rowUp + x * c + k;
          const m = rowMid + x * c + k;
          const d = rowDown + x * c + k;
          let jMax = u + +!(rowMaxV[u]! >= rowMaxV[m]!) * (m - u);
          jMax += +!(rowMaxV[jMax]! >= rowMaxV[d]!) * (d - jMax);
          let jMin = u + +!(rowMinV[u]! <= rowMinV[m]!) * (m - u);
          jMin += +!(rowMinV[jMin]! <= rowMinV[d]!) * (d - jMin);
          maxIndex[i * c + k] = rowMax[jMax]!;
          minIndex[i * c + k] = rowMin[jMin]!;
          sum = Math.fround(sum + Math.fround(rowMaxV[jMax]! - rowMinV[jMin]!));
        }
        const s = Math.fround(0.5 * sum);
        sums[i] = s;
        value[i] = Math.min(s, 1);
      }
    }
  return { value, sums, maxIndex, minIndex };
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
