import { describe, expect, it } from 'vitest';
import { lgamma } from '../../ops/lgamma';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { standardLossProperties } from '../../testing/loss-properties';
import { lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';
import { type RobustTLossParams, tLossConstants } from './robust-t-loss';

const shape: [number, number, number, number] = [1, 6, 7, 2];
const labels = Int32Array.from({ length: 42 }, (_, i) => (i % 7 > 2 && i > 10 ? 1 : 0));
const id = 'robust-t-loss';
const defaults: RobustTLossParams = { nu: 1, epsilon: 1e-8, nuParameterisation: 'log', logPrecision: 1 };

const minimum = tLossConstants(defaults, 42).k;
const nu3 = { ...defaults, nu: 3, logPrecision: 0 };
// The minimum is the additive constant K(ν, D) (large for D = 42). Its float32 value is large next to a logit
// step's change, so the gradient check runs on a tiny image (D = 6), where round-off stays far below it.
const tinyShape: [number, number, number, number] = [1, 2, 3, 2];
const tiny = Int32Array.from([0, 1, 1, 0, 1, 0]);
standardLossProperties(id, {
  shape,
  labels,
  minimum,
  minimumTolerance: 1e-4 * Math.abs(minimum),
  minDecrease: 1,
  fd: { shape: tinyShape, labels: tiny, probes: 12 },
});
standardLossProperties(id, {
  shape,
  labels,
  params: { nu: 3, logPrecision: 0 },
  minimum: tLossConstants(nu3, 42).k,
  minimumTolerance: 1e-4 * Math.abs(tLossConstants(nu3, 42).k),
  minDecrease: 0.5,
  fd: { shape: tinyShape, labels: tiny, probes: 12 },
});
standardBadInputs(id, [
  {
    what: "nu = 0 with nuParameterisation 'direct' (ν̃ must be > 0)",
    params: { nu: 0, nuParameterisation: 'direct' },
    says: [id, "'nu'", 'got 0'],
  },
]);

describeEachBackend(`${id} values`, () => {
  it("the paper's form (ν direct, λ = 0) equals the Student-t NLL with Σ = I", () => {
    const x = normal(rng(5), 84, 1);
    const nu = 4;
    const d = 42;
    const sq = tf.tidy(() => {
      const p1 = tf.slice(tf.softmax(tf.tensor2d(x, [42, 2])), [0, 1], [42, 1]);
      return tf.sum(tf.square(tf.sub(p1, tf.tensor2d(Float32Array.from(labels), [42, 1])))).dataSync()[0] as number;
    });
    const paper =
      -lgamma((nu + d) / 2) + lgamma(nu / 2) + (d / 2) * Math.log(Math.PI * nu) + ((nu + d) / 2) * Math.log1p(sq / nu);
    const ours = lossValue(id, x, labels, shape, { nu, nuParameterisation: 'direct', logPrecision: 0, epsilon: 0 });
    expect(Math.abs(ours - paper)).toBeLessThan(1e-5 * Math.abs(paper));
  });
  it('matches a float64 evaluation at 256² (D-scaled cancellation, staged sums)', () => {
    const h = 256;
    const d = h * h;
    const lab = Int32Array.from({ length: d }, (_, i) =>
      Math.hypot((i % h) - 128, Math.floor(i / h) - 128) < 64 ? 1 : 0,
    );
    const x = normal(rng(8), 2 * d, 2);
    const { k, a, b } = tLossConstants(defaults, d);
    let sq = 0;
    for (let i = 0; i < d; i++) {
      const p1 = 1 / (1 + Math.exp((x[2 * i] as number) - (x[2 * i + 1] as number)));
      sq += (p1 - (lab[i] as number)) ** 2;
    }
    const want = k + a * Math.log1p(b * sq);
    const got = lossValue(id, x, lab, [1, h, h, 2]);
    expect(Math.abs(got - want) / Math.abs(want)).toBeLessThan(1e-5);
  });
  it('matches a float64 evaluation at 256² (D-scaled cancellation, staged sums)', () => {
    const h = 256;
    const d = h * h;
    const lab = Int32Array.from({ length: d }, (_, i) =>
      Math.hypot((i % h) - 128, Math.floor(i / h) - 128) < 64 ? 1 : 0,
    );
    const x = normal(rng(8), 2 * d, 2);
    const { k, a, b } = tLossConstants(defaults, d);
    let sq = 0;
    for (let i = 0; i < d; i++) {
      const p1 = 1 / (1 + Math.exp((x[2 * i] as number) - (x[2 * i + 1] as number)));
      sq += (p1 - (lab[i] as number)) ** 2;
    }
    const want = k + a * Math.log1p(b * sq);
    const got = lossValue(id, x, lab, [1, h, h, 2]);
    expect(Math.abs(got - want) / Math.abs(want)).toBeLessThan(1e-5);
  });
});

describe('robust-t-loss parameters', () => {
  it('log and direct parameterisations agree for ν̃ = e^ν', () => {
    const a = tLossConstants(defaults, 100);
    const b = tLossConstants({ ...defaults, nu: Math.E + 1e-8, nuParameterisation: 'direct' }, 100);
    expect(Math.abs(a.k - b.k)).toBeLessThan(1e-6);
    expect(a.a).toBeCloseTo(b.a, 12);
    expect(a.b).toBeCloseTo(b.b, 12);
  });
  it('rejects ν ≤ 0 in the direct parameterisation, naming the parameter', () => {
    expect(() => tLossConstants({ ...defaults, nu: 0, nuParameterisation: 'direct' }, 10)).toThrow(/'nu'/);
  });
  it('keeps the constant finite at D = 512²', () => {
    const { k, a } = tLossConstants(defaults, 512 * 512);
    expect(Number.isFinite(k)).toBe(true);
    expect(a).toBeCloseTo((Math.E + 1e-8 + 512 * 512) / 2, 6);
  });
});
