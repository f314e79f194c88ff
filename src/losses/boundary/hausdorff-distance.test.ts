import { describe, expect, it } from 'vitest';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { standardLossProperties } from '../../testing/loss-properties';
import { confidentLogits, finiteDifferenceError, lossValue, normal, rng } from '../../testing/properties';

const shape: [number, number, number, number] = [1, 8, 9, 3];
const labels = Int32Array.from({ length: 72 }, (_, k) => {
  const i = Math.floor(k / 9);
  const j = k % 9;
  if (i >= 2 && i <= 5 && j >= 1 && j <= 4) return 1;
  return j >= 7 ? 2 : 0;
});

/** Logits whose class probabilities all stay away from the 0.5 threshold (finite differences stay smooth). */
function awayFromThreshold(seed: number): Float32Array {
  const x = normal(rng(seed), 216, 1.5);
  for (let i = 0; i < 216; i += 3) {
    const m = Math.max(x[i] as number, x[i + 1] as number, x[i + 2] as number);
    const e = [0, 1, 2].map((k) => Math.exp((x[i + k] as number) - m));
    const s = e[0]! + e[1]! + e[2]!;
    for (let k = 0; k < 3; k++) {
      const p = e[k]! / s;
      if (Math.abs(p - 0.5) < 0.05) x[i + k] = (x[i + k] as number) + (p > 0.5 ? 0.5 : -0.5);
    }
  }
  return x;
}

// The suite for both estimators; the gradient check starts from logits whose probabilities stay away from the
// 0.5 threshold of the prediction's distance field, where the field is locally constant. The erosion estimator
// subtracts 0.5 before its ReLU, so small errors vanish: its noise check starts at margin 4, where N(0, 4)
// noise makes errors large enough to survive, and its values (and their decrease) are smaller.
standardLossProperties('hausdorff-distance', {
  shape,
  labels,
  params: { estimator: 'distance-transform' },
  lr: 0.5,
  fd: { logits: awayFromThreshold(1) },
});
standardLossProperties('hausdorff-distance', {
  shape,
  labels,
  params: { estimator: 'erosion' },
  margin: 4,
  noiseScale: 4,
  lr: 0.5,
  minDecrease: 0.03,
  fd: { logits: awayFromThreshold(1) },
});
standardBadInputs('hausdorff-distance');

describeEachBackend('hausdorff-distance values', () => {
  for (const estimator of ['distance-transform', 'erosion'] as const) {
    it(`${estimator}: gradient agrees with central finite differences with α = 1 and the background`, () => {
      const p = { estimator, alpha: 1, includeBackground: true };
      expect(finiteDifferenceError('hausdorff-distance', awayFromThreshold(1), labels, shape, p)).toBeLessThan(2e-2);
    });
  }
});

/** kornia HausdorffERLoss.perform_erosion, re-done in plain float64 JS on softmax probabilities. */
function erosionReference(
  x: Float32Array,
  t: Int32Array,
  n: number,
  h: number,
  w: number,
  c: number,
  alpha: number,
  k: number,
  first: number,
) {
  let total = 0;
  for (let b = 0; b < n; b++)
    for (let cls = first; cls < c; cls++) {
      let bound = new Float64Array(h * w);
      for (let i = 0; i < h * w; i++) {
        const o = (b * h * w + i) * c;
        const m = Math.max(...Array.from(x.subarray(o, o + c)));
        let s = 0;
        for (let j = 0; j < c; j++) s += Math.exp((x[o + j] as number) - m);
        const p = Math.exp((x[o + cls] as number) - m) / s;
        bound[i] = (p - (t[b * h * w + i] === cls ? 1 : 0)) ** 2;
      }
      const eroded = new Float64Array(h * w);
      for (let it = 0; it < k; it++) {
        const at = (i: number, j: number) => (i < 0 || j < 0 || i >= h || j >= w ? 0 : (bound[i * w + j] as number));
        const e = new Float64Array(h * w);
        for (let i = 0; i < h; i++)
          for (let j = 0; j < w; j++)
            e[i * w + j] = Math.max(
              0.2 * (at(i, j) + at(i - 1, j) + at(i + 1, j) + at(i, j - 1) + at(i, j + 1)) - 0.5,
              0,
            );
        const mx = Math.max(...e);
        const mn = Math.min(...e);
        if (mx !== mn) for (let i = 0; i < e.length; i++) e[i] = ((e[i] as number) - mn) / (mx - mn);
        for (let i = 0; i < e.length; i++) eroded[i] = (eroded[i] as number) + (e[i] as number) * (it + 1) ** alpha;
        bound = e;
      }
      for (const v of eroded) total += v;
    }
  return total / (n * h * w * (c - first));
}

describe('hausdorff-distance parameters', () => {
  it('the erosion estimator follows kornia HausdorffERLoss step by step', () => {
    const x = normal(rng(11), 216, 2.5);
    for (const [alpha, erosions, includeBackground] of [
      [2, 10, false],
      [1, 3, true],
    ] as const) {
      const want = erosionReference(x, labels, 1, 8, 9, 3, alpha, erosions, includeBackground ? 0 : 1);
      const got = lossValue('hausdorff-distance', x, labels, shape, {
        estimator: 'erosion',
        alpha,
        erosions,
        includeBackground,
      });
      expect(want).toBeGreaterThan(0);
      expect(Math.abs(got - want)).toBeLessThan(1e-4 * want);
    }
  });
  it('batch gives the same value as per-image averaging (equal image sizes)', () => {
    const two = Int32Array.from({ length: 144 }, (_, k) => labels[k % 72] as number);
    const s2: [number, number, number, number] = [2, 8, 9, 3];
    const x = normal(rng(8), 432, 2);
    expect(lossValue('hausdorff-distance', x, two, s2, { batch: true })).toBeCloseTo(
      lossValue('hausdorff-distance', x, two, s2, { batch: false }),
      4,
    );
  });
  it('a larger alpha weighs far-off errors more: an error far from both boundaries grows with α', () => {
    // prediction = ground truth except one far pixel of class 2 predicted as class 1
    const x = confidentLogits(labels, shape, 6);
    const far = 0; // (0, 0): background, far from class 1 and 2 boundaries
    x[far * 3 + 1] = 12;
    const a1 = lossValue('hausdorff-distance', x, labels, shape, { alpha: 1 });
    const a2 = lossValue('hausdorff-distance', x, labels, shape, { alpha: 2 });
    expect(a2).toBeGreaterThan(a1);
  });
});
