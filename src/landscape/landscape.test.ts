import { afterEach, expect, it } from 'vitest';
import { computeLoss } from '../compute';
import { GroundTruthContext } from '../engine/gt-context';
import { InverseFormNotLoadedError, unloadInverseFormNet } from '../inverseform/loader';
import { describeEachBackend } from '../testing/backends';
import { normal, rng } from '../testing/properties';
import { tf } from '../tf';
import type { LossId } from '../types';
import { evaluateLandscape, evaluateLandscapeAsync, LandscapeCancelledError } from './evaluate';

const H = 10;
const W = 9;
const C = 3;

function example(seed = 3) {
  const r = rng(seed);
  const labels = new Int32Array(H * W);
  for (let i = 0; i < labels.length; i++) labels[i] = Math.floor(r() * C);
  // Logits well inside the margin M = 4, so the line towards the ground truth only gains confidence.
  const logits = normal(r, H * W * C, 1);
  return {
    labels,
    x: tf.tensor4d(logits, [1, H, W, C]),
    t: tf.tensor3d(labels, [1, H, W], 'int32'),
  };
}

function lossOf(id: LossId, x: tf.Tensor4D, t: tf.Tensor3D): number {
  return tf.tidy(() => computeLoss(id, x, t).dataSync()[0] as number);
}

const closeRel = (got: number, want: number, rel = 1e-5) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(want)));

describeEachBackend('evaluateLandscape', () => {
  afterEach(() => tf.disposeVariables());

  for (const id of ['cross-entropy', 'dice', 'boundary-loss'] as LossId[]) {
    it(`${id}: the origin (a = b = 0) equals computeLoss, in the grid and as 'origin'`, () => {
      const { x, t } = example();
      const want = lossOf(id, x, t);
      const r = evaluateLandscape(id, x, t, [
        { direction: 'random', from: -1, to: 1, points: 5 },
        { direction: 'confidence', from: -0.5, to: 0.5, points: 3 },
      ]);
      expect(r.origin).toBe(want);
      expect(r.axes[0]?.coords[2]).toBe(0);
      expect(r.axes[1]?.coords[1]).toBe(0);
      expect(r.values[1 * r.cols + 2]).toBe(want);
      tf.dispose([x, t]);
    });
  }

  it("'towards-gt' at a = 1 equals the loss of the perfect logits M·(2·onehot − 1)", () => {
    const { labels, x, t } = example();
    const M = 4;
    const perfect = new Float32Array(H * W * C).fill(-M);
    for (let i = 0; i < labels.length; i++) perfect[i * C + (labels[i] as number)] = M;
    const xp = tf.tensor4d(perfect, [1, H, W, C]);
    for (const id of ['cross-entropy', 'dice', 'focal'] as LossId[]) {
      const r = evaluateLandscape(id, x, t, [{ direction: 'towards-gt', from: 0, to: 1, points: 11 }], { margin: M });
      expect(r.axes[0]?.coords[10]).toBe(1);
      closeRel(r.values[10] as number, lossOf(id, xp, t), 1e-4);
    }
    tf.dispose([x, t, xp]);
  });

  it("cross-entropy decreases monotonically along 'towards-gt' from a = 0 to a = 1", () => {
    const { x, t } = example(7);
    const r = evaluateLandscape('cross-entropy', x, t, [{ direction: 'towards-gt', from: 0, to: 1, points: 21 }]);
    for (let i = 1; i < r.cols; i++) expect(r.values[i] as number).toBeLessThan(r.values[i - 1] as number);
    expect(r.min).toBe(r.values[20]);
    expect(r.max).toBe(r.values[0]);
    tf.dispose([x, t]);
  });

  it('returns a row-major grid: rows follow axis b, columns axis a, with the requested coordinates', () => {
    const { x, t } = example();
    const r = evaluateLandscape(
      'dice',
      x,
      t,
      [
        { direction: 'towards-gt', from: -1, to: 1, points: 5 },
        { direction: 'confidence', from: -1, to: 0.5, points: 4 },
      ],
      { batchSize: 3 },
    );
    expect([r.dims, r.rows, r.cols, r.values.length, r.evaluations]).toEqual([2, 4, 5, 20, 21]);
    expect(Array.from(r.axes[0]?.coords ?? [])).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(Array.from(r.axes[1]?.coords ?? [])).toEqual([-1, -0.5, 0, 0.5]);
    expect(r.axes.map((a) => a.direction)).toEqual(['towards-gt', 'confidence']);
    expect(r.axes[0]?.axisLabel).toMatch(/ground-truth logits ±4/);
    // Row 0 is b = −1: the logits scaled by 0, i.e. a uniform prediction plus a·(z* − z). At a = 0 that is
    // the uniform softmax, whatever the current logits are.
    const uniform = tf.zerosLike(x) as tf.Tensor4D;
    closeRel(r.values[0 * r.cols + 2] as number, lossOf('dice', uniform, t), 1e-5);
    // Row 3 (b = 0.5), column 4 (a = 1): z + 1·(z* − z) + 0.5·z = z* + 0.5·z.
    const z = tf.tidy(() => tf.add(tf.sub(tf.mul(tf.sub(tf.mul(tf.oneHot(t, C), 2), 1), 4), x), tf.mul(x, 1.5)));
    closeRel(r.values[3 * r.cols + 4] as number, lossOf('dice', z as tf.Tensor4D, t), 1e-4);
    expect(r.nonFinite).toBe(0);
    expect(r.logitsNorm).toBeCloseTo(
      tf.tidy(() => tf.norm(x).dataSync()[0] as number),
      3,
    );
    tf.dispose([x, t, uniform, z]);
  });

  it('the random direction is reproducible from its seed and has the norm of the logits', () => {
    const { x, t } = example();
    const spec = [{ direction: 'random' as const, from: -2, to: 2, points: 5, seed: 42 }];
    const r1 = evaluateLandscape('cross-entropy', x, t, spec);
    const r2 = evaluateLandscape('cross-entropy', x, t, spec);
    expect(Array.from(r2.values)).toEqual(Array.from(r1.values));
    const r3 = evaluateLandscape('cross-entropy', x, t, [{ ...spec[0], seed: 43 } as (typeof spec)[0]]);
    expect(Array.from(r3.values)).not.toEqual(Array.from(r1.values));
    expect(r1.axes[0]?.definition).toMatch(/Frobenius norm/);
    tf.dispose([x, t]);
  });

  it('leaks no tensors (sync, async, with a shared context, and when the loss throws)', async () => {
    const { labels, x, t } = example();
    const ctx = GroundTruthContext.fromLabels(labels, [1, H, W], C);
    ctx.oneHot();
    const axes = [
      { direction: 'towards-gt' as const, from: -1, to: 1, points: 4 },
      { direction: 'random' as const, from: -1, to: 1, points: 3 },
    ];
    // Cross-entropy and Dice memoise ground-truth constants on the shared context (freed with it): warm them first.
    evaluateLandscape('cross-entropy', x, t, axes, { ctx });
    evaluateLandscape('dice', x, t, axes, { ctx });
    const before = tf.memory().numTensors;
    evaluateLandscape('dice', x, t, axes, { ctx });
    evaluateLandscape('dice', x, t, axes);
    await evaluateLandscapeAsync('cross-entropy', x, t, axes, { ctx, batchSize: 2 });
    expect(() => evaluateLandscape('dice', x, t, axes, { ctx, params: { nope: 1 } })).toThrow(/nope/);
    expect(tf.memory().numTensors).toBe(before);
    ctx.dispose();
    tf.dispose([x, t]);
  });

  it('reports progress, and an abort stops between batches without leaking', async () => {
    const { x, t } = example();
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const controller = new AbortController();
    const run = evaluateLandscapeAsync(
      'cross-entropy',
      x,
      t,
      [{ direction: 'towards-gt', from: 0, to: 1, points: 11 }],
      {
        batchSize: 4,
        yieldBetween: () => Promise.resolve(),
        onProgress: (done, total) => {
          seen.push(done);
          expect(total).toBe(12);
          if (done >= 8) controller.abort();
        },
        signal: controller.signal,
      },
    );
    await expect(run).rejects.toBeInstanceOf(LandscapeCancelledError);
    expect(seen).toEqual([4, 8]);
    const full = await evaluateLandscapeAsync('cross-entropy', x, t, [
      { direction: 'towards-gt', from: 0, to: 1, points: 11 },
    ]);
    expect(Array.from(full.values)).toEqual(
      Array.from(
        evaluateLandscape('cross-entropy', x, t, [{ direction: 'towards-gt', from: 0, to: 1, points: 11 }]).values,
      ),
    );
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, t]);
  });

  it('reports non-finite values instead of hiding them', () => {
    const { x, t } = example();
    // a = 5e38 and 1e39 are Infinity in float32: the scaled logits are ±Infinity and their softmax NaN.
    const r = evaluateLandscape('dice', x, t, [{ direction: 'confidence', from: 0, to: 1e39, points: 3 }]);
    expect(r.nonFinite).toBeGreaterThan(0);
    expect(Number.isFinite(r.values[0] as number)).toBe(true);
    expect(Number.isNaN(r.values[2] as number) || !Number.isFinite(r.values[2] as number)).toBe(true);
    tf.dispose([x, t]);
  });

  it('gives clear errors: bad axes, and InverseForm without its network (its own error)', () => {
    // Unload first: another test file in this worker may have loaded the network, whose weights are tensors.
    unloadInverseFormNet();
    const { x, t } = example();
    const before = tf.memory().numTensors;
    expect(() => evaluateLandscape('dice', x, t, [{ direction: 'towards-gt', from: 1, to: 0, points: 5 }])).toThrow(
      /from < to/,
    );
    expect(() => evaluateLandscape('dice', x, t, [{ direction: 'towards-gt', from: 0, to: 1, points: 1 }])).toThrow(
      /points/,
    );
    expect(() =>
      evaluateLandscape('dice', x, t, [{ direction: 'sideways' as 'random', from: 0, to: 1, points: 3 }]),
    ).toThrow(/unknown direction/);
    expect(() =>
      evaluateLandscape('inverseform', x, t, [{ direction: 'towards-gt', from: 0, to: 1, points: 3 }]),
    ).toThrow(InverseFormNotLoadedError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, t]);
  });
});
