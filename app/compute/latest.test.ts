import { afterEach, describe, expect, it, vi } from 'vitest';
import { announceOnBoard, isSuperseded, LatestGate, makeLatestBoard } from './latest';

const board = () => new Int32Array(new SharedArrayBuffer(4));

describe('the shared latest board', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('exists only on a cross-origin isolated page', () => {
    vi.stubGlobal('crossOriginIsolated', false);
    expect(makeLatestBoard()).toBeNull();
    vi.stubGlobal('crossOriginIsolated', true);
    const b = makeLatestBoard();
    expect(b).toBeInstanceOf(Int32Array);
    expect(b?.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('only ever moves to a newer state', () => {
    const b = board();
    announceOnBoard(b, 5);
    announceOnBoard(b, 3);
    expect(Atomics.load(b, 0)).toBe(5);
    announceOnBoard(b, 9);
    expect(Atomics.load(b, 0)).toBe(9);
  });

  it('stops a request at the first boundary after a newer state is written, yielding only every few ms', async () => {
    const gate = new LatestGate();
    const b = board();
    let t = 0;
    let yields = 0;
    const check = gate.sharedCheckpoint(
      3,
      b,
      async () => {
        yields++;
      },
      8,
      () => t,
    );
    await check(); // the first boundary yields
    t = 5;
    await check(); // 5 ms later: no yield
    expect(yields).toBe(1);
    t = 9;
    await check(); // 9 ms after the first yield: yields again
    expect(yields).toBe(2);
    announceOnBoard(b, 3); // the request's own state: it goes on
    await check();
    announceOnBoard(b, 4);
    await expect(check()).rejects.toSatisfy(isSuperseded);
    expect(yields).toBe(2);
  });

  it('also honours a newer state noted from a message', async () => {
    const gate = new LatestGate();
    const check = gate.sharedCheckpoint(2, board(), async () => {}, 8);
    await check();
    gate.note(3);
    await expect(check()).rejects.toSatisfy(isSuperseded);
  });
});
