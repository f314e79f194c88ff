/**
 * Max pooling of channels-last float32 values on the host, with the source of each window's maximum: what a
 * loss that already reads its probabilities back (RMI) needs to route its gradient without tf.maxPool's gradient
 * (MaxPoolGrad took ≈ 2.3 ms of RMI's ≈ 8 ms of kernels at 256² on wasm).
 *
 * Kernel = stride = s with ⌊s/2⌋ padding on every side whose cells are ignored, as tf.maxPool(x, s, s, ⌊s/2⌋)
 * and PyTorch's F.max_pool2d(x, s, s, ⌊s/2⌋). Each window's source is its first largest cell scanning rows then
 * columns with a strict >, PyTorch's CPU order (max_pool2d_with_indices; a NaN replaces the maximum, as there). The
 * windows do not overlap, so every cell feeds at most one output.
 */

export interface HostMaxPool {
  /** [N, H', W', C] maxima, channels-last. */
  pooled: Float32Array;
  /** For each pooled value, the index of its source cell in the input (channels-last flat index). */
  source: Int32Array;
  /** [N, H', W', C]. */
  shape: [number, number, number, number];
}

/** Output size of a kernel = stride = s pooling with ⌊s/2⌋ padding (PyTorch's and tf.maxPool's formula). */
export function pooledSize(size: number, s: number): number {
  return Math.floor((size + 2 * Math.floor(s / 2) - s) / s) + 1;
}

export function hostMaxPool(
  values: Float32Array,
  shape: readonly [number, number, number, number],
  s: number,
): HostMaxPool {
  const [n, h, w, c] = shape;
  if (values.length !== n * h * w * c) throw new Error(`hostMaxPool: ${values.length} values do not fill [${shape}]`);
  if (!Number.isInteger(s) || s < 1) throw new Error(`hostMaxPool: pool size must be a positive integer, got ${s}`);
  const pad = Math.floor(s / 2);
  const ph = pooledSize(h, s);
  const pw = pooledSize(w, s);
  const pooled = new Float32Array(n * ph * pw * c);
  const source = new Int32Array(pooled.length);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < ph; oy++) {
      const y0 = Math.max(0, oy * s - pad);
      const y1 = Math.min(h, oy * s - pad + s);
      for (let ox = 0; ox < pw; ox++) {
        const x0 = Math.max(0, ox * s - pad);
        const x1 = Math.min(w, ox * s - pad + s);
        const out = ((b * ph + oy) * pw + ox) * c;
        for (let k = 0; k < c; k++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let y = y0; y < y1; y++) {
            for (let x = x0; x < x1; x++) {
              const i = ((b * h + y) * w + x) * c + k;
              const v = values[i] as number;
              if (v > best || at < 0 || Number.isNaN(v)) {
                best = v;
                at = i;
              }
            }
          }
          pooled[out + k] = best;
          source[out + k] = at;
        }
      }
    }
  }
  return { pooled, source, shape: [n, ph, pw, c] };
}
