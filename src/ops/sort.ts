/**
 * Sorting for losses that need an order (Lovász-Softmax): TF.js has no sort op and no gradient for topk, and
 * the gradient of tf.gather (UnsortedSegmentSum) is missing on the WASM backend. Everything here treats the
 * sort order as a constant, as the references do (PyTorch's `torch.sort` permutation carries no gradient).
 *
 * Three pieces:
 * - `descendingOrder`: the descending order of each row, taken with `tf.topk(x, M)` and read back to the CPU
 *   (a synchronous download). On WebGL, tf.topk with k > 128 or a row shorter than 100 000 values hands off
 *   to the CPU anyway (flags TOPK_K_CPU_HANDOFF_THRESHOLD, TOPK_LAST_DIM_CPU_HANDOFF_SIZE_THRESHOLD): it reads
 *   the values back and sorts in JS; a full sort always has k > 128, so on WebGL this is always a read-back.
 * - `scatterByOrder`: moves per-rank constants (e.g. the Lovász gradient Δ_k) back to the original element
 *   order on the CPU, so that Σ_k e_(k) Δ_k = Σ_i e_i Δ_rank(i) becomes an elementwise product with a constant
 *   tensor: no gather at all, which works on every backend and is the fastest (see lovasz-softmax.ts notes).
 * - `applyOrder`: a differentiable x[r, order[r, k]] for callers that need the sorted tensor itself. Forward is
 *   tf.gather (present on cpu, wasm and webgl); the gradient of a permutation is the gather by the inverse
 *   permutation, supplied with tf.customGrad, so UnsortedSegmentSum is never needed.
 */
import { tf } from '../tf';

/** A constant row-wise order: `order[r·m + k]` is the index (0..m−1) of the k-th largest entry of row r. */
export interface RowOrder {
  rows: number;
  m: number;
  order: Int32Array;
}

/** Descending order of every row of `x` (sorted along the last axis); the leading axes are flattened into rows. */
export function descendingOrder(x: tf.Tensor): RowOrder {
  const m = x.shape[x.rank - 1] as number;
  const rows = m === 0 ? 0 : x.size / m;
  const order = tf.tidy(() => {
    const { values, indices } = tf.topk(tf.reshape(x, [rows, m]), m, true);
    values.dispose();
    return indices;
  });
  const data = order.dataSync() as Int32Array;
  order.dispose();
  return { rows, m, order: Int32Array.from(data) };
}

/** out[r·m + order[r·m + k]] = perRank[r·m + k]: per-rank values back in the original element order (float64). */
export function scatterByOrder(perRank: ArrayLike<number>, o: RowOrder): Float64Array {
  const out = new Float64Array(o.rows * o.m);
  for (let r = 0; r < o.rows; r++) {
    const base = r * o.m;
    for (let k = 0; k < o.m; k++) out[base + (o.order[base + k] as number)] = perRank[base + k] as number;
  }
  return out;
}

/** Rank of every element within its row (0 = largest): the inverse permutation of `order`. */
export function ranks(o: RowOrder): Int32Array {
  const out = new Int32Array(o.rows * o.m);
  for (let r = 0; r < o.rows; r++) {
    const base = r * o.m;
    for (let k = 0; k < o.m; k++) out[base + (o.order[base + k] as number)] = k;
  }
  return out;
}

/**
 * x sorted by a constant order, differentiably: y[r, k] = x[r, order[r, k]] for x of shape [rows, m].
 * The gradient is dy gathered by the inverse order, so it works on WASM (no UnsortedSegmentSum).
 */
export function applyOrder(x: tf.Tensor2D, o: RowOrder): tf.Tensor2D {
  const [rows, m] = x.shape;
  if (rows !== o.rows || m !== o.m) throw new Error(`applyOrder: order is ${o.rows}×${o.m}, tensor ${rows}×${m}`);
  const forward = new Int32Array(rows * m);
  const backward = new Int32Array(rows * m);
  for (let r = 0; r < rows; r++) {
    const base = r * m;
    for (let k = 0; k < m; k++) {
      const src = base + (o.order[base + k] as number);
      forward[base + k] = src;
      backward[src] = base + k;
    }
  }
  const gatherFlat = (t: tf.Tensor, idx: Int32Array) =>
    tf.tidy(() => tf.reshape(tf.gather(tf.reshape(t, [-1]), tf.tensor1d(idx, 'int32')), [rows, m]));
  const permute = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: gatherFlat(inputs[0] as tf.Tensor, forward),
    gradFunc: (dy: tf.Tensor) => gatherFlat(dy, backward),
  }));
  return permute(x) as tf.Tensor2D;
}
