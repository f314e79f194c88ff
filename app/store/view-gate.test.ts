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
    expect(gate.counts).toEqual({ holds: 1, timedOut: 1, fills: 0, fillsTimedOut: 0 });
    api.setState({ a: 3 }); // a new hold
    expect(gate.isHeld()).toBe(true);
    gate.release();
    expect(gate.counts).toEqual({ holds: 2, timedOut: 1, fills: 0, fillsTimedOut: 0 });
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

  it('holdFor holds until release or its own limit, and a change it names as a break ends it at once', () => {
    vi.useFakeTimers();
    const { api, gate, heard } = setup(16);
    gate.holdFor(50, (s, prev) => s.a !== prev.a);
    api.setState({ b: 1 });
    api.setState({ b: 2 });
    expect(heard).toEqual([]);
    gate.release();
    expect(heard).toEqual([{ a: 0, b: 2 }]); // told once
    // its own limit, not the gate's
    gate.holdFor(50, () => false);
    api.setState({ b: 3 });
    vi.advanceTimersByTime(49);
    expect(heard.length).toBe(1);
    vi.advanceTimersByTime(1);
    expect(heard.length).toBe(2);
    expect(gate.counts).toEqual({ holds: 0, timedOut: 0, fills: 2, fillsTimedOut: 1 });
    // a break: heard at once, with what was pending
    gate.holdFor(50, (s, prev) => s.a !== prev.a);
    api.setState({ b: 4 });
    api.setState({ a: 1 });
    expect(gate.isHeld()).toBe(false);
    expect(heard.slice(2)).toEqual([{ a: 1, b: 4 }]);
    vi.advanceTimersByTime(100); // its timer was cleared
    expect(gate.counts.fillsTimedOut).toBe(1);
  });

  it('a break that the predicate picks becomes the predicate hold (the pending changes wait for it)', () => {
    vi.useFakeTimers();
    const { api, gate, heard } = setup(16);
    gate.holdWhen((s, prev) => s.a !== prev.a);
    gate.holdFor(50, (s, prev) => s.a !== prev.a);
    api.setState({ b: 1 });
    api.setState({ a: 1 }); // ends the fill, begins a hold of maxMs
    expect(gate.isHeld()).toBe(true);
    expect(heard).toEqual([]);
    vi.advanceTimersByTime(16);
    expect(heard).toEqual([{ a: 1, b: 1 }]);
    expect(gate.counts).toEqual({ holds: 1, timedOut: 1, fills: 1, fillsTimedOut: 0 });
  });

  it('holdFor while held does nothing', () => {
    const { api, gate, heard } = setup(16);
    gate.holdWhen(() => true);
    api.setState({ a: 1 });
    gate.holdFor(50, () => true);
    expect(gate.counts.fills).toBe(0);
    gate.release();
    expect(heard.length).toBe(1);
  });
});
