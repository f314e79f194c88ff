import { describe, expect, it } from 'vitest';
import { lossAndGrad } from '../../compute';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { bandLabels, standardLossProperties } from '../../testing/loss-properties';
import { lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';
import { normalisedDistMatrix } from './generalised-wasserstein-dice';

const shape: [number, number, number, number] = [2, 5, 6, 3];
const labels = bandLabels(2, 5, 6, 3);
const tree = [
  [0, 1, 1],
  [1, 0, 0.5],
  [1, 0.5, 0],
];

standardLossProperties('generalised-wasserstein-dice', { shape, labels, lr: 20 });
standardLossProperties('generalised-wasserstein-dice', { shape, labels, params: { weightingMode: 'GDL' }, lr: 20 });
standardLossProperties('generalised-wasserstein-dice', { shape, labels, params: { distMatrix: tree }, lr: 20 });

describeEachBackend('generalised-wasserstein-dice values', () => {
  const x = normal(rng(7), 180, 2);
  it('a background-only target gives 1 with a (numerically) zero gradient', () => {
    const bg = new Int32Array(30);
    const s: [number, number, number, number] = [1, 5, 6, 3];
    const { value, grad } = lossAndGrad(
      'generalised-wasserstein-dice',
      tf.tensor4d(x.slice(0, 90), s),
      tf.tensor3d(bg, [1, 5, 6], 'int32'),
    );
    expect(value.dataSync()[0]).toBe(1);
    expect(tf.max(tf.abs(grad)).dataSync()[0]).toBeLessThan(1e-12);
    tf.dispose([value, grad]);
  });
  it('scaling M does not change the loss (M is divided by its maximum)', () => {
    const scaled = tree.map((r) => r.map((v) => 3 * v));
    expect(lossValue('generalised-wasserstein-dice', x, labels, shape, { distMatrix: scaled })).toBeCloseTo(
      lossValue('generalised-wasserstein-dice', x, labels, shape, { distMatrix: tree }),
      6,
    );
  });
  it('cheaper confusions cost less: a smaller distance between classes 1 and 2 lowers the loss', () => {
    expect(lossValue('generalised-wasserstein-dice', x, labels, shape, { distMatrix: tree })).toBeLessThan(
      lossValue('generalised-wasserstein-dice', x, labels, shape),
    );
  });
});

describe('normalisedDistMatrix', () => {
  it('defaults to 1 − I and rescales by the maximum', () => {
    expect(normalisedDistMatrix(null, 2)).toEqual([
      [0, 1],
      [1, 0],
    ]);
    expect(
      normalisedDistMatrix(
        [
          [0, 4],
          [2, 0],
        ],
        2,
      ),
    ).toEqual([
      [0, 1],
      [0.5, 0],
    ]);
  });
});

standardBadInputs('generalised-wasserstein-dice');
