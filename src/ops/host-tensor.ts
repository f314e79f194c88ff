/**
 * Float32 tensors filled on the host, from a work array reused across calls where the backend allows it.
 *
 * Why: the host-side losses build a full-size array on every call (a distance field, a gradient) and upload it.
 * In Chromium a fresh typed array of a few hundred kB costs page mappings and faults (src/ops/reusable.ts); the
 * wasm backend copies the values into its own heap when the tensor is made, so the array can be filled again by
 * the next call. The cpu backend keeps the array itself as the tensor's storage, and webgl keeps it until its
 * first upload: there, every call gets a fresh array.
 */
import { tf } from '../tf';
import { reusable } from './reusable';

/** Whether the current backend copies a typed array's values when a tensor is made from it. */
export function copiesOnUpload(): boolean {
  return tf.getBackend() === 'wasm';
}

/** A pool of float32 work arrays for hostTensor (one per call site: two live arrays must not share it). */
export type HostTensorWork = (n: number) => Float32Array;

export function hostTensorWork(): HostTensorWork {
  return reusable((n) => new Float32Array(n));
}

/**
 * A float32 tensor of `shape` whose values `fill` writes into `out`. `out` starts zeroed when `zeroed` is true;
 * otherwise its contents are garbage (from the previous call) and `fill` must write every element.
 */
export function hostTensor<T extends tf.Tensor>(
  work: HostTensorWork,
  shape: number[],
  fill: (out: Float32Array) => void,
  zeroed = false,
): T {
  const n = shape.reduce((a, b) => a * b, 1);
  const reuse = copiesOnUpload();
  const out = reuse ? work(n) : new Float32Array(n);
  if (reuse && zeroed) out.fill(0);
  fill(out);
  return tf.tensor(out, shape, 'float32') as T;
}
