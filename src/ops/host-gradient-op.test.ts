import { expect, it } from 'vitest';
import type { ActiveBoundaryParams } from '../losses/boundary/active-boundary';
import { ablHostValueAndGrad } from '../losses/boundary/active-boundary-host';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { hostGradientOp } from './host-gradient-op';
import { copiesOnUpload, hostTensor, hostTensorWork } from './host-tensor';

describeEachBackend('hostTensor', (backend) => {
  it('reuses its work array only where the backend copies at upload, and every tensor keeps its own values', () => {
    expect(copiesOnUpload()).toBe(backend === 'wasm');
    const work = hostTensorWork();
    let first: Float32Array | null = null;
    const a = hostTensor<tf.Tensor2D>(work, [2, 3], (out) => {
      first = out;
      out.set([1, 2, 3, 4, 5, 6]);
    });
    let second: Float32Array | null = null;
    const b = hostTensor<tf.Tensor2D>(
      work,
      [2, 2],
      (out) => {
        second = out;
        expect(Array.from(out)).toEqual([0, 0, 0, 0]); // zeroed, though the memory held a's values on wasm
        out[3] = 9;
      },
      true,
    );
    expect((second as unknown as Float32Array).buffer === (first as unknown as Float32Array).buffer).toBe(
      backend === 'wasm',
    );
    expect(Array.from(a.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(b.dataSync())).toEqual([0, 0, 0, 9]);
    expect(a.shape).toEqual([2, 3]);
    tf.dispose([a, b]);
  });
});

describeEachBackend('hostGradientOp', () => {
  it('gives the host value, and dy times the host gradient, also with two ops on one tape', () => {
    const shape: [number, number, number, number] = [1, 2, 3, 2];
    const x = tf.tensor4d([0.5, -1, 2, 0, 1, 1, -0.5, 0.25, 3, -2, 0, 0.75], shape);
    const work = hostTensorWork();
    // L₁ = Σ i·x_i and L₂ = Σ x_i², computed on the host, both through the same work array
    const l1 = (t: tf.Tensor4D) =>
      hostGradientOp(t, work, (g) => {
        const v = t.dataSync();
        let s = 0;
        for (let i = 0; i < g.length; i++) {
          g[i] = i;
          s += i * (v[i] as number);
        }
        return s;
      });
    const l2 = (t: tf.Tensor4D) =>
      hostGradientOp(t, work, (g) => {
        const v = t.dataSync();
        let s = 0;
        for (let i = 0; i < g.length; i++) {
          g[i] = 2 * (v[i] as number);
          s += (v[i] as number) ** 2;
        }
        return s;
      });
    const xs = Array.from(x.dataSync());
    const { value, grad } = tf.tidy(() => {
      const vg = tf.valueAndGrad((t: tf.Tensor) => tf.add(l1(t as tf.Tensor4D), tf.mul(3, l2(t as tf.Tensor4D))));
      const out = vg(x);
      return { value: out.value.dataSync()[0] as number, grad: Array.from(out.grad.dataSync()) };
    });
    const expected = xs.reduce((s, v, i) => s + i * v + 3 * v * v, 0);
    expect(value).toBeCloseTo(expected, 4);
    expect(grad.map((g) => Math.round(g * 1e4) / 1e4)).toEqual(xs.map((v, i) => Math.round((i + 6 * v) * 1e4) / 1e4));
    x.dispose();
  });

  it('Active Boundary through it equals its host value and gradient computed alone', () => {
    const shape: [number, number, number, number] = [1, 6, 7, 2];
    const values = Float32Array.from({ length: 84 }, (_, i) => Math.sin(i * 1.7) * 2);
    const dist = Float64Array.from({ length: 42 }, (_, i) => Math.abs((i % 7) - 3));
    const params: ActiveBoundaryParams = { maxNRatio: 0.3, maxClipDist: 20, labelSmoothing: 0.2, isDetach: false };
    const alone = ablHostValueAndGrad(values, shape, dist, params);
    const x = tf.tensor4d(values, shape);
    const before = tf.memory().numTensors;
    const { value, grad } = tf.tidy(() => {
      const out = tf.valueAndGrad((t: tf.Tensor) =>
        hostGradientOp(
          t as tf.Tensor4D,
          hostTensorWork(),
          (g) => ablHostValueAndGrad(values, shape, dist, params, true, g).value,
        ),
      )(x);
      return { value: out.value.dataSync()[0] as number, grad: Array.from(out.grad.dataSync()) };
    });
    expect(tf.memory().numTensors).toBe(before); // the saved gradient went with the tape
    expect(alone.value).toBeGreaterThan(0);
    expect(value).toBeCloseTo(alone.value, 5);
    expect(grad).toEqual(Array.from(alone.grad));
    x.dispose();
  });
});
