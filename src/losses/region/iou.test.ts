import { expect, it } from 'vitest';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { bandLabels, standardLossProperties } from '../../testing/loss-properties';
import { lossValue, normal, rng, softmaxByHand } from '../../testing/properties';

const shape: [number, number, number, number] = [2, 5, 6, 3];
const labels = bandLabels(2, 5, 6, 3);

standardLossProperties('iou', { shape, labels, lr: 20 });
standardLossProperties('iou', {
  shape,
  labels,
  params: { batch: true, squaredPred: true, includeBackground: false },
  lr: 20,
});

describeEachBackend('iou values', () => {
  it('equals 1 − (2I + s)/(2(S + G − I) + s) per image and class, computed by hand', () => {
    const x = normal(rng(7), 180, 2);
    const p = softmaxByHand(x, 3);
    let total = 0;
    for (let b = 0; b < 2; b++)
      for (let k = 0; k < 3; k++) {
        let inter = 0;
        let pred = 0;
        let truth = 0;
        for (let i = b * 30; i < (b + 1) * 30; i++) {
          const y = labels[i] === k ? 1 : 0;
          inter += (p[i * 3 + k] as number) * y;
          pred += p[i * 3 + k] as number;
          truth += y;
        }
        total += 1 - (2 * inter + 1e-5) / (2 * (pred + truth - inter) + 1e-5);
      }
    expect(lossValue('iou', x, labels, shape)).toBeCloseTo(total / 6, 5);
  });
  it('without smoothing, one class: 1 − IoU = 1 − D/(2 − D) with the Dice coefficient D', () => {
    const s: [number, number, number, number] = [1, 5, 6, 2];
    const l = bandLabels(1, 5, 6, 2);
    const x = normal(rng(9), 60, 2);
    const p = { includeBackground: false, smoothNr: 0, smoothDr: 0 };
    const d = 1 - lossValue('dice', x, l, s, p);
    expect(lossValue('iou', x, l, s, p)).toBeCloseTo(1 - d / (2 - d), 5);
  });
});

standardBadInputs('iou');
