// Metrics against MONAI's golden values (src/golden/data/metrics.json) on cpu and wasm, undefined handling,
// means, bad input, and that the argmax read-back leaks no tensor.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkMetricFile } from '../golden/metric-check';
import { parseMetricGoldenFile } from '../golden/metric-format';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { labelMetrics } from './label-metrics';
import { segmentationMetrics } from './segmentation-metrics';
import { quantileSorted } from './surface';

const golden = parseMetricGoldenFile(
  readFileSync(join(import.meta.dirname, '../golden/data/metrics.json'), 'utf8'),
  'metrics.json',
);

describeEachBackend('metrics vs MONAI golden', () => {
  it('every case and metric is within the file tolerance, undefined where MONAI gives nan/inf', () => {
    const before = tf.memory().numTensors;
    const results = checkMetricFile(golden);
    expect(results.length).toBe(golden.cases.length * 5);
    for (const r of results) expect(r.passed, `${r.loss} ${r.caseId}: ${r.reason}`).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('takes the argmax of logits (ties to the lowest class)', () => {
    // 1×1×3 image, 2 classes: pixel 0 → class 1, pixel 1 → tie → class 0, pixel 2 → class 0.
    const logits = tf.tensor4d([0, 2, 1, 1, 3, -1], [1, 1, 3, 2]);
    const s = segmentationMetrics(logits, [1, 0, 1], { includeBackground: true });
    logits.dispose();
    expect(s.perClass.dice[1]).toEqual({ kind: 'value', value: (2 * 1) / (1 + 2) });
    expect(s.perClass.iou[0]).toEqual({ kind: 'value', value: 1 / 2 });
  });
});

describe('metrics: undefined values and means', () => {
  const h = 8;
  const w = 8;
  const empty = new Array(h * w).fill(0);
  const square = empty.map((_, i) =>
    Math.floor(i / w) >= 2 && Math.floor(i / w) < 5 && i % w >= 2 && i % w < 5 ? 1 : 0,
  );

  it('an empty prediction gives undefined surface metrics with MONAI statuses, Dice 0', () => {
    const s = labelMetrics(empty, square, [1, h, w], 2);
    expect(s.perClass.dice[1]).toEqual({ kind: 'value', value: 0 });
    expect(s.perClass.hd[1]).toMatchObject({ kind: 'undefined', reason: 'empty-prediction', monai: 'inf' });
    expect(s.perClass.hd95[1]).toMatchObject({ kind: 'undefined', reason: 'empty-prediction', monai: 'nan' });
    expect(s.perClass.assd[1]).toMatchObject({ kind: 'undefined', reason: 'empty-prediction', monai: 'inf' });
    // The foreground mean runs over class 1 only, so it is undefined too and says why.
    expect(s.meanClasses).toEqual([1]);
    expect(s.mean.hd).toMatchObject({ kind: 'undefined', reason: 'undefined-class' });
    expect((s.mean.hd as { message: string }).message).toMatch(
      /class 1 is undefined: class absent from the prediction/,
    );
    expect(s.mean.dice).toEqual({ kind: 'value', value: 0 });
  });

  it('an empty target and a class absent from both', () => {
    const s = labelMetrics(square, empty, [1, h, w], 3, { includeBackground: true });
    expect(s.perClass.hd[1]).toMatchObject({ kind: 'undefined', reason: 'empty-target', monai: 'inf' });
    expect(s.perClass.hd[2]).toMatchObject({ kind: 'undefined', reason: 'both-empty', monai: 'nan' });
    expect(s.perClass.dice[2]).toEqual({ kind: 'value', value: 1 });
    expect(s.meanClasses).toEqual([0, 1]);
  });

  it('no foreground class anywhere: the mean is undefined, not a number', () => {
    const s = labelMetrics(empty, empty, [1, h, w], 2);
    expect(s.meanClasses).toEqual([]);
    expect(s.mean.dice).toMatchObject({ kind: 'undefined', reason: 'no-class-present' });
  });

  it('a one-pixel shift: HD 1, Dice of two 3×3 squares overlapping in 6 pixels', () => {
    const shifted = square.map((_, i) => (i % w === 0 ? 0 : (square[i - 1] as number)));
    const s = labelMetrics(shifted, square, [1, h, w], 2);
    expect(s.mean.hd).toEqual({ kind: 'value', value: 1 });
    expect(s.mean.dice).toEqual({ kind: 'value', value: 12 / 18 });
  });

  it('quantile interpolates linearly like numpy.percentile', () => {
    expect(quantileSorted(Float64Array.from([0, 1, 2, 10]), 0.95)).toBeCloseTo(2 + 0.85 * 8, 12);
    expect(quantileSorted(Float64Array.from([3]), 0.95)).toBe(3);
  });

  it('refuses bad input with a clear message', () => {
    expect(() => labelMetrics([0, 1], [0], [1, 1, 2], 2)).toThrow(/target has 1 entries, expected 2/);
    expect(() => labelMetrics([0, 5], [0, 1], [1, 1, 2], 2)).toThrow(/prediction\[1\] = 5 is not a class index/);
  });
});
