/**
 * Work arrays that host-side ops reuse from one call to the next instead of allocating them afresh.
 *
 * Why: in Chromium a fresh typed array of a few hundred kB gets new pages from the system (its allocator maps
 * them, and unmaps them once the array is collected), and the first write to each page faults. Measured on the
 * 2-core machine (Chromium 150): one exact distance transform at 256² took ≈ 5.3 ms with fresh work arrays
 * and ≈ 2.0 ms with reused ones (Node: ≈ 1.2 ms either way, its allocator recycles the memory), and the
 * losses that compute distance transforms of the prediction on every update paid that several times over.
 *
 * Rules for callers: the array's previous contents are garbage (write every element you read); it must not
 * escape the call that got it (it is handed out again by the next call); a request above `max` elements
 * gets a fresh array, so that one large upload does not keep megabytes alive for the worker's lifetime.
 */
export function reusable<T extends Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array>(
  make: (n: number) => T,
  max = 512 * 512,
): (n: number) => T {
  let buffer = make(0);
  return (n: number): T => {
    if (n > max) return make(n);
    if (buffer.length < n) buffer = make(n);
    return buffer.length === n ? buffer : (buffer.subarray(0, n) as T);
  };
}
