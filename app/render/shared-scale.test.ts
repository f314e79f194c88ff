import { describe, expect, it } from 'vitest';
import { heatmapScales, percentileOf } from './shared-scale';

describe('heatmapScales', () => {
  const a = new Float32Array([0.1, -0.2, Number.NaN]);
  const b = new Float32Array([4, 0, -1]);
  it('own: each map its own max |g|', () => {
    expect(heatmapScales([a, b], 'own').map((x) => +x.toFixed(6))).toEqual([0.2, 4]);
  });
  it('global: one limit, the largest |g| of all maps', () => {
    expect(heatmapScales([a, b], 'global')).toEqual([4, 4]);
  });
  it('p99: one robust limit below a single outlier', () => {
    const many = new Float32Array(1000).fill(1);
    many[0] = 1000;
    const [l1, l2] = heatmapScales([many, many], 'p99');
    expect(l1).toBe(l2);
    expect(l1).toBeLessThan(2);
    expect(percentileOf([0, 10], 0.5)).toBe(5);
  });
  it("p99 pools the maps: a blank map shares the busy map's limit; no maps or only NaN give 0", () => {
    const blank = new Float32Array(100);
    const busy = new Float32Array(100).fill(-2);
    const [l1, l2] = heatmapScales([blank, busy], 'p99');
    expect(l1).toBe(l2);
    expect(l1).toBeCloseTo(2, 10); // 99th percentile of 100 zeros and 100 twos
    expect(heatmapScales([blank, busy], 'own')).toEqual([0, 2]);
    expect(heatmapScales([], 'global')).toEqual([]);
    expect(heatmapScales([new Float32Array([Number.NaN])], 'p99')).toEqual([0]);
    // ±Infinity is not finite either: left out of every mode
    const inf = new Float32Array([Number.POSITIVE_INFINITY, -3, Number.NEGATIVE_INFINITY]);
    expect(heatmapScales([inf], 'own')).toEqual([3]);
    expect(heatmapScales([inf, b], 'global')).toEqual([4, 4]);
    expect(heatmapScales([inf], 'p99')).toEqual([3]);
  });
});
