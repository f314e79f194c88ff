// Ground-truth constants are computed once per ground truth: editing only the prediction (new logits, same
// GroundTruthContext) must not run the distance transform on the ground truth again. Counted with the EDT
// call counter of src/ops/edt.ts and the context's own computeCounts.
//
// Cost with and without the cache, 256×256, C = 3, one image (value + gradient per call, cpu backend of
// Node 20 on the 2-core dev container; the test prints fresh numbers on every run):
//   loss                 cached    uncached (fresh context per call)   EDTs per call cached / uncached
//   distance-map-ce       ~35 ms     ~55 ms                              0 / 2
//   boundary-loss         ~45 ms     ~80 ms                              0 / 4
//   region-wise           ~45 ms     ~75 ms                              0 / 3
//   boundary-aware        ~45 ms     ~60 ms                              0 / 1
//   hausdorff-distance    ~70 ms     ~95 ms                              4 / 8 (prediction EDTs always run)
// A single 256×256 EDT costs ≈ 4–5 ms here; building a cached map (EDTs + Float32 stacking + upload) costs
// 10–35 ms per loss, the rest is the TF.js forward/backward pass, which the cache cannot remove.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeLoss, lossAndGrad } from '../compute';
import { edtCallCount, resetEdtCallCount } from '../ops/edt';
import { setNodeBackend } from '../testing/backends';
import { normal, rng } from '../testing/properties';
import { tf } from '../tf';
import { GroundTruthContext } from './gt-context';

const GT_ONLY = ['distance-map-ce', 'boundary-loss', 'region-wise', 'boundary-aware'] as const;

function discs(n: number, h: number, w: number, c: number, seed: number): Int32Array {
  const r = rng(seed);
  const labels = new Int32Array(n * h * w);
  for (let b = 0; b < n; b++)
    for (let k = 0; k < 6; k++) {
      const ci = r() * h;
      const cj = r() * w;
      const rad = (0.08 + 0.15 * r()) * Math.min(h, w);
      const cls = 1 + (k % (c - 1));
      for (let i = 0; i < h; i++)
        for (let j = 0; j < w; j++) if ((i - ci) ** 2 + (j - cj) ** 2 < rad * rad) labels[b * h * w + i * w + j] = cls;
    }
  return labels;
}

describe('ground-truth cache', () => {
  beforeAll(async () => {
    await setNodeBackend('cpu');
  });

  const shape: [number, number, number, number] = [2, 24, 20, 3];
  const [n, h, w, c] = shape;
  const labels = discs(n, h, w, c, 1);

  for (const id of GT_ONLY) {
    it(`${id}: prediction edits reuse the ground-truth maps (no EDT after the first call)`, () => {
      const ctx = GroundTruthContext.fromLabels(labels, [n, h, w], c);
      const t = tf.tensor3d(labels, [n, h, w], 'int32');
      resetEdtCallCount();
      const perCall: number[] = [];
      for (let step = 0; step < 4; step++) {
        const before = edtCallCount();
        const x = tf.tensor4d(normal(rng(10 + step), n * h * w * c, 2), shape);
        const { value, grad } = lossAndGrad(id, x, t, {}, ctx);
        expect(Number.isFinite(value.dataSync()[0])).toBe(true);
        tf.dispose([x, value, grad]);
        perCall.push(edtCallCount() - before);
      }
      expect(perCall[0]).toBeGreaterThan(0);
      expect(perCall.slice(1)).toEqual([0, 0, 0]);
      for (const [key, count] of ctx.computeCounts) expect(count, key).toBe(1);
      // a new ground truth (new context) computes them again
      const ctx2 = GroundTruthContext.fromLabels(discs(n, h, w, c, 2), [n, h, w], c);
      const before = edtCallCount();
      tf.tidy(() => computeLoss(id, tf.tensor4d(normal(rng(99), n * h * w * c), shape), t, {}, ctx2));
      expect(edtCallCount() - before).toBeGreaterThan(0);
      ctx.dispose();
      ctx2.dispose();
      t.dispose();
    });
  }

  it('hausdorff-distance: only the prediction-mask EDTs run again', () => {
    const ctx = GroundTruthContext.fromLabels(labels, [n, h, w], c);
    const t = tf.tensor3d(labels, [n, h, w], 'int32');
    const x = tf.tensor4d(normal(rng(5), n * h * w * c, 2), shape);
    const count = (use: GroundTruthContext) => {
      const before = edtCallCount();
      tf.tidy(() => computeLoss('hausdorff-distance', x, t, {}, use));
      return edtCallCount() - before;
    };
    const first = count(ctx); // ground truth + prediction
    const again = count(ctx); // prediction only
    const fresh = GroundTruthContext.fromLabels(labels, [n, h, w], c);
    expect(count(fresh)).toBe(first);
    // every foreground class of both images has a non-degenerate GT mask: 2 EDTs each
    expect(first - again).toBe(2 * n * (c - 1));
    expect(again).toBeLessThanOrEqual(2 * n * (c - 1));
    tf.dispose([x, t]);
    ctx.dispose();
    fresh.dispose();
  });

  it('cost at 256×256 with and without the cache (printed)', () => {
    const big: [number, number, number, number] = [1, 256, 256, 3];
    const bl = discs(1, 256, 256, 3, 3);
    const t = tf.tensor3d(bl, [1, 256, 256], 'int32');
    const reps = 3;
    const lines: string[] = [];
    for (const id of [...GT_ONLY, 'hausdorff-distance']) {
      const ctx = GroundTruthContext.fromLabels(bl, [1, 256, 256], 3);
      const run = (use: () => GroundTruthContext, dispose: boolean) => {
        let ms = 0;
        let edts = 0;
        for (let k = 0; k < reps; k++) {
          const x = tf.tensor4d(normal(rng(k), 256 * 256 * 3, 2), big);
          const e0 = edtCallCount();
          const t0 = performance.now();
          const u = use();
          const { value, grad } = lossAndGrad(id, x, t, {}, u);
          grad.dataSync();
          ms += performance.now() - t0;
          edts += edtCallCount() - e0;
          if (dispose) u.dispose();
          tf.dispose([x, value, grad]);
        }
        return { ms: ms / reps, edts: edts / reps };
      };
      run(() => ctx, false); // warm-up and fill the cache
      const cached = run(() => ctx, false);
      const uncached = run(() => GroundTruthContext.fromLabels(bl, [1, 256, 256], 3), true);
      ctx.dispose();
      lines.push(
        `${id.padEnd(20)} cached ${cached.ms.toFixed(1).padStart(6)} ms (${cached.edts} EDT)   uncached ${uncached.ms
          .toFixed(1)
          .padStart(6)} ms (${uncached.edts} EDT)`,
      );
      expect(cached.edts).toBeLessThan(uncached.edts);
    }
    console.log(`value+grad at 256×256, C = 3, cpu backend:\n${lines.join('\n')}`);
    t.dispose();
  });

  afterAll(() => {
    resetEdtCallCount();
  });
});
