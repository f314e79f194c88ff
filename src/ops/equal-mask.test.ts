import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { equalMask } from './equal-mask';

describeEachBackend('equalMask', () => {
  it('is 1 exactly where a = b (also for the smallest differences) and 0 elsewhere', () => {
    const raw = tf.tensor1d([-20, -16.1, 1e-7, 0.5, 1 - 1e-7, 1, 3e-38, 0]);
    const clipped = tf.clipByValue(raw, 1e-7, 1 - 1e-7);
    const m = equalMask(clipped, raw);
    expect(Array.from(m.dataSync())).toEqual([0, 0, 1, 1, 1, 0, 0, 0]);
    const tiny = equalMask(tf.tensor1d([1, 1, 0]), tf.tensor1d([1 + 2 ** -23, 1, 1e-45]));
    expect(Array.from(tiny.dataSync())).toEqual([0, 1, 0]);
    tf.dispose([raw, clipped, m, tiny]);
  });
});
