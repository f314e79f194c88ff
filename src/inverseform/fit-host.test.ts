// fitAffineHost against fitAffine on tensors (confidences softplus(s), as in the network): the same θ and the same gradient with respect to
// δ and s, up to float32 rounding, including a tile whose evidence lies in one column (var ≈ 0 along x) and
// logits on both sides of softplus' thresholds.
import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { normal, rng } from '../testing/properties';
import { tf } from '../tf';
import { fitAffineHost } from './fit-host';
import { fitAffine, IF_GRID } from './network';

const G = IF_GRID;

describeEachBackend('fitAffineHost', () => {
  it('equals fitAffine of the softplus confidences, value and gradient', () => {
    const b = 5;
    const g = rng(31);
    const delta = Float32Array.from(normal(g, b * G * G * 2, 0.3));
    const logits = Float32Array.from(normal(g, b * G * G * 2, 3));
    logits[7] = 30; // identity branch of softplus
    logits[9] = -30; // exp branch
    // tile 1: confidence only in column 3 (both axes), nearly nothing elsewhere
    for (let i = 0; i < G; i++)
      for (let j = 0; j < G; j++) for (let k = 0; k < 2; k++) logits[((G + i) * G + j) * 2 + k] = j === 3 ? 2 : -25;
    const r = tf.tensor2d(normal(g, b * 4, 1), [b, 4]);
    const d = tf.tensor4d(delta, [b, G, G, 2]);
    const s = tf.tensor4d(logits, [b, G, G, 2]);
    const before = tf.memory().numTensors;
    const host = (x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(fitAffineHost({ delta: x as tf.Tensor4D, confidence: tf.softplus(y) as tf.Tensor4D }), r));
    const ops = (x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.mul(fitAffine({ delta: x as tf.Tensor4D, confidence: tf.softplus(y) as tf.Tensor4D }), r));
    const a = tf.valueAndGrads(host)([d, s]);
    const e = tf.valueAndGrads(ops)([d, s]);
    const [va, ve] = [a.value.dataSync()[0] as number, e.value.dataSync()[0] as number];
    expect(Math.abs(va - ve)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(ve)));
    for (let n = 0; n < 2; n++) {
      const [ga, ge] = [(a.grads[n] as tf.Tensor).dataSync(), (e.grads[n] as tf.Tensor).dataSync()];
      const scale = Math.max(...Array.from(ge, Math.abs));
      expect(scale).toBeGreaterThan(0);
      for (let i = 0; i < ge.length; i++)
        expect(Math.abs((ga[i] as number) - (ge[i] as number))).toBeLessThan(1e-4 * scale);
    }
    tf.dispose([a.value, ...a.grads, e.value, ...e.grads]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([r, d, s]);
  });
});
