import { describe, expect, it } from 'vitest';
import { lossAndGrad } from '../../compute';
import { GroundTruthContext } from '../../engine/gt-context';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { standardLossProperties } from '../../testing/loss-properties';
import { finiteDifferenceError, lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';
import { boundaryDouAlpha, boundaryDouCounts } from './boundary-dou';

const ID = 'boundary-dou';
const shape: [number, number, number, number] = [1, 10, 10, 3];
// a 5×5 square of class 1 (area 25, 16 boundary pixels), a 1-pixel-wide line of class 2 touching the border
const labels = Int32Array.from({ length: 100 }, (_, k) => {
  const i = Math.floor(k / 10);
  const j = k % 10;
  if (i >= 2 && i < 7 && j >= 2 && j < 7) return 1;
  return j === 9 ? 2 : 0;
});

// The suite on the square-and-line image: the line is thin (α < 0 uncapped), the square is not.
standardLossProperties(ID, { shape, labels, lr: 20, minDecrease: 0.1 });
standardBadInputs(ID);

describeEachBackend(`${ID} values`, () => {
  it('gradient agrees with central finite differences without the α cap', () => {
    const x = normal(rng(1), 300, 1.5);
    expect(finiteDifferenceError(ID, x, labels, shape, { alphaMax: null })).toBeLessThan(2e-2);
  });
  it('an absent class contributes exactly 1 (α = −1)', () => {
    const s: [number, number, number, number] = [1, 10, 10, 4]; // class 3 never occurs
    const x = normal(rng(3), 400, 2);
    const v4 = lossValue(ID, x, labels, s);
    const ctx = GroundTruthContext.fromLabels(labels, [1, 10, 10], 4);
    const alpha = boundaryDouAlpha(ctx, 0.8);
    ctx.dispose();
    expect(alpha[3]).toBeCloseTo(-1, 6);
    const p = tf.tidy(() => tf.softmax(tf.tensor4d(x, s)).dataSync());
    let total = 0;
    for (let c = 0; c < 4; c++) {
      let inter = 0;
      let diff = 0;
      for (let i = 0; i < 100; i++) {
        const y = labels[i] === c ? 1 : 0;
        const pc = p[i * 4 + c] as number;
        inter += pc * y;
        diff += (pc - y) ** 2;
      }
      const lc = (diff + 1e-5) / (diff + (1 - (alpha[c] as number)) * inter + 1e-5);
      if (c === 3) expect(lc).toBe(1); // I = 0: numerator = denominator
      total += lc;
    }
    expect(v4).toBeCloseTo(total / 4, 5);
  });
});

describe(`${ID} ground-truth constants`, () => {
  it('counts area and cross boundary per class over the batch (border pixels are boundary)', () => {
    const ctx = GroundTruthContext.fromLabels(labels, [1, 10, 10], 3);
    const { area, boundary } = boundaryDouCounts(ctx);
    expect(area).toEqual([65, 25, 10]);
    // square: 25 − 9 interior = 16; a 1-pixel-wide line: all 10 (C > S/2, so α < 0)
    expect(boundary[1]).toBe(16);
    expect(boundary[2]).toBe(10);
    const alpha = boundaryDouAlpha(ctx, null);
    expect(alpha[1]).toBeCloseTo(1 - (2 * (16 + 1e-5)) / (25 + 1e-5), 10);
    expect(alpha[2]).toBeCloseTo(1 - (2 * (10 + 1e-5)) / (10 + 1e-5), 10); // thin object: α < 0 (the paper says α ∈ [0, 1))
    expect(boundaryDouAlpha(ctx, 0.1)[1]).toBeCloseTo(Math.min(alpha[1] as number, 0.1), 10);
    ctx.dispose();
  });

  it('computes the counts once per ground truth, not per prediction', () => {
    const ctx = GroundTruthContext.fromLabels(labels, [1, 10, 10], 3);
    const t = tf.tensor3d(labels, [1, 10, 10], 'int32');
    for (let k = 0; k < 3; k++) {
      const x = tf.tensor4d(normal(rng(10 + k), 300), shape);
      const { value, grad } = lossAndGrad(ID, x, t, { alphaMax: k === 1 ? null : 0.8 }, ctx);
      tf.dispose([x, value, grad]);
    }
    expect(ctx.computeCounts.get('boundary-dou:counts')).toBe(1);
    t.dispose();
    ctx.dispose();
  });
});
