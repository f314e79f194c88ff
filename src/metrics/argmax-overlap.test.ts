// The tensor-side argmax Dice/IoU (used by the race and the named-axis landscapes) equals src/metrics' label-map
// metrics: 'present' = labelMetrics' foreground mean, 'in-target' = MONAI's ignore_empty mean.
import { expect, it } from 'vitest';
import { mulberry32 } from '../ops/random';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { argmaxDiceIoU, diceScoreMeanForeground, diceScoreOfLabels } from './argmax-overlap';
import { labelMetrics } from './label-metrics';

const H = 10;
const W = 9;
const C = 4;

/** Random logits and a target in which class 3 never occurs (so 'present' and 'in-target' differ). */
function example(seed: number) {
  const rnd = mulberry32(seed);
  const logits = new Float32Array(H * W * C).map(() => rnd() * 4 - 2);
  const target = new Int32Array(H * W).map(() => Math.floor(rnd() * 3));
  const pred = new Int32Array(H * W).map((_, i) => {
    let best = 0;
    for (let k = 1; k < C; k++) if ((logits[i * C + k] as number) > (logits[i * C + best] as number)) best = k;
    return best;
  });
  return { logits, target, pred };
}

describeEachBackend('argmax Dice/IoU tensors vs labelMetrics', () => {
  it('present-class mean equals labelMetrics.mean; in-target mean equals diceScoreOfLabels; no leaks', () => {
    const before = tf.memory().numTensors;
    for (const seed of [1, 2, 3]) {
      const { logits, target, pred } = example(seed);
      const ref = labelMetrics(pred, target, [1, H, W], C);
      const z = tf.tensor4d(logits, [1, H, W, C]);
      const t = tf.tensor3d(target, [1, H, W], 'int32');
      const oneHot = tf.tidy(() => tf.cast(tf.oneHot(t, C), 'float32')) as tf.Tensor4D;
      const m = argmaxDiceIoU(z, oneHot);
      const [dice, iou] = m.arraySync()[0] as number[];
      expect(dice).toBeCloseTo((ref.mean.dice as { value: number }).value, 5);
      expect(iou).toBeCloseTo((ref.mean.iou as { value: number }).value, 5);
      const d = diceScoreMeanForeground(z, t);
      expect(d.dataSync()[0]).toBeCloseTo(diceScoreOfLabels(pred, target, C), 5);
      // ignore_empty: the mean of the per-class Dice scores of classes 1 and 2 (class 3 is not in the target).
      const perClass = ref.perClass.dice.map((m) => (m as { value: number }).value);
      expect(diceScoreOfLabels(pred, target, C)).toBeCloseTo(
        ((perClass[1] as number) + (perClass[2] as number)) / 2,
        10,
      );
      tf.dispose([z, t, oneHot, d, m]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
