// softBoundaryHost (host values, custom gradient) against the device formulation softBoundary: the same map
// and the same gradient, also where window maxima and minima tie (saturated and quantised probabilities).
import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { normal, rng } from '../testing/properties';
import { tf } from '../tf';
import { softBoundary, softBoundaryHost } from './boundary';

function probs(kind: 'smooth' | 'saturated' | 'quantised', shape: [number, number, number, number]): tf.Tensor4D {
  const [n, h, w, c] = shape;
  const z = normal(rng(7), n * h * w * c, 1.5);
  const logits = Float32Array.from(z, (v, i) => {
    const x = Math.floor(i / c) % w;
    const y = Math.floor(i / (c * w)) % h;
    const label = (x - w / 2) ** 2 + (y - h / 2) ** 2 < (w * h) / 8 ? 1 : x % 5 === 0 ? c - 1 : 0;
    if (kind === 'smooth') return v;
    const hot = i % c === label;
    return kind === 'saturated' ? (hot ? 40 : -40) : hot ? 2 : 0;
  });
  return tf.tidy(() => tf.softmax(tf.tensor4d(logits, shape)));
}

function mapAndGrad(f: (p: tf.Tensor4D) => tf.Tensor3D, p: tf.Tensor4D, weights: tf.Tensor3D) {
  return tf.tidy(() => {
    const { value, grad } = tf.valueAndGrad((q: tf.Tensor) => tf.sum(tf.mul(f(q as tf.Tensor4D), weights)))(p);
    return { value: value.dataSync()[0] as number, map: f(p).dataSync(), grad: grad.dataSync() };
  });
}

describeEachBackend('softBoundaryHost', () => {
  for (const kind of ['smooth', 'saturated', 'quantised'] as const)
    for (const shape of [
      [1, 12, 10, 2],
      [2, 7, 9, 3],
    ] as [number, number, number, number][])
      it(`equals softBoundary in value and gradient (${kind}, ${shape.join('×')})`, () => {
        const p = probs(kind, shape);
        const weights = tf.tensor3d(normal(rng(3), shape[0] * shape[1] * shape[2], 1), shape.slice(0, 3) as never);
        const before = tf.memory().numTensors;
        const device = mapAndGrad(softBoundary, p, weights);
        const host = mapAndGrad(softBoundaryHost, p, weights);
        expect(tf.memory().numTensors).toBe(before);
        // equal up to the order of the sum over classes (the cpu backend sums in float64)
        for (let i = 0; i < device.map.length; i++)
          expect(Math.abs((host.map[i] as number) - (device.map[i] as number))).toBeLessThanOrEqual(2e-7);
        const scale = Math.max(...Array.from(device.grad, Math.abs));
        for (let i = 0; i < device.grad.length; i++)
          expect(Math.abs((host.grad[i] as number) - (device.grad[i] as number))).toBeLessThanOrEqual(1e-6 * scale);
        expect(host.value).toBeCloseTo(device.value, 5);
        tf.dispose([p, weights]);
      });
});

describeEachBackend('softBoundaryHost taped twice', () => {
  it('two soft boundaries on one tape (both forwards before either backward) each get their own gradient', () => {
    const shape: [number, number, number, number] = [1, 12, 10, 2];
    const a = probs('smooth', shape);
    const b = probs('quantised', shape);
    const wa = tf.tensor3d(normal(rng(4), 120, 1), [1, 12, 10]);
    const wb = tf.tensor3d(normal(rng(5), 120, 1), [1, 12, 10]);
    const apart = [mapAndGrad(softBoundaryHost, a, wa).grad, mapAndGrad(softBoundaryHost, b, wb).grad];
    const together = tf.tidy(() =>
      tf
        .grads((x: tf.Tensor, y: tf.Tensor) =>
          tf.add(
            tf.sum(tf.mul(softBoundaryHost(x as tf.Tensor4D), wa)),
            tf.sum(tf.mul(softBoundaryHost(y as tf.Tensor4D), wb)),
          ),
        )([a, b])
        .map((g) => g.dataSync()),
    );
    expect(Array.from(together[0] as Float32Array)).toEqual(Array.from(apart[0] as Float32Array));
    expect(Array.from(together[1] as Float32Array)).toEqual(Array.from(apart[1] as Float32Array));
    tf.dispose([a, b, wa, wb]);
  });
});
