// The landscape engine answers each kind of request with its own reply kind, frees what it made, and a newer
// long request cancels the running one.
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../../../src';
import { setNodeBackend } from '../../../src/testing';
import { LandscapeEngine } from './engine';
import type { LandscapeMasks } from './requests';

const W = 12;
function masks(): LandscapeMasks {
  const target = new Int32Array(W * W);
  for (let y = 3; y < 8; y++) for (let x = 3; x < 8; x++) target[y * W + x] = 1;
  const logits = new Float32Array(W * W * 2);
  for (let i = 0; i < W * W; i++) logits[i * 2 + 1] = target[i] === 1 ? 1.5 : -1.5;
  return { width: W, height: W, numClasses: 2, targetVersion: 1, target, logits };
}

describe('LandscapeEngine', () => {
  beforeAll(() => setNodeBackend('cpu'));

  it('answers grid, lines, named, named-point and pixel-curves requests with their own kinds, no leaks', async () => {
    const engine = new LandscapeEngine();
    const m = masks();
    const axis = { direction: 'towards-gt' as const, from: -1, to: 1, points: 3, seed: 1 };
    const named = [{ transform: 'shift-x' as const, from: -2, to: 2, points: 3 }];
    // Warm the target caches once so the count below only sees per-request tensors.
    await engine.run({ kind: 'grid', ...m, lossId: 'dice', params: {}, axes: [axis] });
    // (cross-entropy caches its gradient's coefficients per ground truth too.)
    await engine.run({ kind: 'grid', ...m, lossId: 'cross-entropy', params: {}, axes: [axis] });
    const before = tf.memory().numTensors;
    const grid = await engine.run({ kind: 'grid', ...m, lossId: 'dice', params: {}, axes: [axis] });
    const lines = await engine.run({ kind: 'lines', ...m, losses: [{ id: 'dice' }, { id: 'cross-entropy' }], axis });
    const n = await engine.run({
      kind: 'named',
      ...m,
      axes: named,
      base: 'prediction',
      losses: [{ id: 'dice', params: {} }],
    });
    const point = await engine.run({ kind: 'named-point', ...m, axes: named, coords: [2], base: 'prediction' });
    const pixel = await engine.run({
      kind: 'pixel-curves',
      ...m,
      x: 4,
      y: 4,
      losses: [{ id: 'cross-entropy', params: {} }],
    });
    expect([grid.kind, lines.kind, n.kind, point.kind, pixel.kind]).toEqual([
      'grid',
      'lines',
      'named',
      'named-point',
      'pixel-curves',
    ]);
    if (n.kind !== 'named' || point.kind !== 'named-point' || grid.kind !== 'grid') throw new Error('kinds');
    expect(n.named.dice[1]).toBe(1); // shift 0 is the prediction itself: argmax = GT
    expect(point.logits).toHaveLength(W * W * 2);
    expect(Math.abs((grid.result.values[1] as number) - (n.named.losses[0]?.values?.[1] as number))).toBeLessThan(1e-3);
    expect(tf.memory().numTensors).toBe(before);
    engine.drop();
  });

  it('a newer long request cancels the running one; cancel() stops it too', async () => {
    const engine = new LandscapeEngine();
    const m = masks();
    const req = {
      kind: 'named' as const,
      ...m,
      axes: [{ transform: 'blur' as const, from: 0, to: 2, points: 40 }],
      base: 'prediction' as const,
      losses: [{ id: 'dice' as const, params: {} }],
    };
    const first = engine.run(req);
    const second = engine.run(req);
    await expect(first).rejects.toThrow(/cancelled/);
    await expect(second).resolves.toMatchObject({ kind: 'named' });
    const third = engine.run(req);
    engine.cancel();
    await expect(third).rejects.toThrow(/cancelled/);
    engine.drop();
  });
});
