/**
 * Colour-scale limits for a set of gradient heatmaps (issue 12 §4), so small multiples can be compared:
 * 'own' scales each map to its own max |g| (today's behaviour), 'global' uses the largest |g| of all maps,
 * 'p99' a robust clip at the 99th percentile of |g| pooled over all maps (one outlier pixel no longer blanks
 * the rest). Non-finite entries are ignored. Returns one limit per map, for divergingIndex(v, limit).
 */
export type HeatmapScaleMode = 'own' | 'global' | 'p99';

// Called on every update that changes a shown gradient (twice per edit): no array per value. The limits as
// `number[]` of every |g| cost ≈ 5 ms of the page's thread per edit at 64² (a CPU profile of 14 edits).

/** Largest finite |v| of a map; 0 for none. */
function maxAbsFinite(m: ArrayLike<number>): number {
  let best = 0;
  for (let i = 0; i < m.length; i++) {
    const v = Math.abs(m[i]!);
    if (v > best && v !== Number.POSITIVE_INFINITY) best = v; // NaN fails v > best
  }
  return best;
}

/** Every finite |v| of the maps, in one typed array. */
function pooledAbsFinite(maps: ArrayLike<number>[]): Float64Array {
  let n = 0;
  for (const m of maps) for (let i = 0; i < m.length; i++) if (Number.isFinite(m[i]!)) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (const m of maps)
    for (let i = 0; i < m.length; i++) {
      const v = m[i]!;
      if (Number.isFinite(v)) out[k++] = Math.abs(v);
    }
  return out;
}

/** Linear-interpolation percentile (q in [0, 1]) of values; 0 for none. */
export function percentileOf(values: ArrayLike<number>, q: number): number {
  return percentileOfSorted(Float64Array.from(values).sort(), q);
}

function percentileOfSorted(s: Float64Array, q: number): number {
  if (s.length === 0) return 0;
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (pos - lo) * (s[hi]! - s[lo]!);
}

export function heatmapScales(maps: ArrayLike<number>[], mode: HeatmapScaleMode): number[] {
  if (mode === 'own') return maps.map(maxAbsFinite);
  const limit =
    mode === 'global'
      ? maps.reduce((m, map) => Math.max(m, maxAbsFinite(map)), 0)
      : percentileOfSorted(pooledAbsFinite(maps).sort(), 0.99); // a fresh array: sorted in place
  return maps.map(() => limit);
}
