import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { type SumTerm, softmaxClassSums } from './softmax-class-sums';

const BASE_TERMS: SumTerm[] = (['p', 'q', 'p2', 'q2'] as const).flatMap((of) =>
  (['y', 'notY', 'one'] as const).map((weight) => ({ of, weight })),
);

/** Every kind of term, with constant maps too (a distance-map-like weight, broadcast [C] class weights). */
function allTerms(shape: number[]): SumTerm[] {
  const size = shape.reduce((a, b) => a * b, 1);
  const map = tf.tensor(
    Array.from({ length: size }, (_, i) => Math.abs(Math.cos(i * 0.37)) * 3),
    shape,
  );
  return [
    ...BASE_TERMS,
    { of: 'p', weight: map },
    { of: 'q2', weight: map },
    { of: 'q', weight: tf.tensor1d(Array.from({ length: shape[3] as number }, (_, i) => 0.5 + i)) },
  ];
}

/** The same sums written with ordinary taped ops. */
function taped(x: tf.Tensor4D, y: tf.Tensor4D, terms: SumTerm[], batch: boolean): tf.Tensor {
  const p = tf.softmax(x);
  const q = tf.sub(1, p);
  const f = { p, q, p2: tf.square(p), q2: tf.square(q) };
  const w = { y, notY: tf.sub(1, y), one: tf.onesLike(y) };
  return tf.stack(
    terms.map((t) =>
      tf.reshape(
        tf.sum(tf.mul(f[t.of], t.weight instanceof tf.Tensor ? t.weight : w[t.weight]), batch ? [0, 1, 2] : [1, 2]),
        [batch ? 1 : x.shape[0], -1],
      ),
    ),
  );
}

function example(c = 3) {
  const [n, h, w] = [2, 3, 4];
  const x = tf.tensor4d(
    Array.from({ length: n * h * w * c }, (_, i) => Math.sin(i * 1.7) * 2),
    [n, h, w, c],
  );
  const labels = Array.from({ length: n * h * w }, (_, i) => (i * 7) % c);
  const y = tf.cast(tf.reshape(tf.oneHot(tf.tensor1d(labels, 'int32'), c), [n, h, w, c]), 'float32') as tf.Tensor4D;
  return { x, y };
}

describeEachBackend('softmaxClassSums', () => {
  for (const [batch, staged, withOnes, classes, linearOnly] of [
    [false, false, false, 3],
    [true, false, false, 3],
    [false, true, false, 3],
    [true, true, false, 3],
    [false, false, true, 3],
    [true, false, true, 3],
    [false, false, true, 2],
    [true, true, true, 2],
    [false, false, false, 2],
    [false, false, true, 2, true],
    [true, false, true, 2, true],
  ] as [boolean, boolean, boolean, number, boolean?][]) {
    const what = linearOnly ? 'the terms of p and q (no squares)' : 'every term';
    it(`matches the taped sums and their gradient for ${what} (C = ${classes}, batch ${batch}, staged ${staged}, [y | 1] ${withOnes})`, () => {
      const { x, y } = example(classes);
      const notY = tf.sub(1, y) as tf.Tensor4D;
      const [n, h, w, c] = y.shape;
      const yOne = withOnes
        ? (tf.concat([tf.reshape(y, [n, h * w, c]), tf.ones([n, h * w, 1])], 2) as tf.Tensor3D)
        : undefined;
      const gt = { y, notY, yOne };
      const every = allTerms(x.shape);
      const ALL_TERMS = every.filter((t) => !linearOnly || t.of === 'p' || t.of === 'q');
      // a random linear functional of the sums, so every g_k[n, c] differs
      const k = ALL_TERMS.length;
      const weights = tf.tensor(
        Array.from({ length: k * (batch ? 1 : 2) * classes }, (_, i) => Math.cos(i * 0.9)),
        [k, batch ? 1 : 2, classes],
      );
      const ours = softmaxClassSums(x, gt, ALL_TERMS, batch, staged);
      const ref = taped(x, y, ALL_TERMS, batch);
      expect(ours.shape).toEqual([k, batch ? 1 : 2, classes]);
      const a = ours.dataSync();
      const b = ref.dataSync();
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i] as number, 4);
      const g1 = tf.grad((v: tf.Tensor) =>
        tf.sum(tf.mul(softmaxClassSums(v as tf.Tensor4D, gt, ALL_TERMS, batch, staged), weights)),
      )(x);
      const g2 = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(taped(v as tf.Tensor4D, y, ALL_TERMS, batch), weights)))(x);
      const ga = g1.dataSync();
      const gb = g2.dataSync();
      for (let i = 0; i < ga.length; i++) expect(ga[i]).toBeCloseTo(gb[i] as number, 4);
      tf.dispose([x, y, notY, weights, ours, ref, g1, g2]);
      if (yOne) yOne.dispose();
      for (const t of every) if (t.weight instanceof tf.Tensor) t.weight.dispose();
    });
  }

  it('keeps no tensors after value and gradient', () => {
    const { x, y } = example();
    const notY = tf.sub(1, y) as tf.Tensor4D;
    const ALL_TERMS = allTerms(x.shape);
    const before = tf.memory().numTensors;
    const g = tf.grad((v: tf.Tensor) => tf.sum(softmaxClassSums(v as tf.Tensor4D, { y, notY }, ALL_TERMS, false)))(x);
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y, notY]);
    for (const t of ALL_TERMS) if (t.weight instanceof tf.Tensor) t.weight.dispose();
  });
});
