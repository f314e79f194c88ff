import { describe, expect, it } from 'vitest';
import { rng } from '../testing/properties';
import fixture from './__fixtures__/edt-scipy.json';
import { edt, edtBatch, edtCallCount, hasBackground, onEdt, resetEdtCallCount, squaredEdt } from './edt';

/** Definition by brute force: distance to the nearest pixel outside the mask (needs one). */
function bruteForce(mask: ArrayLike<number>, h: number, w: number): Float64Array {
  const out = new Float64Array(h * w);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      if (!mask[i * w + j]) continue;
      let best = Number.POSITIVE_INFINITY;
      for (let a = 0; a < h; a++)
        for (let b = 0; b < w; b++) if (!mask[a * w + b]) best = Math.min(best, (a - i) ** 2 + (b - j) ** 2);
      out[i * w + j] = Math.sqrt(best);
    }
  }
  return out;
}

describe('edt', () => {
  it('hand-made case: a 3×3 block in a 5×5 image', () => {
    const m = Uint8Array.from([0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(edt(m, 5, 5))).toEqual([
      0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 2, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    ]);
  });
  it('hand-made case: single background pixel in a corner gives Euclidean distances to it', () => {
    const m = new Uint8Array(12).fill(1);
    m[0] = 0;
    const d = edt(m, 3, 4);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) expect(d[i * 4 + j]).toBe(Math.sqrt(i * i + j * j));
  });
  it('accepts boolean masks and 1-pixel-wide images', () => {
    expect(Array.from(edt([true, true, false, true], 1, 4))).toEqual([2, 1, 0, 1]);
    expect(Array.from(edt([true, true, false, true], 4, 1))).toEqual([2, 1, 0, 1]);
  });
  it('all-false mask gives zeros', () => {
    expect(Array.from(edt(new Uint8Array(20), 4, 5))).toEqual(new Array(20).fill(0));
  });
  it('all-true mask gives the SciPy artifact sqrt((i+1)² + j²) (SPEC §1.1)', () => {
    const d = edt(new Uint8Array(12).fill(1), 3, 4);
    expect(Array.from(d)).toEqual(
      [1, Math.SQRT2, Math.sqrt(5), Math.sqrt(10), 2, Math.sqrt(5), Math.sqrt(8)].concat([
        Math.sqrt(13),
        3,
        Math.sqrt(10),
        Math.sqrt(13),
        Math.sqrt(18),
      ]),
    );
    expect(Array.from(edt([1], 1, 1))).toEqual([1]);
    expect(hasBackground([1, 1, 1])).toBe(false);
    expect(hasBackground([1, 0, 1])).toBe(true);
  });
  it('equals brute force on random masks of many shapes and densities', () => {
    const r = rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const h = 1 + Math.floor(r() * 17);
      const w = 1 + Math.floor(r() * 17);
      const density = r();
      const m = Uint8Array.from({ length: h * w }, () => (r() < density ? 1 : 0));
      if (!hasBackground(m)) m[Math.floor(r() * h * w)] = 0;
      expect(Array.from(edt(m, h, w))).toEqual(Array.from(bruteForce(m, h, w)));
    }
  });
  it(`equals scipy.ndimage.distance_transform_edt bit for bit on all ${fixture.masks.length} golden-derived masks`, () => {
    let all = 0;
    for (const e of fixture.masks) {
      const m = Uint8Array.from(e.mask, (ch) => (ch === '1' ? 1 : 0));
      const d = edt(m, e.h, e.w);
      const want = e.d2.split(',').map((v) => Math.sqrt(Number(v)));
      expect(Array.from(d), e.source).toEqual(want);
      if (!hasBackground(m)) all++;
    }
    expect(all).toBeGreaterThan(0); // the artifact is among them
  });
  it('squaredEdt is exact integers; edtBatch works per image', () => {
    const a = Uint8Array.from([1, 1, 1, 0, 1, 1]);
    const b = Uint8Array.from([0, 0, 0, 0, 0, 0]);
    expect(Array.from(squaredEdt(a, 2, 3))).toEqual([1, 2, 5, 0, 1, 4]); // scipy: [[1,2,5],[0,1,4]]
    const both = new Uint8Array(12);
    both.set(a, 0);
    both.set(b, 6);
    expect(Array.from(edtBatch(both, 2, 2, 3))).toEqual([...Array.from(edt(a, 2, 3)), 0, 0, 0, 0, 0, 0]);
    expect(() => edtBatch(both, 3, 2, 3)).toThrow(/fill/);
  });
  it('counts every single-image transform', () => {
    resetEdtCallCount();
    const seen: string[] = [];
    const off = onEdt((h, w) => seen.push(`${h}x${w}`));
    edt(new Uint8Array(4), 2, 2);
    squaredEdt(new Uint8Array(6), 2, 3);
    edtBatch(new Uint8Array(12), 2, 3, 2);
    off();
    edt(new Uint8Array(4), 2, 2);
    expect(edtCallCount()).toBe(5);
    expect(seen).toEqual(['2x2', '2x3', '3x2', '3x2']);
  });
  it('256×256 is fast (timing printed)', () => {
    const r = rng(3);
    const m = new Uint8Array(256 * 256);
    for (let k = 0; k < 40; k++) {
      const ci = r() * 256;
      const cj = r() * 256;
      const rad = 5 + r() * 40;
      for (let i = 0; i < 256; i++)
        for (let j = 0; j < 256; j++) if ((i - ci) ** 2 + (j - cj) ** 2 < rad * rad) m[i * 256 + j] = 1;
    }
    edt(m, 256, 256);
    const t0 = performance.now();
    const reps = 20;
    for (let k = 0; k < reps; k++) edt(m, 256, 256);
    const ms = (performance.now() - t0) / reps;
    console.log(`edt 256×256: ${ms.toFixed(2)} ms per image`);
    expect(ms).toBeLessThan(200);
  });
});
