import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { hostSoftmaxLoss, softmaxBackwardHost } from './host-softmax-loss';

const shape: [number, number, number, number] = [2, 3, 2, 3];
const size = 36;
const logits = Float32Array.from({ length: size }, (_, i) => Math.sin(i * 1.7) * 3);
const weights = Float64Array.from({ length: size }, (_, i) => Math.cos(i * 0.9));

describeEachBackend('hostSoftmaxLoss', () => {
  it('has the value and gradient of the same loss written with taped ops', () => {
    const x = tf.tensor4d(logits, shape);
    const w = tf.tensor4d(Float32Array.from(weights), shape);
    // L = Σ w p² + 0.5 Σ x: ∂L/∂p = 2wp, plus a direct ∂L/∂x = 0.5
    const host = (z: tf.Tensor) =>
      hostSoftmaxLoss(z as tf.Tensor4D, (p) => ({
        value: p.reduce((s, v, i) => s + (weights[i] as number) * v * v, 0),
        grad: () => ({
          gradP: Float64Array.from(p, (v, i) => 2 * (weights[i] as number) * v),
          gradX: new Float64Array(size).fill(0.5),
        }),
      }));
    const taped = (z: tf.Tensor) => tf.sum(tf.mul(w, tf.square(tf.softmax(z))));
    const a = tf.valueAndGrad(host)(x);
    const b = tf.valueAndGrad(taped)(x);
    expect(a.value.dataSync()[0]).toBeCloseTo(b.value.dataSync()[0] as number, 5);
    const ga = a.grad.dataSync();
    const gb = b.grad.dataSync();
    for (let i = 0; i < size; i++) expect(ga[i]).toBeCloseTo((gb[i] as number) + 0.5, 5);
    tf.dispose([x, w, a.value, a.grad, b.value, b.grad]);
  });
  it('adds a device term to the value and leaks nothing', () => {
    const x = tf.tensor4d(logits, shape);
    const before = tf.memory().numTensors;
    const v = hostSoftmaxLoss(
      x,
      () => ({ value: 2, grad: () => ({}) }),
      () => tf.scalar(3),
    );
    expect(v.dataSync()[0]).toBe(5);
    v.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

it('softmaxBackwardHost keeps full relative precision where p → 1 (C = 2: p₀ p₁ (d₀ − d₁))', () => {
  const p = Float32Array.from([1, 1e-9]); // float32 p₀ rounds to 1
  const g = softmaxBackwardHost(p, 2, Float64Array.from([3, 1]));
  const exact = 2 * (p[1] as number); // p₀ p₁ (d₀ − d₁) with p₀ = 1
  expect(Math.abs((g[0] as number) / exact - 1)).toBeLessThan(1e-6);
  expect(Math.abs((g[1] as number) / -exact - 1)).toBeLessThan(1e-6);
});

it('softmaxBackwardHost with C = 2 is the general form p_c Σ_c′ p_c′ (d_c − d_c′) plus the direct part', () => {
  const p = Float32Array.from([0.25, 0.75, 0.6, 0.4]);
  const d = Float64Array.from([1, -2, 0.5, 3]);
  const gx = Float64Array.from([0.1, 0.2, 0.3, 0.4]);
  const g = softmaxBackwardHost(p, 2, d, gx);
  const expected = [0.25 * 0.75 * 3 + 0.1, -0.25 * 0.75 * 3 + 0.2, 0.6 * 0.4 * -2.5 + 0.3, -0.6 * 0.4 * -2.5 + 0.4];
  for (const [i, v] of expected.entries()) expect(g[i]).toBeCloseTo(v, 6);
});
