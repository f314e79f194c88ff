import { describe, expect, it } from 'vitest';
import { computeLoss } from '../../compute';
import { lgamma } from '../../ops/lgamma';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { confidentLogits, descend, finiteDifferenceError, lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';
import { type RobustTLossParams, tLossConstants } from './robust-t-loss';

const shape: [number, number, number, number] = [1, 6, 7, 2];
const labels = Int32Array.from({ length: 42 }, (_, i) => (i % 7 > 2 && i > 10 ? 1 : 0));
const id = 'robust-t-loss';
const defaults: RobustTLossParams = { nu: 1, epsilon: 1e-8, nuParameterisation: 'log', logPrecision: 1 };

describeEachBackend(id, () => {
  it('reaches its documented minimum K(ν, D) at a confident correct prediction', () => {
    const { k } = tLossConstants(defaults, 42);
    const best = lossValue(id, confidentLogits(labels, shape), labels, shape);
    expect(Math.abs(best - k)).toBeLessThan(1e-4 * Math.abs(k));
    expect(lossValue(id, normal(rng(7), 84, 2), labels, shape)).toBeGreaterThan(best + 1);
  });
  it('gradient agrees with central finite differences', () => {
    // The D-scaled constant makes the float32 value large next to its change under a logit step, so the check
    // runs on a tiny image (D = 6), where round-off stays far below the gradient.
    const tinyShape: [number, number, number, number] = [1, 2, 3, 2];
    const tiny = Int32Array.from([0, 1, 1, 0, 1, 0]);
    const x = normal(rng(1), 12, 1);
    expect(finiteDifferenceError(id, x, tiny, tinyShape, {}, 12)).toBeLessThan(2e-2);
    expect(finiteDifferenceError(id, x, tiny, tinyShape, { nu: 3, logPrecision: 0 }, 12)).toBeLessThan(2e-2);
  });
  it('50 steps of gradient descent lower it', () => {
    const { before, after } = descend(id, normal(rng(2), 84, 2), labels, shape, {}, 50, 1);
    expect(after).toBeLessThan(before - 1);
  });
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
  it('leaks no tensors', () => {
    const x = tf.tensor4d(normal(rng(3), 84), shape);
    const t = tf.tensor3d(labels, shape.slice(0, 3) as [number, number, number], 'int32');
    const before = tf.memory().numTensors;
    computeLoss(id, x, t).dispose();
    tf.tidy(() => {
      tf.grad((z: tf.Tensor) => computeLoss(id, z as tf.Tensor4D, t))(x);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, t]);
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

standardBadInputs('robust-t-loss');
