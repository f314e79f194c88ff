import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { normal, rng } from '../testing/properties';
import { tf } from '../tf';
import { type ConvPath, initTinyNet, tinyNetLogits } from './tiny-net';

describeEachBackend('tiny network', (backend) => {
  it('every conv path gives the same logits and weight gradients', () => {
    const r = rng(3);
    const H = 7;
    const W = 6;
    const ws = initTinyNet({ inChannels: 1, numClasses: 3 }, 5);
    // Non-zero output layer, so the hidden layers get gradients too.
    ws[6]?.dispose();
    ws[6] = tf.tensor2d(normal(r, 8 * 3, 0.5), [8, 3]);
    const x = tf.tensor4d(normal(r, H * W, 1), [1, H, W, 1]);
    const z = tf.tensor4d(normal(r, H * W * 3, 1), [1, H, W, 3]);
    const weights = tf.tensor4d(normal(r, H * W * 3, 1), [1, H, W, 3]);
    const before = tf.memory().numTensors;
    const run = (path: ConvPath) =>
      tf.tidy(() => {
        const f = (...w: tf.Tensor[]) => tf.sum(tf.mul(tinyNetLogits(w, x, z, path), weights)) as tf.Scalar;
        const { value, grads } = tf.valueAndGrads(f)(ws);
        return [value.dataSync()[0] as number, ...grads.map((g) => Array.from(g.dataSync()))] as const;
      });
    const paths: ConvPath[] = backend === 'cpu' ? ['conv2d', 'custom-grad', 'im2col'] : ['custom-grad', 'im2col'];
    const ref = run('im2col');
    for (const p of paths) {
      const got = run(p);
      expect(got[0]).toBeCloseTo(ref[0], 4);
      for (let k = 1; k < got.length; k++) {
        const a = got[k] as number[];
        const b = ref[k] as number[];
        const scale = Math.max(1e-6, ...b.map(Math.abs));
        expect(Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number)))) / scale, `${p} grad ${k}`).toBeLessThan(
          1e-4,
        );
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...ws, x, z, weights]);
  });
});
