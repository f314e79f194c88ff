import { describe, expect, it } from 'vitest';
import { GradientPool } from './gradient-pool';

describe('GradientPool', () => {
  it('hands a given-back array out again for the same length, a new one otherwise', () => {
    const pool = new GradientPool();
    const a = pool.take(8);
    expect(pool.counts).toEqual({ reused: 0, made: 1 });
    pool.give([a.buffer as ArrayBuffer]);
    expect(pool.size()).toBe(32);
    const b = pool.take(8);
    expect(b.buffer).toBe(a.buffer);
    expect(pool.counts).toEqual({ reused: 1, made: 1 });
    expect(pool.size()).toBe(0);
    const c = pool.take(8); // the pool is empty again
    expect(c.buffer).not.toBe(a.buffer);
    pool.give([c.buffer as ArrayBuffer]);
    expect(pool.take(16).length).toBe(16); // another length is not served from it
    expect(pool.counts.made).toBe(3);
  });

  it('ignores detached arrays and keeps no more than its limit', () => {
    const pool = new GradientPool(100);
    const detached = new ArrayBuffer(16);
    structuredClone(detached, { transfer: [detached] });
    expect(detached.byteLength).toBe(0);
    pool.give([detached, new ArrayBuffer(64), new ArrayBuffer(64), new ArrayBuffer(6)]);
    expect(pool.size()).toBe(64);
  });

  it('drops the arrays of another grid', () => {
    const pool = new GradientPool();
    pool.give([new ArrayBuffer(4 * 12), new ArrayBuffer(4 * 8), new ArrayBuffer(4 * 36)]);
    pool.retainMultiplesOf(12);
    expect(pool.size()).toBe(4 * 48);
    expect(pool.take(8).buffer.byteLength).toBe(32);
    expect(pool.counts).toEqual({ reused: 0, made: 1 });
    expect(pool.take(36).length).toBe(36);
    expect(pool.counts.reused).toBe(1);
  });
});
