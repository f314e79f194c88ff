/**
 * Copies a float32 tensor's values into a caller's array, without a fresh array on the synchronous backends.
 *
 * Why: `dataSync()` on tfjs-backend-wasm slices the values out of the wasm heap into a NEW array, and in Chromium
 * a fresh array of megabytes gets new pages that fault on first write (src/ops/reusable.ts). Measured on the
 * 2-core machine (Chromium 150): making a fresh 3 MB array and filling it took ≈ 11.5 ms, filling a reused one
 * ≈ 0.2 ms; the engine's read-back of 25 gradients at 256² (13 MB) paid ≈ 35–45 ms of its update for it. Here
 * wasm copies straight from a view of its heap, and cpu from the values it keeps (its readSync returns its own
 * storage, no copy). Other backends (webgl) read back with dataSync, a device download, and copy that.
 */
import { tf } from '../tf';

interface HeapBackend {
  typedArrayFromHeap(t: { shape: number[]; dtype: string; dataId: object }): Float32Array;
}

/** Whether copying a tensor's values to the host is a plain memory copy here (no device download). */
export function readsFromHostMemory(): boolean {
  const b = tf.getBackend();
  return b === 'wasm' || b === 'cpu';
}

/** Writes the values of the float32 tensor `t` into `out` from `offset` (out must have room for t.size more). */
export function readFloatsInto(t: tf.Tensor, out: Float32Array, offset = 0): void {
  if (t.dtype !== 'float32') throw new Error(`readFloatsInto: needs a float32 tensor, got ${t.dtype}`);
  if (offset + t.size > out.length)
    throw new Error(`readFloatsInto: ${t.size} values do not fit at ${offset} in an array of ${out.length}`);
  const name = tf.getBackend();
  const backend = tf.backend() as unknown;
  if (name === 'wasm' && typeof (backend as HeapBackend).typedArrayFromHeap === 'function') {
    // a view, taken right before the copy (a growing heap replaces its buffer)
    out.set((backend as HeapBackend).typedArrayFromHeap(t), offset);
  } else if (name === 'cpu') {
    out.set(tf.backend().readSync(t.dataId) as Float32Array, offset);
  } else {
    out.set(t.dataSync() as Float32Array, offset);
  }
}

/** The values of a small float32 tensor in a new array (readFloatsInto: a memory copy on cpu and wasm). */
export function readFloats(t: tf.Tensor): Float32Array {
  const out = new Float32Array(t.size);
  readFloatsInto(t, out);
  return out;
}
