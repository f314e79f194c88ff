/**
 * Colour-scale limits for a set of gradient heatmaps (issue 12 §4), so small multiples can be compared:
 * 'own' scales each map to its own max |g| (today's behaviour), 'global' uses the largest |g| of all maps,
 * 'p99' a robust clip at the 99th percentile of |g| pooled over all maps (one outlier pixel no longer blanks
 * the rest). Non-finite entries are ignored. Returns one limit per map, for divergingIndex(v, limit).
 */
export type HeatmapScaleMode = 'own' | 'global' | 'p99';

function absFinite(m: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < m.length; i++) {
    const v = Math.abs(m[i]!);
    if (Number.isFinite(v)) out.push(v);
  }
  return out;
}

/** Linear-interpolation percentile (q in [0, 1]) of values; 0 for none. */
export function percentileOf(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const s = Float64Array.from(values).sort();
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (pos - lo) * (s[hi]! - s[lo]!);
}

export function heatmapScales(maps: ArrayLike<number>[], mode: HeatmapScaleMode): number[] {
  const abs = maps.map(absFinite);
  if (mode === 'own') return abs.map((a) => a.reduce((m, v) => Math.max(m, v), 0));
  const pooled = abs.flat();
  const limit = mode === 'global' ? pooled.reduce((m, v) => Math.max(m, v), 0) : percentileOf(pooled, 0.99);
  return maps.map(() => limit);
}
