import { describe, expect, it, vi } from 'vitest';
import { computeLoss, lossAndGrad } from '../compute';
import { getLoss, IMPLEMENTED_LOSSES, isImplemented, LOSSES } from '../registry';
import { describeEachBackend } from '../testing/backends';
import { normal, rng } from '../testing/properties';
import { tf } from '../tf';
import type { LossDefinition } from '../types';
import { evaluateLosses, evaluateLossesAsync, GroundTruthCache, hasNonFinite, type LossRequest } from './evaluate';
import { GroundTruthContext } from './gt-context';

const H = 12;
const W = 10;
const C = 3;

function example(seed = 1) {
  const r = rng(seed);
  const labels = new Int32Array(H * W);
  for (let i = 0; i < labels.length; i++) labels[i] = Math.floor(r() * C);
  const logits = normal(r, H * W * C, 2);
  return { labels, logits };
}

describeEachBackend('evaluateLosses', () => {
  const ids = IMPLEMENTED_LOSSES.filter((d) => !d.binaryOnly).map((d) => d.id);

  it('reads back once per call (losses without internal reads)', () => {
    const { labels, logits } = example(6);
    const x = tf.tensor4d(logits, [1, H, W, C]);
    const t = tf.tensor3d(labels, [1, H, W], 'int32');
    const ctx = GroundTruthContext.fromLabels(labels, [1, H, W], C);
    const spy = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    const out = evaluateLosses(x, t, [{ id: 'cross-entropy' }, { id: 'dice' }], ctx);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    expect(out.reads).toBe(1);
    ctx.dispose();
    x.dispose();
    t.dispose();
  });

  it('every loss without needsHostData is read-back-free: one read per update, each loss alone and all together', () => {
    const { labels, logits } = example(7);
    const x = tf.tensor4d(logits, [1, H, W, C]);
    const t = tf.tensor3d(labels, [1, H, W], 'int32');
    const ctx = GroundTruthContext.fromLabels(labels, [1, H, W], C);
    const free = IMPLEMENTED_LOSSES.filter((d) => !d.needsHostData && !d.binaryOnly).map((d) => ({ id: d.id }));
    expect(free.length).toBeGreaterThanOrEqual(17);
    evaluateLosses(x, t, free, ctx); // ground-truth constants may read the labels once; they are cached now
    const spy = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    for (const req of free) {
      spy.mockClear();
      const one = evaluateLosses(x, t, [req], ctx);
      expect([req.id, one.results[0]?.error, spy.mock.calls.length]).toEqual([req.id, null, 1]);
    }
    spy.mockClear();
    expect(evaluateLosses(x, t, free, ctx).reads).toBe(1);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    ctx.dispose();
    x.dispose();
    t.dispose();
  });

  it('runs needsHostData losses after the others and keeps the request order', () => {
    const { labels, logits } = example(8);
    const x = tf.tensor4d(logits, [1, H, W, C]);
    const t = tf.tensor3d(labels, [1, H, W], 'int32');
    const ctx = GroundTruthContext.fromLabels(labels, [1, H, W], C);
    const flagged = IMPLEMENTED_LOSSES.filter((d) => d.needsHostData).map((d) => d.id);
    expect(flagged.sort()).toEqual(
      [
        'active-boundary',
        'conditional-boundary',
        'hausdorff-distance',
        'inverseform',
        'lovasz-softmax',
        'region-mutual-information',
      ].sort(),
    );
    const requests: LossRequest[] = [
      { id: 'lovasz-softmax' },
      { id: 'dice' },
      { id: 'hausdorff-distance' },
      { id: 'cross-entropy' },
    ];
    const ran: string[] = [];
    const spies = requests.map((r) => {
      const def = getLoss(r.id) as LossDefinition & { compute: NonNullable<LossDefinition['compute']> };
      const original = def.compute;
      return vi.spyOn(def, 'compute').mockImplementation((...args) => {
        ran.push(r.id);
        return original(...args);
      });
    });
    const out = evaluateLosses(x, t, requests, ctx);
    expect(out.results.map((r) => r.id)).toEqual(requests.map((r) => r.id));
    for (const sp of spies) sp.mockRestore();
    expect(ran).toEqual(['dice', 'cross-entropy', 'lovasz-softmax', 'hausdorff-distance']);
    expect(out.results.every((r) => r.error === null)).toBe(true);
    ctx.dispose();
    x.dispose();
    t.dispose();
  });

  it('writes the gradients into the caller’s buffer (gradientBuffer), the same numbers as without it', async () => {
    const { labels, logits } = example(11);
    const x = tf.tensor4d(logits, [1, H, W, C]);
    const t = tf.tensor3d(labels, [1, H, W], 'int32');
    const ctx = GroundTruthContext.fromLabels(labels, [1, H, W], C);
    const requests: LossRequest[] = [{ id: 'cross-entropy' }, { id: 'dice' }, { id: 'lovasz-softmax' }];
    const plain = evaluateLosses(x, t, requests, ctx);
    const asked: number[] = [];
    const buffer = new Float32Array(10 * H * W * C).fill(Number.NaN);
    const supply = (n: number) => {
      asked.push(n);
      return buffer;
    };
    const sync = evaluateLosses(x, t, requests, ctx, { gradientBuffer: supply });
    const async = await evaluateLossesAsync(x, t, requests, ctx, { gradientBuffer: supply });
    expect(asked).toEqual([3 * H * W * C, 3 * H * W * C]);
    for (const out of [sync, async]) {
      expect(out.reads).toBe(1);
      out.results.forEach((r, i) => {
        expect(r.grad?.buffer).toBe(buffer.buffer);
        expect(r.grad?.byteOffset).toBe(i * H * W * C * 4);
        expect(Array.from(r.grad ?? [])).toEqual(Array.from(plain.results[i]?.grad ?? []));
        expect(r.value).toBe(plain.results[i]?.value);
        expect(r.nonFinite).toBe(false);
      });
    }
    // what the gradients do not need stays untouched; a buffer too small is refused with a message
    expect(Number.isNaN(buffer[3 * H * W * C] as number)).toBe(true);
    const before = tf.memory().numTensors;
    expect(() => evaluateLosses(x, t, requests, ctx, { gradientBuffer: () => new Float32Array(5) })).toThrow(
      /gradientBuffer: got 5 floats, needs 1080/,
    );
    await expect(
      evaluateLossesAsync(x, t, requests, ctx, { gradientBuffer: () => new Float32Array(5) }),
    ).rejects.toThrow(/gradientBuffer/);
    expect(tf.memory().numTensors).toBe(before);
    ctx.dispose();
    x.dispose();
    t.dispose();
  });

  it('gives the same values and gradients as computeLoss / lossAndGrad for every implemented loss', () => {
    const { labels, logits } = example();
    const x = tf.tensor4d(logits, [1, H, W, C]);
    const t = tf.tensor3d(labels, [1, H, W], 'int32');
    const ctx = GroundTruthContext.fromLabels(labels, [1, H, W], C);
    const out = evaluateLosses(
      x,
      t,
      ids.map((id) => ({ id })),
      ctx,
    );
    expect(out.reads).toBe(1);
    expect(out.results.map((r) => r.id)).toEqual(ids);
    for (const r of out.results) {
      // A loss that cannot run here (e.g. needs weights not loaded in Node) must fail the same way alone.
      if (r.error) {
        expect(() => tf.tidy(() => computeLoss(r.id, x, t))).toThrow();
        continue;
      }
      expect(r.nonFinite).toBe(false);
      const want = tf.tidy(() => computeLoss(r.id, x, t).dataSync()[0] as number);
      expect(r.value).toBeCloseTo(want, 5);
      const g = lossAndGrad(r.id, x, t);
      const gw = g.grad.dataSync();
      g.value.dispose();
      g.grad.dispose();
      expect(r.grad?.length).toBe(gw.length);
      let worst = 0;
      for (let i = 0; i < gw.length; i++)
        worst = Math.max(worst, Math.abs((r.grad?.[i] as number) - (gw[i] as number)));
      expect(worst).toBeLessThan(1e-6);
    }
    ctx.dispose();
    x.dispose();
    t.dispose();
  });

  it('leaks no tensors, also when a loss throws, and turns the throw into an error entry', async () => {
    const { labels, logits } = example(2);
    const x = tf.tensor4d(logits, [1, H, W, C]);
    const t = tf.tensor3d(labels, [1, H, W], 'int32');
    const ctx = GroundTruthContext.fromLabels(labels, [1, H, W], C);
    ctx.oneHot(); // cached constants are the context's, not a leak
    evaluateLosses(x, t, [{ id: 'cross-entropy' }], ctx); // so are cross-entropy's coefficients
    const before = tf.memory().numTensors;
    // A loss still marked 'coming' (if any is left) must give an error entry, not a number.
    const coming = LOSSES.find((d) => !isImplemented(d))?.id;
    const requests: LossRequest[] = [
      { id: 'cross-entropy' },
      { id: 'dice', params: { smoothNr: Number.NaN } },
      { id: 'dice', params: { nope: 1 } },
      ...(coming ? [{ id: coming }] : []),
    ];
    for (let k = 0; k < 3; k++) {
      const out = evaluateLosses(x, t, requests, ctx, { gradients: ['dice'] });
      expect(out.results[0]?.value).toBeTypeOf('number');
      expect(out.results[0]?.grad).toBeNull();
      expect(out.results[1]?.error).toMatch(/smoothNr/);
      expect(out.results[1]?.value).toBeNull();
      expect(out.results[2]?.error).toMatch(/not a parameter/);
      if (coming) expect(out.results[3]?.error).toMatch(/not implemented/);
      const asyncOut = await evaluateLossesAsync(x, t, requests, ctx);
      expect(asyncOut.results[0]?.value).toBeCloseTo(out.results[0]?.value as number, 6);
      expect(asyncOut.results[0]?.grad?.length).toBe(H * W * C);
    }
    expect(tf.memory().numTensors).toBe(before);
    ctx.dispose();
    x.dispose();
    t.dispose();
  });

  it('yields between losses when asked and still reads back once', async () => {
    const { labels, logits } = example(5);
    const x = tf.tensor4d(logits, [1, H, W, C]);
    const t = tf.tensor3d(labels, [1, H, W], 'int32');
    const ctx = GroundTruthContext.fromLabels(labels, [1, H, W], C);
    let yields = 0;
    const spy = vi.spyOn(tf.Tensor.prototype, 'data');
    const out = await evaluateLossesAsync(
      x,
      t,
      [{ id: 'cross-entropy' }, { id: 'dice' }, { id: 'cross-entropy' }],
      ctx,
      {
        yieldBetween: async () => {
          yields++;
        },
      },
    );
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    expect(yields).toBe(2);
    expect(out.results.map((r) => r.error)).toEqual([null, null, null]);
    ctx.dispose();
    x.dispose();
    t.dispose();
  });

  it('refuses NaN logits once per update instead of passing NaN on silently', () => {
    const { labels } = example(3);
    const x = tf.fill([1, H, W, C], Number.NaN) as tf.Tensor4D;
    const t = tf.tensor3d(labels, [1, H, W], 'int32');
    const ctx = GroundTruthContext.fromLabels(labels, [1, H, W], C);
    const out = evaluateLosses(x, t, [{ id: 'cross-entropy' }, { id: 'dice' }], ctx);
    const want = `logits contain ${H * W * C} NaN values (first at n=0, y=0, x=0, class 0)`;
    expect(out.inputError).toBe(want);
    expect(out.results.map((r) => [r.value, r.error])).toEqual([
      [null, want],
      [null, want],
    ]);
    ctx.dispose();
    x.dispose();
    t.dispose();
  });

  it('GroundTruthCache rebuilds only when the target version changes and disposes the old context', () => {
    const cache = new GroundTruthCache();
    const { labels } = example(4);
    const before = tf.memory().numTensors;
    const a = cache.get(1, labels, [1, H, W], C);
    a.ctx.oneHot();
    expect(cache.get(1, labels, [1, H, W], C).ctx).toBe(a.ctx);
    const b = cache.get(2, labels, [1, H, W], C);
    expect(b.ctx).not.toBe(a.ctx);
    expect(a.target.isDisposed).toBe(true);
    expect(cache.builds).toBe(2);
    cache.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('hasNonFinite', () => {
  it('finds a NaN or an infinity anywhere (also in the tail after the groups of four) and nothing else', () => {
    const ok = new Float32Array(11).map((_, i) => (i % 2 ? 3.4e38 : -3.4e38));
    expect(hasNonFinite(ok)).toBe(false);
    expect(hasNonFinite(new Float32Array(0))).toBe(false);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      for (const at of [0, 3, 4, 9, 10]) {
        const a = ok.slice();
        a[at] = bad;
        expect(hasNonFinite(a)).toBe(true);
      }
    }
  });
});
