/**
 * Sorting for losses that need an order (Lovász-Softmax): TF.js has no sort op and no gradient for topk, and
 * the gradient of tf.gather (UnsortedSegmentSum) is missing on the WASM backend. Everything here treats the
 * sort order as a constant, as the references do (PyTorch's `torch.sort` permutation carries no gradient).
 *
 * Three pieces:
 * - `descendingOrder`: the descending order of each row, in tf.topk's order (ties by ascending index), sorted
 *   on the host after one read-back (a synchronous download). On WebGL, tf.topk with k > 128 or a row shorter
 *   than 100 000 values hands off to the CPU anyway (flags TOPK_K_CPU_HANDOFF_THRESHOLD,
 *   TOPK_LAST_DIM_CPU_HANDOFF_SIZE_THRESHOLD): it reads the values back and sorts in JS, so a full sort was
 *   always a read-back there; on wasm the TopK kernel was ≈ 10× slower than the host radix sort.
 * - `scatterByOrder`: moves per-rank constants (e.g. the Lovász gradient Δ_k) back to the original element
 *   order on the CPU, so that Σ_k e_(k) Δ_k = Σ_i e_i Δ_rank(i) becomes an elementwise product with a constant
 *   tensor: no gather at all, which works on every backend and is the fastest (see lovasz-softmax.ts notes).
 * - `applyOrder`: a differentiable x[r, order[r, k]] for callers that need the sorted tensor itself. Forward is
 *   tf.gather (present on cpu, wasm and webgl); the gradient of a permutation is the gather by the inverse
 *   permutation, supplied with tf.customGrad, so UnsortedSegmentSum is never needed.
 */
import { tf } from '../tf';
import { reusable } from './reusable';

/** A constant row-wise order: `order[r·m + k]` is the index (0..m−1) of the k-th largest entry of row r. */
export interface RowOrder {
  rows: number;
  m: number;
  order: Int32Array;
}

/**
 * Descending order of every row of `x` (sorted along the last axis); the leading axes are flattened into rows.
 * Reads `x` back once and sorts on the host (hostDescendingOrder): the same order as `tf.topk(x, m)` (larger
 * first, equal values by ascending index, on cpu, wasm and webgl), 1–4.5 ms for 2 × 65 536 values (4.4 ms on
 * the bench's errors in Node on 2026-12-05: the scatter passes are memory-bound) where the wasm TopK kernel took
 * ≈ 10 ms (and WebGL's hands a full sort to the CPU after a read-back anyway).
 */
export function descendingOrder(x: tf.Tensor): RowOrder {
  const m = x.shape[x.rank - 1] as number;
  const rows = m === 0 ? 0 : x.size / m;
  return { rows, m, order: hostDescendingOrder(x.dataSync() as Float32Array, rows, m) };
}

/** The descending order with tf.topk itself (a device sort; kept to check hostDescendingOrder against it). */
export function descendingOrderTopk(x: tf.Tensor): RowOrder {
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

const sortKeys = reusable((n) => new Uint32Array(n));
const sortKeys2 = reusable((n) => new Uint32Array(n));
const sortIndex = reusable((n) => new Int32Array(n));
const sortIndex2 = reusable((n) => new Int32Array(n));

/**
 * Row-wise descending order of float32 values (`values` holds rows × m), equal values by ascending index, as
 * tf.topk orders them (−0 equals +0). A stable least-significant-digit radix sort (3 passes of 11 bits; a pass
 * whose digit is the same for the whole row is skipped, e.g. the top bits of values in [0, 1]) on keys that order
 * the float32 bit patterns: larger values get smaller keys, so ascending keys are descending values and the
 * stable passes keep ties in index order. NaN sorts after every number.
 */
export function hostDescendingOrder(
  values: Float32Array,
  rows: number,
  m: number,
  order: Int32Array = new Int32Array(rows * m), // the result; every element is written
): Int32Array {
  if (order.length < rows * m) throw new Error(`hostDescendingOrder: output of length ${order.length} < ${rows * m}`);
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length); // the float32 bit patterns
  // the radix passes' work arrays, reused between calls (fully written before read; see src/ops/reusable.ts)
  let keys = sortKeys(m);
  let idx = sortIndex(m);
  let keys2 = sortKeys2(m);
  let idx2 = sortIndex2(m);
  const count = new Uint32Array(2048);
  for (let r = 0; r < rows; r++) {
    const base = r * m;
    for (let i = 0; i < m; i++) {
      const b = bits[base + i] as number;
      // ascending-order key of the float (flip all bits of negatives, the sign bit of positives; −0 as +0),
      // then inverted for descending; NaN (any payload) goes last
      const up = b === 0x80000000 ? 0x80000000 : b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
      keys[i] = (b & 0x7fffffff) > 0x7f800000 ? 0xffffffff : ~up >>> 0;
      idx[i] = i;
    }
    for (let shift = 0; shift < 32; shift += 11) {
      count.fill(0);
      for (let i = 0; i < m; i++) {
        const d = ((keys[i] as number) >>> shift) & 2047;
        count[d] = (count[d] as number) + 1;
      }
      if (m === 0 || count[((keys[0] as number) >>> shift) & 2047] === m) continue; // one digit: order unchanged
      let sum = 0;
      for (let d = 0; d < 2048; d++) {
        const c = count[d] as number;
        count[d] = sum;
        sum += c;
      }
      for (let i = 0; i < m; i++) {
        const k = keys[i] as number;
        const d = (k >>> shift) & 2047;
        const at = count[d] as number;
        count[d] = at + 1;
        keys2[at] = k;
        idx2[at] = idx[i] as number;
      }
      [keys, keys2] = [keys2, keys];
      [idx, idx2] = [idx2, idx];
    }
    order.set(idx, base);
  }
  return order;
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
