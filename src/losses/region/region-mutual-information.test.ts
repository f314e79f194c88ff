import { describe, expect, it } from 'vitest';
import { computeLoss, lossAndGrad } from '../../compute';
import { GroundTruthContext } from '../../engine/gt-context';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { standardLossProperties } from '../../testing/loss-properties';
import { confidentLogits, lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';

const ID = 'region-mutual-information';
const shape: [number, number, number, number] = [1, 12, 12, 3];
// a disc of class 1, a bar of class 2, background 0
const labels = Int32Array.from({ length: 144 }, (_, k) => {
  const i = Math.floor(k / 12);
  const j = k % 12;
  if ((i - 4) ** 2 + (j - 4) ** 2 <= 6) return 1;
  return i >= 8 && j >= 2 && j <= 10 ? 2 : 0;
});
/** RMI without pooling on a small image, so that the RMI term carries gradient everywhere. */
const unpooled = { rmiPoolSize: 1, rmiRadius: 2 };

/**
 * Worst relative error of the directional derivative g·u against a central difference along u, for u = g/‖g‖
 * and two random unit directions. The loss is ~5 in magnitude and its gradient entries ~1e-4, so
 * single-coordinate differences drown in float32 round-off; a step of 5e-2 along a direction keeps the
 * round-off (≈ 6e-8·5/0.1) and the truncation error (≈ 0.2 %, measured) well below the signal.
 */
function directionalError(x: Float32Array, params: Record<string, number | string>, h = 5e-2): number {
  return tf.tidy(() => {
    const t = tf.tensor3d(labels, [1, 12, 12], 'int32');
    const f = (z: tf.Tensor) => computeLoss(ID, z as tf.Tensor4D, t, params);
    const x0 = tf.tensor4d(x, shape);
    const g = tf.grad(f)(x0);
    let worst = 0;
    for (let k = 0; k < 3; k++) {
      const u0 = k === 0 ? g : tf.tensor4d(normal(rng(100 + k), x.length), shape);
      const u = tf.div(u0, tf.norm(u0));
      const exact = tf.sum(tf.mul(g, u)).dataSync()[0] as number;
      const plus = f(tf.add(x0, tf.mul(h, u))).dataSync()[0] as number;
      const minus = f(tf.sub(x0, tf.mul(h, u))).dataSync()[0] as number;
      const fd = (plus - minus) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - exact) / Math.max(Math.abs(exact), 1e-3));
    }
    return worst;
  });
}

// RMI's minimum has no closed form here (log-determinants of clipped, regularised covariances; the 8×8 case
// below is the exception), so the suite checks that noise raises the value at a confident correct prediction;
// the cases below check that it is lower than random or wrong predictions. Unpooled with radius 2, so that the
// RMI term carries gradient everywhere on a small image; single-coordinate differences are checked with
// weightLambda 0.2 (the RMI term's entries are tiny next to float32 round-off of a loss of ~5).
standardLossProperties(ID, {
  shape,
  labels,
  params: unpooled,
  minimum: null,
  margin: 8,
  lr: 2,
  minDecrease: 0.1,
  fd: { params: { ...unpooled, weightLambda: 0.2 }, probes: 8 },
  fdTolerance: 3e-2,
});
standardBadInputs(ID, [
  {
    what: 'a 4×4 image, smaller than rmiRadius 3 after pooling',
    says: [ID, '4×4', 'rmiPoolSize 3', 'rmiRadius 3'],
  },
]);

describeEachBackend(`${ID} values`, () => {
  it('a confident correct prediction scores lower than random or wrong ones', () => {
    const right = lossValue(ID, confidentLogits(labels, shape, 8), labels, shape);
    const random = lossValue(ID, normal(rng(1), 144 * 3, 2), labels, shape);
    const wrongLabels = labels.map((t) => (t + 1) % 3);
    const wrong = lossValue(ID, confidentLogits(wrongLabels, shape, 8), labels, shape);
    expect(right).toBeLessThan(random);
    expect(right).toBeLessThan(wrong);
    // also for the RMI term alone
    const rmiOnly = { ...unpooled, weightLambda: 0 };
    expect(lossValue(ID, confidentLogits(labels, shape, 8), labels, shape, rmiOnly)).toBeLessThan(
      lossValue(ID, normal(rng(1), 144 * 3, 2), labels, shape, rmiOnly),
    );
  });

  it('directional derivatives agree with central differences (unpooled and average-pooled RMI)', () => {
    // Max pooling is not differentiable where a window's maximum changes hands, and a float32 step large
    // enough to beat round-off crosses such kinks; the max-pooled gradient is checked by the goldens instead.
    const x = normal(rng(4), 144 * 3, 1.5);
    expect(directionalError(x, { ...unpooled, weightLambda: 0.2 })).toBeLessThan(1e-2);
    expect(directionalError(x, { rmiPoolWay: 1, rmiPoolSize: 2 })).toBeLessThan(1e-2);
  });

  it('an 8×8 image with the default pooling leaves one point: RMI is the constant C·log(√α + 1e-8)', () => {
    const s: [number, number, number, number] = [1, 8, 8, 2];
    const t = Int32Array.from({ length: 64 }, (_, k) => (k % 8 < 3 ? 1 : 0));
    const v = lossValue(ID, normal(rng(5), 128, 2), t, s, { weightLambda: 0 });
    expect(v).toBeCloseTo(2 * Math.log(Math.sqrt(5e-4) + 1e-8), 5);
  });

  it('the three factorisation orders agree on a well-conditioned case', () => {
    const x = normal(rng(6), 144 * 3, 1);
    const values = (['qr', 'joint', 'reference'] as const).map((numerics) =>
      lossValue(ID, x, labels, shape, { ...unpooled, numerics }),
    );
    expect(Math.abs((values[1] as number) - (values[0] as number))).toBeLessThan(1e-4);
    expect(Math.abs((values[2] as number) - (values[0] as number))).toBeLessThan(1e-3);
  });

  it('max pooling on the host (the default) matches the device pooling of the float32 orders, saturated too', () => {
    // margin 20: p ≈ 1 and ≈ 2e-9 (clamped to 1e-6), so windows hold ties; the bar and disc give mixed windows
    for (const x of [normal(rng(9), 144 * 3, 1.5), confidentLogits(labels, shape, 20)]) {
      const t = tf.tensor3d(labels, [1, 12, 12], 'int32');
      const [host, device] = (['float64', 'qr'] as const).map((numerics) =>
        tf.tidy(() => {
          const { value, grad } = lossAndGrad(ID, tf.tensor4d(x, shape), t, { rmiPoolSize: 2, rmiRadius: 2, numerics });
          return { value: value.dataSync()[0] as number, grad: Array.from(grad.dataSync()) };
        }),
      );
      t.dispose();
      expect(Math.abs((host?.value as number) - (device?.value as number))).toBeLessThan(1e-4);
      const worst = Math.max(...(host?.grad ?? []).map((g, i) => Math.abs(g - (device?.grad[i] as number))));
      expect(worst).toBeLessThan(1e-5);
    }
  });

  it('sigmoid variant: with λ = 1 it is the reference BCE Σ / (P + 1)', () => {
    const x = normal(rng(7), 144 * 3, 2);
    let bce = 0;
    for (let i = 0; i < 144; i++)
      for (let c = 0; c < 3; c++) {
        const z = x[i * 3 + c] as number;
        const y = labels[i] === c ? 1 : 0;
        bce += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
      }
    const v = lossValue(ID, x, labels, shape, { activation: 'sigmoid', weightLambda: 1 });
    expect(v).toBeCloseTo(bce / 145, 4);
    expect(directionalError(x, { activation: 'sigmoid', ...unpooled })).toBeLessThan(1e-2);
  });

  it('resize pooling (way 2) runs and its gradient agrees with finite differences', () => {
    const x = normal(rng(8), 144 * 3, 1.5);
    const v = lossValue(ID, x, labels, shape, { rmiPoolWay: 2, rmiPoolSize: 2 });
    expect(Number.isFinite(v)).toBe(true);
    expect(directionalError(x, { rmiPoolWay: 2, rmiPoolSize: 2 })).toBeLessThan(1e-2);
  });
});

describe(`${ID} ground-truth constants`, () => {
  it('pools and centres the label windows once per ground truth and parameter set', () => {
    const ctx = GroundTruthContext.fromLabels(labels, [1, 12, 12], 3);
    const t = tf.tensor3d(labels, [1, 12, 12], 'int32');
    for (let k = 0; k < 3; k++) {
      const x = tf.tensor4d(normal(rng(30 + k), 144 * 3, 2), shape);
      const { value, grad } = lossAndGrad(ID, x, t, {}, ctx);
      tf.dispose([x, value, grad]);
    }
    expect(ctx.computeCounts.get('rmi:y-windows:r3:way0:s3')).toBe(1);
    t.dispose();
    ctx.dispose();
  });
});
