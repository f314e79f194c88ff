import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { IMPLEMENTED_LOSSES, type LossId } from '../../src';
import { type FreshnessView, notCurrent, waitForCurrent } from './fresh';
import { exportRows } from './table';

const ids = IMPLEMENTED_LOSSES.map((d) => d.id).slice(0, 3) as LossId[];

function view(versions: (number | undefined)[], stateVersion = 2): FreshnessView {
  return {
    stateVersion,
    enabled: Object.fromEntries(ids.map((id) => [id, true])),
    results: Object.fromEntries(
      ids.flatMap((id, i) => (versions[i] === undefined ? [] : [[id, { version: versions[i] }]])),
    ),
    computeError: null,
  };
}

describe('export freshness', () => {
  it('lists enabled losses whose result is missing or belongs to an older state', () => {
    expect(notCurrent(view([2, 1, undefined]))).toEqual([ids[1], ids[2]]);
    expect(notCurrent(view([2, 2, 2]))).toEqual([]);
  });

  it('waits until the results land for the current state', async () => {
    const store = createStore<FreshnessView>(() => view([1, 1, 1]));
    const wait = waitForCurrent(store, 10_000);
    store.setState(view([2, 1, 1]));
    store.setState(view([2, 2, 2]));
    expect(await wait).toBe(true);
  });

  it('gives up when an update fails or the time runs out', async () => {
    const failing = createStore<FreshnessView>(() => view([1, 1, 1]));
    const wait = waitForCurrent(failing, 10_000);
    failing.setState({ computeError: 'engine lost' });
    expect(await wait).toBe(false);
    const slow = createStore<FreshnessView>(() => view([1, 1, 1]));
    expect(await waitForCurrent(slow, 5)).toBe(false);
  });

  it('exports a value of an older state as "stale", keeping the value', () => {
    const results = Object.fromEntries(
      ids.map((id, i) => [id, { value: 0.5 + i, error: null, nonFinite: false, version: i === 1 ? 1 : 2 }]),
    );
    const enabled = Object.fromEntries(ids.map((id) => [id, true]));
    const rows = exportRows(results, enabled, {}, 2, 2).filter((r) => ids.includes(r.id));
    expect(rows.map((r) => r.status)).toEqual(['ok', 'stale', 'ok']);
    expect(rows[1]?.value).toBe(1.5);
  });
});
