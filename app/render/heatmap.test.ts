import { describe, expect, it } from 'vitest';
import { DIVERGING, divergingIndex } from './colormap';
import { gradientChannel, gradientThumb, maxAbs, P_FLOOR, paintDiverging, shrinkMap } from './heatmap';

describe('heatmap painters', () => {
  it('centres the diverging map at 0 (white-ish) with blue below and red above', () => {
    expect(divergingIndex(0, 1)).toBe(128);
    const mid = [DIVERGING[128 * 3], DIVERGING[128 * 3 + 1], DIVERGING[128 * 3 + 2]] as number[];
    expect(Math.min(...mid)).toBeGreaterThan(230);
    const lo = divergingIndex(-1, 1) * 3;
    const hi = divergingIndex(1, 1) * 3;
    expect(DIVERGING[lo + 2]).toBeGreaterThan(DIVERGING[lo] as number); // blue end
    expect(DIVERGING[hi]).toBeGreaterThan(DIVERGING[hi + 2] as number); // red end
    expect(divergingIndex(5, 1)).toBe(255);
    expect(divergingIndex(1, 0)).toBe(128);
  });

  it('selects a class channel and applies the chain rule for ∂L/∂p', () => {
    const grad = new Float32Array([0.1, -0.1, 0.2, -0.2]); // 2 pixels × 2 classes
    const probs = new Float32Array([0.5, 0.5, 0.25, 0]);
    expect(Array.from(gradientChannel(grad, probs, 2, 1, 'logit'))).toEqual([-0.1, -0.2].map(Math.fround));
    const dp = gradientChannel(grad, probs, 2, 1, 'probability');
    expect(dp[0]).toBeCloseTo(-0.2, 6);
    expect(dp[1]).toBeCloseTo(-0.2 / P_FLOOR, 0);
    expect(maxAbs(new Float32Array([1, -3, Number.NaN]))).toBe(3);
  });

  it('paints non-finite pixels magenta and everything opaque', () => {
    const out = new Uint8ClampedArray(8);
    paintDiverging(new Float32Array([Number.NaN, 0]), 1, out);
    expect(Array.from(out.slice(0, 4))).toEqual([255, 0, 255, 255]);
    expect(out[7]).toBe(255);
  });

  it('shrinks maps for thumbnails keeping the strongest value of each block', () => {
    const v = new Float32Array(16);
    v[5] = -3;
    v[6] = 1;
    const s = shrinkMap(v, 4, 4, 2);
    expect([s.width, s.height]).toEqual([2, 2]);
    expect(Array.from(s.values)).toEqual([-3, 1, 0, 0]);
    expect(shrinkMap(v, 4, 4, 8).values).toBe(v);
  });

  it('gradientThumb equals channel + shrink + maxAbs', () => {
    const w = 10;
    const h = 7;
    const c = 3;
    const grad = new Float32Array(w * h * c).map((_, i) => Math.sin(i * 1.7) * (i % 5));
    const probs = new Float32Array(w * h * c).map((_, i) => ((i * 7) % 10) / 10);
    for (const mode of ['logit', 'probability'] as const) {
      const full = gradientChannel(grad, probs, c, 1, mode);
      const a = shrinkMap(full, w, h, 4);
      const b = gradientThumb(grad, probs, c, 1, mode, w, h, 4);
      expect([b.width, b.height]).toEqual([a.width, a.height]);
      expect(Array.from(b.values)).toEqual(Array.from(a.values));
      expect(b.max).toBeCloseTo(maxAbs(full), 4);
    }
  });
});
