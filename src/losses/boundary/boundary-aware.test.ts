import { describe, expect, it } from 'vitest';
import { truncatedDistanceBins } from '../../ops/distance-maps';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { standardLossProperties } from '../../testing/loss-properties';
import { confidentLogits, finiteDifferenceError, lossValue, normal, rng } from '../../testing/properties';

const shape: [number, number, number, number] = [1, 9, 10, 4];
// one 7×7 object (depths 1..4) and a thin bar; labels > 0 are "object" whatever their class
const labels = Int32Array.from({ length: 90 }, (_, k) => {
  const i = Math.floor(k / 10);
  const j = k % 10;
  if (i >= 1 && i <= 7 && j >= 1 && j <= 7) return 1;
  return j === 9 ? 2 : 0;
});
const bins = truncatedDistanceBins(labels, 9, 10, 4, 3); // K = 4, R = K − 1

/** Logits +m on the target bin and −m elsewhere (confident for both softmax and sigmoid). */
function confidentBins(m = 12): Float32Array {
  const x = new Float32Array(360).fill(-m);
  for (let i = 0; i < 90; i++) x[i * 4 + (bins[i] as number)] = m;
  return x;
}

// The minimum is at a confident prediction of the distance bins (the loss's target), not of the labels.
for (const activation of ['softmax', 'sigmoid'] as const) {
  standardLossProperties('boundary-aware', {
    shape,
    labels,
    params: { activation },
    minimumLogits: confidentBins(),
    minimumTolerance: 1e-3,
    lr: 20,
    minDecrease: 1,
    fd: { probes: 12 },
  });
}
standardBadInputs('boundary-aware');

describeEachBackend('boundary-aware values', () => {
  for (const activation of ['softmax', 'sigmoid'] as const) {
    it(`${activation}: a confident prediction of the labels instead of the bins is far from the minimum`, () => {
      expect(
        lossValue('boundary-aware', confidentLogits(labels, shape), labels, shape, { activation }),
      ).toBeGreaterThan(1);
    });
    it(`${activation}: gradient agrees with central finite differences for a larger R than K − 1`, () => {
      const x = normal(rng(1), 360, 1.5);
      expect(finiteDifferenceError('boundary-aware', x, labels, shape, { activation, R: 6 })).toBeLessThan(2e-2);
    });
  }
});

describe('boundary-aware bins and reductions', () => {
  it('bins: 0 off the object, ⌈distance⌉ truncated at R inside', () => {
    expect(bins[0]).toBe(0);
    expect(bins[1 * 10 + 1]).toBe(1); // corner of the object: distance 1
    expect(bins[4 * 10 + 4]).toBe(3); // centre: distance 4, truncated at R = 3
    expect(bins[9]).toBe(1); // the one-pixel-wide bar
  });
  it('K = 2 with softmax is twice the binary cross-entropy of object vs background', () => {
    const s2: [number, number, number, number] = [1, 9, 10, 2];
    const obj = Int32Array.from(labels, (v) => (v > 0 ? 1 : 0));
    const x = normal(rng(4), 180, 2);
    expect(lossValue('boundary-aware', x, obj, s2)).toBeCloseTo(2 * lossValue('cross-entropy', x, obj, s2), 4);
  });
  it('ignores which foreground class a pixel has (only t > 0 matters)', () => {
    const x = normal(rng(5), 360, 2);
    const merged = Int32Array.from(labels, (v) => (v > 0 ? 3 : 0));
    expect(lossValue('boundary-aware', x, merged, shape)).toBeCloseTo(lossValue('boundary-aware', x, labels, shape), 5);
  });
  it('softmax log(1 − q) stays exact for confident logits (no log 0)', () => {
    const v = lossValue('boundary-aware', confidentBins(40), labels, shape);
    expect(Number.isFinite(v)).toBe(true);
    expect(v).toBeLessThan(1e-6);
  });
});
