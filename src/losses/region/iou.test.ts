import { expect, it } from 'vitest';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { bandLabels, standardLossProperties } from '../../testing/loss-properties';
import { lossValue, normal, rng } from '../../testing/properties';

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
