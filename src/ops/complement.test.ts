import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { complementProbabilities } from './complement';

describeEachBackend('complementProbabilities', () => {
  it('equals 1 − p', () => {
    const p = tf.softmax(tf.tensor2d([0.1, 2, -1, 3, 0.5, 0.2], [2, 3]));
    const q = complementProbabilities(p);
    const ref = tf.sub(1, p);
    const a = q.dataSync();
    const b = ref.dataSync();
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i] as number, 6);
    tf.dispose([p, q, ref]);
  });
  it('keeps relative precision when p → 1 (where 1 − p in float32 does not)', () => {
    // logits (12, 0, 0): 1 − p_0 = 2e^{-12}/(1 + 2e^{-12}) ≈ 1.2288e-5
    const p = tf.softmax(tf.tensor2d([12, 0, 0], [1, 3]));
    const q = complementProbabilities(p);
    const exact = (2 * Math.exp(-12)) / (1 + 2 * Math.exp(-12));
    expect(Math.abs((q.dataSync()[0] as number) - exact) / exact).toBeLessThan(1e-6);
    tf.dispose([p, q]);
  });
});
