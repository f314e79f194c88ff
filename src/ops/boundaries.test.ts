import { describe, expect, it } from 'vitest';
import { rng } from '../testing/properties';
import {
  boundaryIouIterations,
  crossBoundary,
  crossBoundaryCount,
  dilate3x3,
  dilation,
  erosion,
  erosionBoundary,
  forEachImage,
  labelChangeBoundary,
} from './boundaries';

const grid = (rows: string[]) => Uint8Array.from(rows.join(''), (ch) => Number(ch));
const show = (m: Uint8Array, w: number) =>
  Array.from({ length: m.length / w }, (_, i) => Array.from(m.subarray(i * w, (i + 1) * w)).join(''));

describe('labelChangeBoundary (ABL)', () => {
  it('marks the pixel above / left of each label change, nothing past the last row or column', () => {
    const t = grid(['0000', '0110', '0110', '0000']);
    expect(show(labelChangeBoundary(t, 4, 4), 4)).toEqual(['0110', '1010', '1110', '0000']);
  });
  it('a constant image has no boundary; ignore label is boundary', () => {
    expect(Array.from(labelChangeBoundary(new Int32Array(6), 2, 3))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(labelChangeBoundary([255, 255, 255, 255], 2, 2, 255))).toEqual([1, 1, 1, 1]);
  });
  it('agrees with forward differences on random labels', () => {
    const r = rng(11);
    const h = 9;
    const w = 7;
    const t = Int32Array.from({ length: h * w }, () => Math.floor(r() * 3));
    const b = labelChangeBoundary(t, h, w);
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++) {
        const lr = i + 1 < h ? t[(i + 1) * w + j] !== t[i * w + j] : false;
        const ud = j + 1 < w ? t[i * w + j + 1] !== t[i * w + j] : false;
        expect(b[i * w + j]).toBe(lr || ud ? 1 : 0);
      }
  });
});

describe('crossBoundary (Boundary DoU)', () => {
  it('counts border pixels of objects touching the image edge', () => {
    const m = grid(['1110', '1110', '1110', '0000']);
    expect(show(crossBoundary(m, 4, 4), 4)).toEqual(['1110', '1010', '1110', '0000']);
    expect(crossBoundaryCount(m, 4, 4)).toBe(8);
  });
  it('equals the reference: cross-kernel convolution (zero padding) < 5 on mask pixels', () => {
    const r = rng(5);
    for (let trial = 0; trial < 30; trial++) {
      const h = 2 + Math.floor(r() * 10);
      const w = 2 + Math.floor(r() * 10);
      const m = Uint8Array.from({ length: h * w }, () => (r() < 0.6 ? 1 : 0));
      const at = (i: number, j: number) => (i < 0 || j < 0 || i >= h || j >= w ? 0 : (m[i * w + j] as number));
      const b = crossBoundary(m, h, w);
      for (let i = 0; i < h; i++)
        for (let j = 0; j < w; j++) {
          const conv = at(i, j) + at(i - 1, j) + at(i + 1, j) + at(i, j - 1) + at(i, j + 1);
          expect(b[i * w + j]).toBe(at(i, j) && conv < 5 ? 1 : 0);
        }
    }
  });
  it('full image: only the image border; empty: nothing', () => {
    expect(crossBoundaryCount(new Uint8Array(25).fill(1), 5, 5)).toBe(16);
    expect(crossBoundaryCount(new Uint8Array(25), 5, 5)).toBe(0);
  });
});

describe('erosion / erosionBoundary (CBL, Boundary IoU)', () => {
  it('3×3 erosion with zero padding erodes at the image border', () => {
    const m = grid(['11111', '11111', '11111', '11110']);
    expect(show(erosion(m, 4, 5), 5)).toEqual(['00000', '01110', '01100', '00000']);
    expect(show(erosion(m, 4, 5, { outside: 'ignore' }), 5)).toEqual(['11111', '11111', '11100', '11100']);
    expect(show(erosionBoundary(m, 4, 5), 5)).toEqual(['11111', '10001', '10011', '11110']);
  });
  it('k iterations of 3×3 = one (2k+1)×(2k+1) erosion = Chebyshev distance to outside > k', () => {
    const r = rng(9);
    for (let trial = 0; trial < 20; trial++) {
      const h = 3 + Math.floor(r() * 12);
      const w = 3 + Math.floor(r() * 12);
      const m = Uint8Array.from({ length: h * w }, () => (r() < 0.85 ? 1 : 0));
      const k = 1 + Math.floor(r() * 3);
      const a = erosion(m, h, w, { iterations: k });
      expect(Array.from(erosion(m, h, w, { size: 2 * k + 1 }))).toEqual(Array.from(a));
      for (let i = 0; i < h; i++)
        for (let j = 0; j < w; j++) {
          let inside = true;
          for (let di = -k; di <= k; di++)
            for (let dj = -k; dj <= k; dj++) {
              const a2 = i + di;
              const b2 = j + dj;
              if (a2 < 0 || b2 < 0 || a2 >= h || b2 >= w || !m[a2 * w + b2]) inside = false;
            }
          expect(a[i * w + j]).toBe(inside ? 1 : 0);
        }
    }
  });
  it('boundaryIouIterations follows mask_to_boundary', () => {
    expect(boundaryIouIterations(512, 1024)).toBe(23); // 0.02·1144.9 = 22.9
    expect(boundaryIouIterations(16, 16)).toBe(1);
    expect(boundaryIouIterations(1024, 2048, 0.005)).toBe(11);
  });
  it('rejects even sizes', () => {
    expect(() => erosion(new Uint8Array(4), 2, 2, { size: 2 })).toThrow(/odd/);
  });
});

describe('dilation (ABL 3×3)', () => {
  it('dilates a point to its 3×3 neighbourhood, clipped at the border', () => {
    const m = grid(['1000', '0000', '0001']);
    expect(show(dilate3x3(m, 3, 4), 4)).toEqual(['1100', '1111', '0011']);
    expect(show(dilation(grid(['00000', '00100', '00000']), 3, 5, 5), 5)).toEqual(['11111', '11111', '11111']);
  });
  it('forEachImage applies per image', () => {
    const two = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(forEachImage(two, 2, 2, 2, dilate3x3))).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
  });
});
