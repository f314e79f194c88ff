import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GradientRecycler, RECYCLE_AFTER_MS } from './gradient-recycler';

describe('GradientRecycler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup() {
    let store: (Float32Array | null)[] = [];
    const given: ArrayBuffer[][] = [];
    const r = new GradientRecycler(
      () => store,
      (b) => given.push(b),
      RECYCLE_AFTER_MS,
      () => Date.now(),
    );
    const replace = (next: (Float32Array | null)[]) => {
      const before = store;
      store = next;
      r.changed(before);
    };
    return { r, given, replace };
  }

  it('gives back an array once it has been out of the store for the delay, not before', () => {
    const { r, given, replace } = setup();
    const a = new Float32Array(8);
    const b = new Float32Array(8);
    replace([a, null]);
    replace([b, null]); // a left the store
    vi.advanceTimersByTime(RECYCLE_AFTER_MS - 1);
    expect(given).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(given).toEqual([[a.buffer]]);
    expect(r.given).toBe(1);
    vi.advanceTimersByTime(10 * RECYCLE_AFTER_MS);
    expect(given.length).toBe(1); // b is still shown
  });

  it('keeps an array while any result still refers to it (a group of losses shares one array)', () => {
    const { given, replace } = setup();
    const group = new Float32Array(12);
    const [x, y, z] = [0, 4, 8].map((o) => group.subarray(o, o + 4)) as [Float32Array, Float32Array, Float32Array];
    const fresh = () => new Float32Array(4);
    replace([x, y, z]);
    const partial = fresh();
    replace([partial, y, z]); // only part of the group replaced (a superseded update)
    vi.advanceTimersByTime(5 * RECYCLE_AFTER_MS);
    expect(given).toEqual([]);
    replace([fresh(), fresh(), fresh()]);
    vi.advanceTimersByTime(RECYCLE_AFTER_MS / 2);
    expect(given).toEqual([]); // the delay counts from the moment the last view left
    vi.advanceTimersByTime(RECYCLE_AFTER_MS / 2);
    expect(given).toEqual([[group.buffer, partial.buffer]]);
  });

  it('drops detached arrays and stops for good', () => {
    const { r, given, replace } = setup();
    const a = new Float32Array(8);
    replace([a]);
    replace([]);
    structuredClone(a.buffer, { transfer: [a.buffer as ArrayBuffer] });
    vi.advanceTimersByTime(RECYCLE_AFTER_MS);
    expect(given).toEqual([]);
    const b = new Float32Array(8);
    replace([b]);
    replace([]);
    r.stop();
    vi.advanceTimersByTime(10 * RECYCLE_AFTER_MS);
    expect(given).toEqual([]);
  });
});
