import { describe, expect, it } from 'vitest';
import { create } from 'zustand';
import { paintStroke } from '../editing/labels';
import { createMasksSlice, type MasksSlice } from './masks';
import { DEFAULT_GRID } from './settings';

type S = MasksSlice & { gridSize: number; heatmapClass: number };

function makeStore() {
  return create<S>()(
    (...a) =>
      ({
        gridSize: DEFAULT_GRID,
        heatmapClass: 1,
        ...(createMasksSlice as unknown as (...x: unknown[]) => MasksSlice)(...(a as unknown[])),
      }) as S,
  );
}

describe('masks slice', () => {
  it('starts from the example on the default grid', () => {
    const s = makeStore().getState();
    expect([s.width, s.height, s.numClasses]).toEqual([DEFAULT_GRID, DEFAULT_GRID, 2]);
    expect(s.target.length).toBe(DEFAULT_GRID * DEFAULT_GRID);
  });

  it('records one history entry per gesture and undoes it in one step', () => {
    const store = makeStore();
    const t0 = store.getState().target;
    const v0 = store.getState().targetVersion;
    store.getState().beginGesture();
    for (let k = 0; k < 10; k++) {
      const s = store.getState();
      store.getState().setTarget(
        paintStroke(
          s.target,
          s,
          [
            { x: k, y: 5 },
            { x: k + 1, y: 5 },
          ],
          2,
          1,
        ),
      );
    }
    store.getState().endGesture();
    const s1 = store.getState();
    expect(s1.history.past.length).toBe(1);
    expect(s1.targetVersion).toBeGreaterThan(v0);
    expect(s1.target).not.toBe(t0);
    expect(t0[5 * DEFAULT_GRID + 3]).toBe(0); // the original array was never mutated
    s1.undo();
    expect(store.getState().target).toBe(t0);
    expect(store.getState().targetVersion).toBeGreaterThan(s1.targetVersion);
    store.getState().redo();
    expect(store.getState().target).toBe(s1.target);
  });

  it('an empty gesture adds nothing; derivations bump only the prediction version', () => {
    const store = makeStore();
    store.getState().beginGesture();
    store.getState().endGesture();
    expect(store.getState().history.past.length).toBe(0);
    const { targetVersion, predictionVersion } = store.getState();
    store.getState().derivePrediction('perfect');
    expect(store.getState().targetVersion).toBe(targetVersion);
    expect(store.getState().predictionVersion).toBe(predictionVersion + 1);
    expect(store.getState().history.past.length).toBe(1);
  });

  it('resamples on grid change and changes the number of classes', () => {
    const store = makeStore();
    const G = DEFAULT_GRID === 128 ? 64 : 128;
    store.getState().setGridSize(G);
    let s = store.getState();
    expect([s.width, s.gridSize, s.logits.length]).toEqual([G, G, G * G * 2]);
    s.setNumClasses(4);
    s = store.getState();
    expect([s.numClasses, s.logits.length]).toEqual([4, G * G * 4]);
    s.undo();
    s.undo();
    expect(store.getState().width).toBe(DEFAULT_GRID);
  });

  it('keeps the aspect ratio of a non-square upload when the grid changes', () => {
    const store = makeStore();
    const w = 200;
    const h = 100;
    store
      .getState()
      .loadMasks(
        { width: w, height: h, numClasses: 2, target: new Int32Array(w * h), logits: new Float32Array(w * h * 2) },
        { source: 'upload' },
      );
    store.getState().setGridSize(64);
    const s = store.getState();
    expect([s.width, s.height, s.gridSize, s.target.length]).toEqual([64, 32, 64, 64 * 32]);
  });
});
