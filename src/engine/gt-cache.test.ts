// Ground-truth constants are computed once per ground truth: editing only the prediction (new logits, same
// GroundTruthContext) must not run the distance transform on the ground truth again. Counted with the EDT
// call counter of src/ops/edt.ts and the context's own computeCounts.
//
// Cost with and without the cache, 256×256, C = 3, one image, forward value (computeLoss + read-back), median
// of 5, measured 2026-11-27 in the 2-core dev container under heavy load from other jobs (load average > 10,
// so treat them as rough; the test prints fresh numbers on every run). "uncached" builds a new context per
// call, as the explorer would without the cache; EDT counts are exact.
//   backend loss                 cached     uncached    EDTs per call cached / uncached
//   cpu     distance-map-ce      248 ms     392 ms      0 / 2
//   cpu     boundary-loss        203 ms     525 ms      0 / 6   (maps of all C classes, so any idc reuses them)
//   cpu     region-wise          214 ms     411 ms      0 / 3
//   cpu     boundary-aware      1078 ms     915 ms      0 / 1   (forward dominated by the K×(K−1) logsumexp; noise)
//   cpu     hausdorff-distance   341 ms     462 ms      4 / 8   (prediction-mask EDTs run on every call)
//   wasm    distance-map-ce       22 ms      47 ms      0 / 2
//   wasm    boundary-loss         25 ms      80 ms      0 / 6
//   wasm    region-wise           19 ms      34 ms      0 / 3
//   wasm    boundary-aware       109 ms      57 ms      0 / 1   (noise: one EDT + bin map is ~10 ms)
//   wasm    hausdorff-distance    71 ms     214 ms      4 / 8
// A second run (03:57, lighter load): wasm cached/uncached 15/34 (distance-map-ce), 12/48 (boundary-loss),
// 7/22 (region-wise), 54/78 (boundary-aware), 52/168 ms (hausdorff-distance); cpu 106/120, 191/167, 108/163,
// 560/680, 281/260 ms — on cpu the TF.js pass and the load noise swamp the EDT work.
// One 256×256 EDT: 1.4–7.4 ms (median of 9, depending on load). On wasm the cache removes half to two thirds of the per-edit cost of
// the distance-map losses; on the cpu backend the TF.js pass itself dominates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeLoss, lossAndGrad } from '../compute';
import { edt, edtCallCount, resetEdtCallCount } from '../ops/edt';
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

  it('cost at 256×256 with and without the cache (printed)', async () => {
    const big: [number, number, number, number] = [1, 256, 256, 3];
    const bl = discs(1, 256, 256, 3, 3);
    const reps = 3; // printed, not asserted: enough for a median (npm run bench measures speed)
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;
    const lines: string[] = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      await setNodeBackend(backend);
      const t = tf.tensor3d(bl, [1, 256, 256], 'int32');
      for (const id of [...GT_ONLY, 'hausdorff-distance']) {
        const ctx = GroundTruthContext.fromLabels(bl, [1, 256, 256], 3);
        const run = (fresh: boolean) => {
          const ms: number[] = [];
          let edts = 0;
          for (let k = 0; k < reps; k++) {
            const x = tf.tensor4d(normal(rng(k), 256 * 256 * 3, 2), big);
            const e0 = edtCallCount();
            const t0 = performance.now();
            const use = fresh ? GroundTruthContext.fromLabels(bl, [1, 256, 256], 3) : ctx;
            const v = computeLoss(id, x, t, {}, use);
            v.dataSync();
            ms.push(performance.now() - t0);
            edts += edtCallCount() - e0;
            if (fresh) use.dispose();
            tf.dispose([x, v]);
          }
          return { ms: median(ms), edts: edts / reps };
        };
        run(false); // warm-up; fills the cache
        const cached = run(false);
        const uncached = run(true);
        ctx.dispose();
        lines.push(
          `${backend.padEnd(5)} ${id.padEnd(20)} cached ${cached.ms.toFixed(1).padStart(6)} ms (${cached.edts} EDT)` +
            `   uncached ${uncached.ms.toFixed(1).padStart(6)} ms (${uncached.edts} EDT)`,
        );
        expect(cached.edts).toBeLessThan(uncached.edts);
      }
      t.dispose();
    }
    const e = new Uint8Array(256 * 256);
    for (let i = 0; i < e.length; i++) e[i] = bl[i] ? 1 : 0;
    const times: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      edt(e, 256, 256);
      times.push(performance.now() - t0);
    }
    lines.push(`one 256×256 EDT: ${median(times).toFixed(2)} ms (median of 5)`);
    console.log(`forward value at 256×256, C = 3, median of ${reps}:\n${lines.join('\n')}`);
    await setNodeBackend('cpu');
  });

  afterAll(() => {
    resetEdtCallCount();
  });
});
