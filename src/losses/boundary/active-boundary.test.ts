import { describe, expect, it } from 'vitest';
import { lossAndGrad } from '../../compute';
import { GroundTruthContext } from '../../engine/gt-context';
import { edtCallCount } from '../../ops/edt';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { expectSameValueAndGrad, standardLossProperties } from '../../testing/loss-properties';
import { confidentLogits, lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';
import { ablDistanceMap, ablSelection, klThreshold } from './active-boundary';
import { ablHostValueAndGrad, ablPredictionMaps } from './active-boundary-host';

const ID = 'active-boundary';
const shape: [number, number, number, number] = [1, 12, 12, 3];
const labels = Int32Array.from({ length: 144 }, (_, k) => {
  const i = Math.floor(k / 12);
  const j = k % 12;
  if ((i - 4) ** 2 + (j - 5) ** 2 <= 8) return 1;
  return i >= 9 ? 2 : 0;
});
/** Small images need a larger boundary budget than the default 1 % (SPEC §4.4). */
const params = { maxNRatio: 0.1 };

/** Logits whose class boundary is shifted by `shift` columns from the ground truth. */
function shiftedLogits(shift: number, margin = 4): Float32Array {
  const out = new Float32Array(144 * 3);
  for (let k = 0; k < 144; k++) {
    const i = Math.floor(k / 12);
    const j = Math.min(11, Math.max(0, (k % 12) - shift));
    out[k * 3 + (labels[i * 12 + j] as number)] = margin;
  }
  return out;
}

// Its minimum 0 is reached where the predicted boundary matches the ground truth. The check uses a margin of 4:
// with margin 12 even the noisy predictions are too crisp for any pixel to pass the KL threshold (value 0 too).
// With isDetach (the default) the gradient is not the value's derivative, so finite differences check the
// undetached form; the detached gradient's support is checked below.
standardLossProperties(ID, {
  shape,
  labels,
  params,
  margin: 4,
  lr: 5,
  minDecrease: 0.01,
  fd: { params: { ...params, isDetach: false }, probes: 12 },
});
standardBadInputs(ID);

describeEachBackend(`${ID} values`, () => {
  it('a prediction whose boundary sits on the ground truth scores lower than a shifted one', () => {
    const onTarget = lossValue(ID, confidentLogits(labels, shape, 4), labels, shape, params);
    const shifted = lossValue(ID, shiftedLogits(2), labels, shape, params);
    expect(onTarget).toBeLessThan(shifted);
  });

  it('detached (default): the gradient reaches only the centres of kept, weighted pixels', () => {
    // With isDetach the gradient deliberately ignores how the neighbours move the value, so it is not the
    // derivative of the value and finite differences cannot check it; check its support instead.
    const x = normal(rng(1), 144 * 3, 2);
    const ctx = GroundTruthContext.fromLabels(labels, [1, 12, 12], 3);
    const t = tf.tensor3d(labels, [1, 12, 12], 'int32');
    const xt = tf.tensor4d(x, shape);
    const { value, grad } = lossAndGrad(ID, xt, t, params, ctx);
    const g = grad.dataSync();
    const kl = tf.tidy(() => {
      const lp = tf.logSoftmax(xt, -1);
      const p = tf.exp(lp);
      const ud = tf.sum(
        tf.mul(
          tf.slice(p, [0, 0, 0, 0], [1, 11, 12, 3]),
          tf.sub(tf.slice(lp, [0, 0, 0, 0], [1, 11, 12, 3]), tf.slice(lp, [0, 1, 0, 0], [1, 11, 12, 3])),
        ),
        -1,
      );
      const lr = tf.sum(
        tf.mul(
          tf.slice(p, [0, 0, 0, 0], [1, 12, 11, 3]),
          tf.sub(tf.slice(lp, [0, 0, 0, 0], [1, 12, 11, 3]), tf.slice(lp, [0, 0, 1, 0], [1, 12, 11, 3])),
        ),
        -1,
      );
      return tf
        .add(
          tf.pad(ud, [
            [0, 0],
            [0, 1],
            [0, 0],
          ]),
          tf.pad(lr, [
            [0, 0],
            [0, 0],
            [0, 1],
          ]),
        )
        .dataSync() as Float32Array;
    });
    const sel = ablSelection(kl, ablDistanceMap(ctx), [1, 12, 12], { ...params, maxClipDist: 20 });
    let onSupport = 0;
    for (let px = 0; px < 144; px++) {
      const gmax = Math.max(...[0, 1, 2].map((c) => Math.abs(g[px * 3 + c] as number)));
      if ((sel.weights[px] as number) > 0) onSupport += gmax > 0 ? 1 : 0;
      else expect(gmax).toBe(0);
    }
    expect(onSupport).toBeGreaterThan(0);
    tf.dispose([t, xt, value, grad]);
    ctx.dispose();
  });

  it('no predicted boundary (uniform prediction): value 0, gradient 0 (the reference returns None)', () => {
    const x = tf.tensor4d(new Float32Array(144 * 3).fill(0.3), shape);
    const t = tf.tensor3d(labels, [1, 12, 12], 'int32');
    const { value, grad } = lossAndGrad(ID, x, t);
    expect(value.dataSync()[0]).toBe(0);
    expect(Math.max(...Array.from(grad.dataSync(), Math.abs))).toBe(0);
    tf.dispose([x, t, value, grad]);
  });
});

describe(`${ID} constants`, () => {
  it('distance map: ⌊EDT⌋ − 1 off the label-change boundary, 0 on it', () => {
    // one row: labels 0 0 0 1 1 → boundary at column 2 (left of the change)
    const ctx = GroundTruthContext.fromLabels(Int32Array.from([0, 0, 0, 1, 1]), [1, 1, 5], 2);
    expect(Array.from(ablDistanceMap(ctx))).toEqual([1, 0, 0, 0, 1]);
    ctx.dispose();
    // no boundary: SciPy's all-true artifact, ⌊√((i+1)² + j²)⌋ − 1
    const single = GroundTruthContext.fromLabels(new Int32Array(6), [1, 2, 3], 2);
    expect(Array.from(ablDistanceMap(single))).toEqual([0, 0, 1, 1, 1, 1]);
    single.dispose();
  });

  it('direction targets: first minimal offset wins, the centre is dropped, weights clip at maxClipDist', () => {
    // 1×3 image, distance 2 1 0; a KL spike at the middle pixel marks all three after dilation
    const dist = Float64Array.from([2, 1, 0]);
    const kl = Float32Array.from([0, 1, 0]);
    const sel = ablSelection(kl, dist, [1, 1, 3], { maxNRatio: 1, maxClipDist: 1.5 });
    expect(Array.from(sel.predBoundary)).toEqual([1, 1, 1]);
    // pixel 0 → offset (0,1) = index 3; pixel 1 → index 3; pixel 2 is a minimum itself (centre) → dropped
    expect(sel.kept).toBe(2);
    expect(Array.from(sel.keptIdx)).toEqual([0, 1]);
    expect(Array.from(sel.direction)).toEqual([3, 3]);
    expect(Array.from(sel.weights)).toEqual([1, 1 / 1.5, 0].map(Math.fround));
  });

  it('the threshold grows ×1.2 from 1e-5 until at most H·W·ratio pixels of the batch exceed it', () => {
    const kl = Float32Array.from([1e-5, 2e-5, 3e-5, 4e-5]);
    const sel = ablSelection(kl, new Float64Array(4), [1, 2, 2], {
      maxNRatio: 0.5,
      maxClipDist: 20,
    });
    // 1e-5·1.2^k: 1.2e-5 (3 above), 1.44e-5, 1.728e-5, 2.07e-5 (2 above ≤ 2) → stops at 1.2^4
    expect(sel.epsilon).toBeCloseTo(1e-5 * 1.2 ** 4, 12);
  });

  it('the distance map is computed once per ground truth, not per prediction', () => {
    const ctx = GroundTruthContext.fromLabels(labels, [1, 12, 12], 3);
    const t = tf.tensor3d(labels, [1, 12, 12], 'int32');
    const before = edtCallCount();
    for (let k = 0; k < 3; k++) {
      const x = tf.tensor4d(normal(rng(20 + k), 144 * 3, 2), shape);
      const { value, grad } = lossAndGrad(ID, x, t, params, ctx);
      tf.dispose([x, value, grad]);
    }
    expect(edtCallCount() - before).toBe(1);
    expect(ctx.computeCounts.get('active-boundary:dist')).toBe(1);
    t.dispose();
    ctx.dispose();
  });
});

describe('klThreshold', () => {
  /** The reference's loop: multiply ε by 1.2 until at most maxN values are above it. */
  const stepByStep = (kl: ArrayLike<number>, maxN: number) => {
    let eps = 1e-5;
    for (;;) {
      let count = 0;
      for (let i = 0; i < kl.length; i++) if ((kl[i] as number) > eps) count++;
      if (count > maxN) eps *= 1.2;
      else return eps;
    }
  };
  it('finds the same ε as the step-by-step loop, also at exact steps, for NaN, +∞ and all-small values', () => {
    const g = rng(11);
    const steps = [1e-5];
    for (let m = 0; m < 80; m++) steps.push((steps[m] as number) * 1.2);
    const cases: number[][] = [
      Array.from({ length: 500 }, () => g() ** 8 * 3),
      Array.from({ length: 500 }, (_, i) => steps[i % 81] as number), // values exactly on the steps
      Array.from({ length: 50 }, () => 1e-7),
      [Number.NaN, 0.5, 0.25, Number.NaN, 2],
      [Number.POSITIVE_INFINITY, 0.5, 0.1],
      [],
    ];
    for (const kl of cases)
      for (const maxN of [0, 0.5, 1, 3, 40, 499])
        expect(klThreshold(Float32Array.from(kl), maxN)).toBe(stepByStep(Float32Array.from(kl), maxN));
  });
});

describe(`${ID}: the C = 2 loops`, () => {
  it('give the general loops’ log-softmax, softmax and KL map (within rounding)', () => {
    for (const seed of [1, 2, 3]) {
      const x = normal(rng(seed), 144 * 2, 3);
      const fast = ablPredictionMaps(x, [1, 12, 12, 2]);
      const general = ablPredictionMaps(x, [1, 12, 12, 2], false);
      for (const key of ['lp', 'pe'] as const)
        general[key].forEach((v, k) => {
          expect(Math.abs((fast[key][k] as number) - v)).toBeLessThanOrEqual(1e-15 * Math.max(1, Math.abs(v)));
        });
      general.kl.forEach((v, k) => {
        expect(Math.abs((fast.kl[k] as number) - v)).toBeLessThanOrEqual(2 ** -23 * Math.abs(v) + 1e-15);
      });
    }
  });
  it('give the general loops’ value and gradient (within float32 rounding), detached or not', () => {
    const two = labels.map((t) => (t === 0 ? 0 : 1));
    const ctx = GroundTruthContext.fromLabels(two, [1, 12, 12], 2);
    const dist = ablDistanceMap(ctx);
    for (const isDetach of [true, false])
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const x = normal(rng(seed), 144 * 2, 2);
        // several budgets: the KL map decides which pixels are kept
        const p = { isDetach, maxNRatio: 0.05 * seed, labelSmoothing: 0.2, maxClipDist: 20 };
        const fast = ablHostValueAndGrad(x, [1, 12, 12, 2], dist, p);
        const general = ablHostValueAndGrad(x, [1, 12, 12, 2], dist, p, false);
        expectSameValueAndGrad(fast, general);
      }
    ctx.dispose();
  });
});
