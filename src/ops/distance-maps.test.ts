// Distance-derived maps: hand-made cases, and a float64 re-evaluation of every golden case of the five
// distance-based losses from our maps (no TF.js), which must match the reference to ~1e-10 relative: any
// difference in a map (EDT, rounding, normalisation, artifact handling) would show up far above that.
import { describe, expect, it } from 'vitest';
import boundaryAwareGolden from '../golden/data/boundary-aware.json';
import boundaryLossGolden from '../golden/data/boundary-loss.json';
import distanceMapCeGolden from '../golden/data/distance-map-ce.json';
import hausdorffGolden from '../golden/data/hausdorff-distance.json';
import regionWiseGolden from '../golden/data/region-wise.json';
import type { GoldenCase } from '../golden/format';
import {
  boundaryPenaltyWeights,
  distanceToOtherRegion,
  rectifiedRegionWise,
  signedDistance,
  truncatedDistanceBins,
} from './distance-maps';

const grid = (rows: string[]) => Int32Array.from(rows.join(''), (ch) => Number(ch));

describe('signedDistance (boundary loss)', () => {
  it('is positive outside, 0 on the innermost ring, negative deeper inside', () => {
    const t = grid(['00000', '01110', '01110', '01110', '00000']);
    expect(Array.from(signedDistance(t, 5, 5, 1, 'none'))).toEqual([
      Math.SQRT2,
      1,
      1,
      1,
      Math.SQRT2,
      1,
      0,
      0,
      0,
      1,
      1,
      0,
      -1,
      0,
      1,
      1,
      0,
      0,
      0,
      1,
      Math.SQRT2,
      1,
      1,
      1,
      Math.SQRT2,
    ]); // prettier-ignore
    const tr = signedDistance(t, 5, 5, 1, 'trunc');
    expect(tr[0]).toBe(1);
    expect(Object.is(tr[6], 0)).toBe(true); // no −0
  });
  it('absent class → zeros; full class → −(artifact − 1)', () => {
    expect(Array.from(signedDistance(new Int32Array(4), 2, 2, 1))).toEqual([0, 0, 0, 0]);
    expect(Array.from(signedDistance(new Int32Array(4), 2, 2, 0, 'none'))).toEqual([
      0,
      -(Math.SQRT2 - 1),
      -1,
      -(Math.sqrt(5) - 1),
    ]);
  });
});

describe('boundaryPenaltyWeights (distance-map CE)', () => {
  it('is 1 next to the boundary on each side and 0 farthest away', () => {
    const t = grid(['0000000', '0111110', '0111110', '0111110', '0111110', '0111110', '0000000']);
    const phi = boundaryPenaltyWeights(t, 7, 7);
    expect(phi[3 * 7 + 3]).toBe(0); // centre of the object: farthest inside
    expect(phi[1 * 7 + 1]).toBe(1); // innermost boundary ring: e_F = 1 = min
    expect(phi[0]).toBeCloseTo(0, 12); // corner of the background: farthest outside (e_B = √2 = max)
    expect(phi[1]).toBe(1); // background touching the object
  });
  it('holes get 0: single region, and a side that is all boundary', () => {
    expect(Array.from(boundaryPenaltyWeights(new Int32Array(9), 3, 3))).toEqual(new Array(9).fill(0));
    const onePixel = grid(['000', '010', '000']);
    const phi = boundaryPenaltyWeights(onePixel, 3, 3);
    expect(phi[4]).toBe(0); // the one-pixel side has max φ = 0 → contributes 0
    expect(phi[1]).toBe(1);
    expect(phi[0]).toBe(0);
  });
});

describe('distanceToOtherRegion (Hausdorff)', () => {
  it('EDT(M) + EDT(¬M); degenerate masks give zeros', () => {
    expect(Array.from(distanceToOtherRegion([1, 1, 0, 0], 1, 4))).toEqual([2, 1, 1, 2]);
    expect(Array.from(distanceToOtherRegion([1, 1, 1, 1], 2, 2))).toEqual([0, 0, 0, 0]);
    expect(Array.from(distanceToOtherRegion([0, 0, 0, 0], 2, 2))).toEqual([0, 0, 0, 0]);
  });
});

describe('rectifiedRegionWise', () => {
  it('−d/max d inside, 1 outside, all 1 for an absent class', () => {
    const t = grid(['0000', '0110', '0110', '0000']);
    expect(Array.from(rectifiedRegionWise(t, 4, 4, 1)).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([
      1, 1, 1, 1, 1, -1, -1, 1, 1, -1, -1, 1, 1, 1, 1, 1,
    ]);
    expect(Array.from(rectifiedRegionWise(t, 4, 4, 2))).toEqual(new Array(16).fill(1));
  });
});

describe('truncatedDistanceBins (boundary-aware)', () => {
  it('ceil, truncate at R, quantise into K bins; background is bin 0', () => {
    const t = grid(['0000000', '0111110', '0111110', '0111110', '0000000']);
    expect(Array.from(truncatedDistanceBins(t, 5, 7, 3, 2))).toEqual(
      Array.from(grid(['0000000', '0111110', '0122210', '0111110', '0000000'])),
    );
    // K = 2, R = 3: bins of width 2 → D ∈ {1} → 0, D ∈ {2, 3} → 1
    expect(Array.from(truncatedDistanceBins(t, 5, 7, 2, 3))).toEqual(
      Array.from(grid(['0000000', '0000000', '0011100', '0000000', '0000000'])),
    );
  });
  it('object without background → D = R everywhere; no object → all 0', () => {
    expect(Array.from(truncatedDistanceBins(new Int32Array(4).fill(1), 2, 2, 3, 2))).toEqual([2, 2, 2, 2]);
    expect(Array.from(truncatedDistanceBins(new Int32Array(4), 2, 2, 3, 2))).toEqual([0, 0, 0, 0]);
  });
});

// ---- float64 re-evaluation of the golden cases from our maps ----

function softmax64(c: GoldenCase): Float64Array {
  const k = c.shape[3];
  const out = new Float64Array(c.logits.length);
  for (let i = 0; i < out.length; i += k) {
    let m = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < k; j++) m = Math.max(m, c.logits[i + j] as number);
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.exp((c.logits[i + j] as number) - m);
    for (let j = 0; j < k; j++) out[i + j] = Math.exp((c.logits[i + j] as number) - m) / s;
  }
  return out;
}

function images(c: GoldenCase): Int32Array[] {
  const [n, h, w] = c.shape;
  return Array.from({ length: n }, (_, b) => Int32Array.from(c.target.slice(b * h * w, (b + 1) * h * w)));
}

type Eval = (c: GoldenCase) => number;

const evalBoundaryLoss: Eval = (c) => {
  const [, h, w, k] = c.shape;
  const p = softmax64(c);
  const idc = (c.params.classes as number[] | null) ?? Array.from({ length: k - 1 }, (_, j) => j + 1);
  let s = 0;
  images(c).forEach((img, b) => {
    for (const cls of idc) {
      const phi = signedDistance(img, h, w, cls, c.params.distanceRounding as 'trunc' | 'none');
      for (let i = 0; i < h * w; i++) s += (p[(b * h * w + i) * k + cls] as number) * (phi[i] as number);
    }
  });
  return s / (c.shape[0] * h * w * idc.length);
};

const evalRegionWise: Eval = (c) => {
  const [n, h, w, k] = c.shape;
  const p = softmax64(c);
  let rw = 0;
  let ce = 0;
  images(c).forEach((img, b) => {
    for (let cls = 0; cls < k; cls++) {
      const z = rectifiedRegionWise(img, h, w, cls);
      for (let i = 0; i < h * w; i++) rw += (p[(b * h * w + i) * k + cls] as number) * (z[i] as number);
    }
    for (let i = 0; i < h * w; i++) ce -= Math.log((p[(b * h * w + i) * k + (img[i] as number)] as number) + 1e-15);
  });
  rw /= n * h * w * k;
  ce /= n * h * w;
  const e = c.params.epoch as number | null;
  if (e === null) return rw;
  const a = Math.max((100 - e) / 100, 0.01);
  return a * ce + (1 - a) * rw;
};

const evalDistanceMapCe: Eval = (c) => {
  const [n, h, w, k] = c.shape;
  const p = softmax64(c);
  let s = 0;
  images(c).forEach((img, b) => {
    const phi = boundaryPenaltyWeights(img, h, w);
    for (let i = 0; i < h * w; i++)
      s -=
        ((phi[i] as number) + (c.params.weightOffset as number)) *
        Math.log(p[(b * h * w + i) * k + (img[i] as number)] as number);
  });
  return s / (n * h * w);
};

const evalHausdorff: Eval = (c) => {
  const [n, h, w, k] = c.shape;
  const p = softmax64(c);
  const alpha = c.params.alpha as number;
  const first = c.params.includeBackground ? 0 : 1;
  let s = 0;
  images(c).forEach((img, b) => {
    for (let cls = first; cls < k; cls++) {
      const pm = Array.from({ length: h * w }, (_, i) => ((p[(b * h * w + i) * k + cls] as number) > 0.5 ? 1 : 0));
      const fp = distanceToOtherRegion(pm, h, w);
      const fg = distanceToOtherRegion(
        Array.from(img, (v) => (v === cls ? 1 : 0)),
        h,
        w,
      );
      for (let i = 0; i < h * w; i++) {
        const err = (p[(b * h * w + i) * k + cls] as number) - (img[i] === cls ? 1 : 0);
        s += err * err * ((fp[i] as number) ** alpha + (fg[i] as number) ** alpha);
      }
    }
  });
  return s / (n * h * w * (k - first));
};

const evalBoundaryAware: Eval = (c) => {
  const [n, h, w, k] = c.shape;
  const R = (c.params.R as number | null) ?? k - 1;
  const sigmoid = c.params.activation === 'sigmoid';
  const p = softmax64(c);
  let s = 0;
  images(c).forEach((img, b) => {
    const bins = truncatedDistanceBins(img, h, w, k, R);
    for (let i = 0; i < h * w; i++)
      for (let j = 0; j < k; j++) {
        const x = c.logits[(b * h * w + i) * k + j] as number;
        const q = sigmoid ? 1 / (1 + Math.exp(-x)) : (p[(b * h * w + i) * k + j] as number);
        s -= bins[i] === j ? Math.log(q) : Math.log(1 - q);
      }
  });
  return s / (n * h * w);
};

const suites: [string, { cases: unknown[] }, Eval][] = [
  ['boundary-loss', boundaryLossGolden, evalBoundaryLoss],
  ['region-wise', regionWiseGolden, evalRegionWise],
  ['distance-map-ce', distanceMapCeGolden, evalDistanceMapCe],
  ['hausdorff-distance', hausdorffGolden, evalHausdorff],
  ['boundary-aware', boundaryAwareGolden, evalBoundaryAware],
];

describe('golden values recomputed in float64 from our distance maps', () => {
  for (const [id, file, evaluate] of suites) {
    it(`${id}: every valued case within 1e-9 relative`, () => {
      let checked = 0;
      for (const c of file.cases as unknown as GoldenCase[]) {
        if (c.value === null) continue;
        const v = evaluate(c);
        expect(Math.abs(v - c.value), `${id}/${c.id}: ${v} vs ${c.value}`).toBeLessThanOrEqual(
          1e-9 * Math.max(Math.abs(c.value), 1e-3),
        );
        checked++;
      }
      expect(checked).toBeGreaterThan(5);
    });
  }
  it('distance-map-ce: the reference NaN cases get a finite value (holes defined as 0)', () => {
    for (const c of distanceMapCeGolden.cases as unknown as GoldenCase[]) {
      if (c.value !== null) continue;
      expect(Number.isFinite(evalDistanceMapCe(c)), c.id).toBe(true);
    }
  });
});
