import { afterEach, expect, it } from 'vitest';
import { unloadInverseFormNet } from '../inverseform/loader';
import { describeEachBackend } from '../testing/backends';
import { normal, rng } from '../testing/properties';
import { tf } from '../tf';
import type { LossId } from '../types';
import { evaluateLandscapeLines } from './compare';
import { evaluateLandscape, type LandscapeAxisSpec, LandscapeCancelledError } from './evaluate';

const H = 8;
const W = 7;

function example(C: number, seed = 5) {
  const r = rng(seed);
  const labels = new Int32Array(H * W);
  for (let i = 0; i < labels.length; i++) labels[i] = Math.floor(r() * C);
  return {
    x: tf.tensor4d(normal(r, H * W * C, 1), [1, H, W, C]),
    t: tf.tensor3d(labels, [1, H, W], 'int32'),
  };
}

const AXIS: LandscapeAxisSpec = { direction: 'towards-gt', from: -1, to: 1, points: 9 };

describeEachBackend('evaluateLandscapeLines', () => {
  afterEach(() => tf.disposeVariables());

  it("each loss's line equals its single-loss landscape, for every direction", async () => {
    const { x, t } = example(3);
    const ids: LossId[] = ['cross-entropy', 'dice', 'focal', 'boundary-loss'];
    for (const direction of ['towards-gt', 'confidence', 'random'] as const) {
      const axis = { ...AXIS, direction };
      const before = tf.memory().numTensors;
      const r = await evaluateLandscapeLines(
        ids.map((id) => ({ id, ...(id === 'focal' ? { params: { gamma: 3 } } : {}) })),
        x,
        t,
        axis,
        { batchSize: 4 },
      );
      expect(tf.memory().numTensors).toBe(before);
      expect(r.lines.map((l) => l.lossId)).toEqual(ids);
      expect(r.evaluations).toBe(ids.length * 10);
      for (const line of r.lines) {
        expect(line.error).toBeNull();
        const single = evaluateLandscape(line.lossId, x, t, [axis], {
          ...(line.lossId === 'focal' ? { params: { gamma: 3 } } : {}),
        });
        expect(Array.from(line.result?.values ?? [])).toEqual(Array.from(single.values));
        expect(line.result?.origin).toBe(single.origin);
        expect(line.result?.logitsNorm).toBe(single.logitsNorm);
        expect(Array.from(line.result?.axes[0]?.coords ?? [])).toEqual(Array.from(single.axes[0]?.coords ?? []));
      }
    }
    tf.dispose([x, t]);
  });

  it('reports a failing loss (binary-only with C = 3, InverseForm not loaded) without breaking the others', async () => {
    unloadInverseFormNet();
    const { x, t } = example(3);
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const r = await evaluateLandscapeLines(
      [{ id: 'cross-entropy' }, { id: 'robust-t-loss' }, { id: 'inverseform' }, { id: 'dice' }],
      x,
      t,
      AXIS,
      { onProgress: (done, total) => progress.push(done / total) },
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(r.lines.map((l) => l.error === null)).toEqual([true, false, false, true]);
    expect(r.lines[1]?.error).toMatch(/binary/);
    expect(r.lines[2]?.error).toMatch(/InverseForm/i);
    expect(r.lines[1]?.result).toBeNull();
    const ce = evaluateLandscape('cross-entropy', x, t, [AXIS]);
    expect(Array.from(r.lines[0]?.result?.values ?? [])).toEqual(Array.from(ce.values));
    expect(progress.at(-1)).toBe(1);
    tf.dispose([x, t]);
  });

  it('cancels between batches with LandscapeCancelledError and leaks nothing', async () => {
    const { x, t } = example(2);
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    const run = evaluateLandscapeLines([{ id: 'cross-entropy' }, { id: 'dice' }], x, t, AXIS, {
      batchSize: 2,
      signal: controller.signal,
      onProgress: (done) => {
        if (done >= 4) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(LandscapeCancelledError);
    expect(tf.memory().numTensors).toBe(before);
    await expect(evaluateLandscapeLines([], x, t, AXIS)).rejects.toThrow(/at least one loss/);
    tf.dispose([x, t]);
  });
});
