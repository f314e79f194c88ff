import { expect, it } from 'vitest';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { bandLabels, standardLossProperties } from '../../testing/loss-properties';
import { lossValue, normal, rng } from '../../testing/properties';

const shape: [number, number, number, number] = [2, 5, 6, 3];
const labels = bandLabels(2, 5, 6, 3);

standardLossProperties('tversky', { shape, labels, lr: 20 });
standardLossProperties('tversky', { shape, labels, params: { alpha: 0.3, beta: 0.7, batch: true }, lr: 20 });

describeEachBackend('tversky values', () => {
  const x = normal(rng(7), 180, 2);
  it('α = β = 0.5 is Dice (same smoothing)', () => {
    const s = { smoothNr: 0, smoothDr: 0 };
    expect(lossValue('tversky', x, labels, shape, s)).toBeCloseTo(lossValue('dice', x, labels, shape, s), 5);
  });
  it('alphaOn = FN swaps the roles of α and β', () => {
    expect(lossValue('tversky', x, labels, shape, { alpha: 0.7, beta: 0.3, alphaOn: 'FN' })).toBeCloseTo(
      lossValue('tversky', x, labels, shape, { alpha: 0.3, beta: 0.7 }),
      6,
    );
  });
  it('a larger FN weight penalises missed foreground more', () => {
    // predict background everywhere (misses every foreground pixel)
    const under = new Float32Array(180);
    for (let i = 0; i < 60; i++) under[i * 3] = 4;
    const fg = { includeBackground: false };
    const recall = lossValue('tversky', under, labels, shape, { ...fg, alpha: 0.3, beta: 0.7 });
    const precision = lossValue('tversky', under, labels, shape, { ...fg, alpha: 0.7, beta: 0.3 });
    expect(recall).toBeGreaterThan(precision);
  });
});

standardBadInputs('tversky');
