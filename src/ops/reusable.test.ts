import { describe, expect, it } from 'vitest';
import type { ActiveBoundaryParams } from '../losses/boundary/active-boundary';
import { ablHostValueAndGrad } from '../losses/boundary/active-boundary-host';
import { rmiHostValueAndGrad } from '../losses/region/rmi-host';
import { distanceToOtherRegion } from './distance-maps';
import { edt } from './edt';
import { reusable } from './reusable';

describe('reusable work arrays', () => {
  it('hands out the same memory for sizes up to the largest seen, a fresh array above the cap', () => {
    const work = reusable((n) => new Float64Array(n), 100);
    const a = work(50);
    a.fill(7);
    const b = work(30);
    expect(b.length).toBe(30);
    expect(b.buffer).toBe(a.buffer); // a view of the same memory: its contents are garbage to the caller
    expect(b[0]).toBe(7);
    const c = work(80); // larger: a new buffer, kept from now on
    expect(c.buffer).not.toBe(a.buffer);
    expect(work(80).buffer).toBe(c.buffer);
    const big = work(101); // above the cap: never kept
    expect(big.buffer).not.toBe(c.buffer);
    expect(work(101).buffer).not.toBe(big.buffer);
  });

  it('distance fields of different masks in a row equal those computed from fresh arrays', () => {
    const h = 9;
    const w = 11;
    const disc = Array.from({ length: h * w }, (_, i) => ((i / w - 4) ** 2 + ((i % w) - 5) ** 2 < 9 ? 1 : 0));
    const bar = Array.from({ length: h * w }, (_, i) => (i % w === 2 ? 1 : 0));
    const fresh = (m: number[]) => {
      const a = edt(m, h, w);
      const b = edt(
        m.map((v) => 1 - v),
        h,
        w,
      );
      return Array.from(a, (v, i) => v + (b[i] as number));
    };
    for (const m of [disc, bar, disc, bar.map(() => 1), bar]) {
      const expected = m.every((v) => v === 1) ? new Array(h * w).fill(0) : fresh(m);
      expect(Array.from(distanceToOtherRegion(m, h, w))).toEqual(expected);
    }
  });

  it('Active Boundary on the host gives the same value and gradient when called again after other inputs', () => {
    const shape = [1, 10, 12, 2] as const;
    const x1 = Float32Array.from({ length: 240 }, (_, i) => Math.sin(i * 0.7) * 3);
    const x2 = Float32Array.from({ length: 240 }, (_, i) => Math.cos(i * 1.3) * 2);
    const dist = Float64Array.from({ length: 120 }, (_, i) => (i * 7) % 5);
    const params: ActiveBoundaryParams = { maxNRatio: 0.3, maxClipDist: 20, labelSmoothing: 0.2, isDetach: false };
    const first = ablHostValueAndGrad(x1, shape, dist, params);
    ablHostValueAndGrad(x2, shape, dist, params);
    const again = ablHostValueAndGrad(x1, shape, dist, params);
    expect(again.value).toBe(first.value);
    expect(Array.from(again.grad)).toEqual(Array.from(first.grad));
    expect(first.value).toBeGreaterThan(0);
  });

  it('RMI on the host gives the same value and gradient when called again after inputs of other sizes', () => {
    const small = { n: 1, h: 8, w: 9, c: 2, r: 2 };
    const large = { n: 1, h: 12, w: 10, c: 2, r: 3 };
    const make = (s: typeof small, f: (i: number) => number) =>
      Float32Array.from({ length: s.n * s.h * s.w * s.c }, (_, i) => f(i));
    const q1 = make(small, (i) => 0.5 + 0.4 * Math.sin(i * 0.9));
    const y1 = make(small, (i) => (((i >> 1) % 3 === 0) === (i % 2 === 0) ? 1 : 0));
    const q2 = make(large, (i) => 0.5 + 0.4 * Math.cos(i * 1.7));
    const y2 = make(large, (i) => ((i >> 1) % 5 < 2 === (i % 2 === 0) ? 1 : 0));
    const first = rmiHostValueAndGrad(q1, y1, small, 5e-4, 1e-8);
    rmiHostValueAndGrad(q2, y2, large, 5e-4, 1e-8); // fills the work arrays with other, larger contents
    const again = rmiHostValueAndGrad(q1, y1, small, 5e-4, 1e-8);
    expect(again.value).toBe(first.value);
    expect(Array.from(again.grad)).toEqual(Array.from(first.grad));
    expect(Number.isFinite(first.value)).toBe(true);
    expect(first.grad.some((g) => g !== 0)).toBe(true);
  });
});
