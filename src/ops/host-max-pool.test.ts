import { describe, expect, it } from 'vitest';
import { setNodeBackend } from '../testing/backends';
import { tf } from '../tf';
import { hostMaxPool, pooledSize } from './host-max-pool';
import { mulberry32 } from './random';

const shapes: [number, number, number, number][] = [
  [1, 9, 9, 2],
  [2, 7, 10, 3],
  [1, 8, 5, 1],
];

describe('hostMaxPool', () => {
  for (const s of [2, 3, 4]) {
    for (const shape of shapes) {
      it(`matches tf.maxPool and its gradient (s = ${s}, [${shape}])`, async () => {
        await setNodeBackend('cpu');
        const rand = mulberry32(s * 100 + shape[1]);
        const values = Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => rand());
        const { pooled, source, shape: out } = hostMaxPool(values, shape, s);
        const x = tf.tensor4d(values, shape);
        const ref = tf.maxPool(x, [s, s], [s, s], Math.floor(s / 2));
        expect(out).toEqual(ref.shape);
        expect(out[1]).toBe(pooledSize(shape[1], s));
        expect(Array.from(pooled)).toEqual(Array.from(ref.dataSync()));
        // the gradient of Σ w ⊙ maxPool(x) is w routed to the sources
        const w = tf.randomUniform(ref.shape, -1, 1, 'float32', 7);
        const grad = tf.grad((t: tf.Tensor) =>
          tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, [s, s], [s, s], Math.floor(s / 2)), w)),
        )(x);
        const routed = new Float32Array(values.length);
        const ws = w.dataSync();
        source.forEach((i, o) => {
          routed[i] = ws[o] as number;
        });
        expect(Array.from(routed)).toEqual(Array.from(grad.dataSync()));
        tf.dispose([x, ref, w, grad]);
      });
    }
  }

  it('takes the first largest cell of a window, scanning rows then columns (PyTorch order)', () => {
    // one 3×3 window at the origin covers rows/columns 0..1 (padding 1): all equal → the top-left cell
    const values = new Float32Array(4 * 4).fill(0.5);
    values[1 * 4 + 1] = 0.5;
    const { source } = hostMaxPool(values, [1, 4, 4, 1], 3);
    expect(source[0]).toBe(0);
    // a later equal value does not replace an earlier maximum, a larger one does
    const v2 = new Float32Array(16);
    v2[1] = 0.9; // row 0, column 1
    v2[4] = 0.9; // row 1, column 0
    expect(hostMaxPool(v2, [1, 4, 4, 1], 3).source[0]).toBe(1);
    v2[5] = 1; // row 1, column 1
    expect(hostMaxPool(v2, [1, 4, 4, 1], 3).source[0]).toBe(5);
  });

  it('says what does not fit', () => {
    expect(() => hostMaxPool(new Float32Array(5), [1, 2, 2, 1], 2)).toThrow(/do not fill/);
    expect(() => hostMaxPool(new Float32Array(4), [1, 2, 2, 1], 0)).toThrow(/positive integer/);
  });
});
