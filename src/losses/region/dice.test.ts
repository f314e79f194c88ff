import { expect, it } from 'vitest';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { bandLabels, standardLossProperties } from '../../testing/loss-properties';
import { lossValue, normal, rng } from '../../testing/properties';

const shape: [number, number, number, number] = [2, 5, 6, 3];
const labels = bandLabels(2, 5, 6, 3);

standardLossProperties('dice', { shape, labels, lr: 20 });
standardLossProperties('dice', {
  shape,
  labels,
  params: { batch: true, squaredPred: true, includeBackground: false },
  lr: 20,
});
standardBadInputs('dice');

/** MONAI's soft Dice in float64: mean over images (or the batch) and classes of 1 − (2I + s)/(S + G + s). */
function diceByHand(x: Float32Array, batch: boolean, squared: boolean, first: number, s = 1e-5): number {
  const [n, h, w, c] = shape;
  const px = h * w;
  const groups = batch ? [[0, 1]] : [[0], [1]];
  let total = 0;
  let count = 0;
  for (const images of groups)
    for (let k = first; k < c; k++) {
      let inter = 0;
      let pred = 0;
      let truth = 0;
      for (const b of images)
        for (let i = b * px; i < (b + 1) * px; i++) {
          const z = Array.from(x.subarray(i * c, (i + 1) * c));
          const m = Math.max(...z);
          const p = Math.exp((z[k] as number) - m) / z.reduce((a, v) => a + Math.exp(v - m), 0);
          const y = labels[i] === k ? 1 : 0;
          inter += p * y;
          pred += squared ? p * p : p;
          truth += y;
        }
      total += 1 - (2 * inter + s) / (pred + truth + s);
      count++;
    }
  expect(n).toBe(2);
  return total / count;
}

describeEachBackend('dice values', () => {
  const x = normal(rng(7), 180, 2);
  it('equals the soft Dice computed by hand (per image, with background)', () => {
    expect(lossValue('dice', x, labels, shape)).toBeCloseTo(diceByHand(x, false, false, 0), 5);
  });
  it('equals the soft Dice computed by hand (batch, squared prediction, foreground only)', () => {
    const p = { batch: true, squaredPred: true, includeBackground: false };
    expect(lossValue('dice', x, labels, shape, p)).toBeCloseTo(diceByHand(x, true, true, 1), 5);
  });
  it('is invariant to a permutation of the pixels inside an image (the sums forget position)', () => {
    const px = 30;
    const perm = Array.from({ length: px }, (_, i) => (i * 7) % px); // 7 is coprime to 30
    const xp = new Float32Array(180);
    const lp = new Int32Array(60);
    for (let b = 0; b < 2; b++)
      perm.forEach((from, to) => {
        lp[b * px + to] = labels[b * px + from] as number;
        xp.set(x.subarray((b * px + from) * 3, (b * px + from + 1) * 3), (b * px + to) * 3);
      });
    expect(lossValue('dice', xp, lp, shape)).toBeCloseTo(lossValue('dice', x, labels, shape), 6);
  });
  it('batch Dice equals per-image Dice when both images are the same', () => {
    const twin = Int32Array.from({ length: 60 }, (_, i) => labels[i % 30] as number);
    const xt = Float32Array.from({ length: 180 }, (_, i) => x[i % 90] as number);
    expect(lossValue('dice', xt, twin, shape, { batch: true })).toBeCloseTo(lossValue('dice', xt, twin, shape), 6);
  });
});
