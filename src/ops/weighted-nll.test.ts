import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { type TargetOneHot, weightedNllSum } from './weighted-nll';

function example(c = 3) {
  const [n, h, w] = [2, 3, 4];
  const x = tf.tensor4d(
    Array.from({ length: n * h * w * c }, (_, i) => Math.sin(i * 1.3) * 3),
    [n, h, w, c],
  );
  const labels = Array.from({ length: n * h * w }, (_, i) => (i * 5) % c);
  const y = tf.cast(tf.reshape(tf.oneHot(tf.tensor1d(labels, 'int32'), c), [n, h, w, c]), 'float32');
  const weights: tf.Tensor4D = tf.tensor4d(
    Array.from({ length: n * h * w }, (_, i) => 0.5 + Math.abs(Math.cos(i))),
    [n, h, w, 1],
  );
  // two classes: the memoised [y_1, −y_0] of targetOneHot (the path the explorer's binary case takes)
  const gt: TargetOneHot = { y: y as tf.Tensor4D, notY: tf.sub(1, y) as tf.Tensor4D };
  if (c === 2) gt.signed = tf.mul(tf.reverse(y, -1), tf.tensor1d([1, -1])) as tf.Tensor4D;
  return { x, gt, y, weights };
}

/** Σ_i w_i max(−ln p_t, floor)^γ with ordinary taped ops. */
function taped(x: tf.Tensor4D, y: tf.Tensor, weights: tf.Tensor, gamma: number | null): tf.Tensor {
  const nll = tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(x)), -1, true));
  return tf.sum(tf.mul(weights, gamma === null ? nll : tf.pow(tf.maximum(nll, 1e-30), gamma)));
}

describeEachBackend('weightedNllSum', () => {
  for (const [gamma, c] of [null, 0.3, 1, 2].flatMap((g) => [[g, 2] as const, [g, 3] as const])) {
    it(`matches the taped value and gradient (γ = ${gamma}, C = ${c})`, () => {
      const { x, gt, y, weights } = example(c);
      const a = weightedNllSum(x, gt, weights, gamma);
      const b = taped(x, y, weights, gamma);
      expect(a.dataSync()[0]).toBeCloseTo(b.dataSync()[0] as number, 4);
      const ga = tf
        .grad((v: tf.Tensor) => weightedNllSum(v as tf.Tensor4D, gt, weights, gamma))(x)
        .dataSync();
      const gb = tf
        .grad((v: tf.Tensor) => taped(v as tf.Tensor4D, y, weights, gamma))(x)
        .dataSync();
      for (let i = 0; i < ga.length; i++) expect(ga[i]).toBeCloseTo(gb[i] as number, 5);
    });
  }
  for (const c of [2, 3]) {
    it(`keeps no tensors after value and gradient (C = ${c})`, () => {
      const { x, gt, y, weights } = example(c);
      const before = tf.memory().numTensors;
      tf.grad((v: tf.Tensor) => weightedNllSum(v as tf.Tensor4D, gt, weights, 0.5))(x).dispose();
      weightedNllSum(x, gt, weights, null).dispose();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, gt.notY, y, weights, ...(gt.signed ? [gt.signed] : [])]);
    });
  }
});
