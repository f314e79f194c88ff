import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand';
import { ViewGate } from './view-gate';

type S = { a: number; b: number };

function setup(maxMs = 16) {
  const api = createStore<S>()(() => ({ a: 0, b: 0 }));
  const gate = new ViewGate(api, maxMs);
  const heard: S[] = [];
  gate.view.subscribe(() => heard.push(gate.view.getState()));
  return { api, gate, heard };
}

describe('ViewGate', () => {
  afterEach(() => vi.useRealTimers());

  it('passes every change through at once while nothing asks for a hold', () => {
    const { api, heard } = setup();
    api.setState({ a: 1 });
    api.setState({ b: 2 });
    expect(heard).toEqual([
      { a: 1, b: 0 },
      { a: 1, b: 2 },
    ]);
  });

  it('holds React back from a change the predicate picks until release, then tells it once', () => {
    const { api, gate, heard } = setup();
    const seen: number[] = [];
    api.subscribe((s) => seen.push(s.a)); // the store's own listeners are never held
    gate.holdWhen((s, prev) => s.a !== prev.a);
    api.setState({ b: 5 }); // not picked
    expect(heard.length).toBe(1);
    api.setState({ a: 1 });
    api.setState({ b: 6 }); // while held: pending
    expect(gate.isHeld()).toBe(true);
    expect(heard.length).toBe(1);
    expect(seen).toEqual([0, 1, 1]);
    expect(gate.view.getState()).toEqual({ a: 1, b: 6 }); // the live state
    gate.release();
    expect(gate.isHeld()).toBe(false);
    expect(heard).toEqual([
      { a: 0, b: 5 },
      { a: 1, b: 6 },
    ]);
    gate.release(); // nothing more
    expect(heard.length).toBe(2);
  });

  it('ends a hold after maxMs without a release, and a hold never extends itself', () => {
    vi.useFakeTimers();
    const { api, gate, heard } = setup(16);
    gate.holdWhen((s, prev) => s.a !== prev.a);
    api.setState({ a: 1 });
    vi.advanceTimersByTime(10);
    api.setState({ a: 2 }); // still the same hold
    vi.advanceTimersByTime(5);
    expect(heard.length).toBe(0);
    vi.advanceTimersByTime(1);
    expect(heard).toEqual([{ a: 2, b: 0 }]);
    expect(gate.counts).toEqual({ holds: 1, timedOut: 1 });
    api.setState({ a: 3 }); // a new hold
    expect(gate.isHeld()).toBe(true);
    gate.release();
    expect(gate.counts).toEqual({ holds: 2, timedOut: 1 });
    vi.advanceTimersByTime(100); // its timer was cleared
    expect(gate.counts.timedOut).toBe(1);
  });

  it('a release without a change meanwhile tells React nothing', () => {
    const { api, gate, heard } = setup();
    gate.holdWhen(() => true);
    api.setState({ a: 1 });
    gate.release();
    expect(heard.length).toBe(1);
    gate.holdWhen(null);
    api.setState({ a: 2 });
    expect(heard.length).toBe(2);
  });
});
