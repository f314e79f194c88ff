import { describe, expect, it } from 'vitest';
import { minMax } from './NamedAxesPanel';
import { DEFAULT_NAMED_SETTINGS, namedAxisSpecs } from './named-state';

describe('named-axis settings', () => {
  it('the defaults give one shift-x axis of 33 points and the demo losses', () => {
    const r = namedAxisSpecs(DEFAULT_NAMED_SETTINGS, 'focal');
    if ('error' in r) throw new Error(r.error);
    expect(r.axes).toEqual([{ transform: 'shift-x', from: -8, to: 8, points: 33 }]);
    expect(r.losses).toContain('boundary-loss');
  });

  it('2-D: two different axes, the focused loss, 33×33 by default', () => {
    const r = namedAxisSpecs({ ...DEFAULT_NAMED_SETTINGS, dims: 2 }, 'focal');
    if ('error' in r) throw new Error(r.error);
    expect(r.axes.map((a) => [a.transform, a.points])).toEqual([
      ['shift-x', 33],
      ['dilate', 33],
    ]);
    expect(r.losses).toEqual(['focal']);
    const same = namedAxisSpecs({ ...DEFAULT_NAMED_SETTINGS, dims: 2, axisB: 'shift-x' }, 'focal');
    expect(same).toEqual({ error: 'Choose two different axes for the grid.' });
  });

  it('says what is wrong: out-of-range coordinates, from ≥ to, bad point counts, nothing to draw', () => {
    const fn = namedAxisSpecs({ ...DEFAULT_NAMED_SETTINGS, axisA: 'fn-mass', fromA: 0, toA: 2 }, 'dice');
    expect('error' in fn && fn.error).toMatch(/false-negative mass.*0 to 1 fraction.*0 … 2/);
    const order = namedAxisSpecs({ ...DEFAULT_NAMED_SETTINGS, fromA: 3, toA: 1 }, 'dice');
    expect('error' in order && order.error).toMatch(/from < to/);
    const pts = namedAxisSpecs({ ...DEFAULT_NAMED_SETTINGS, points1d: 2.5 }, 'dice');
    expect('error' in pts && pts.error).toMatch(/5 to 65, got 2\.5/);
    const none = namedAxisSpecs({ ...DEFAULT_NAMED_SETTINGS, losses: [], metrics: false }, 'dice');
    expect(none).toEqual({ error: 'Tick at least one loss or the metrics.' });
  });

  it('minMax maps the finite values to [0, 1], keeps NaN, draws a flat series at 0', () => {
    expect(minMax([2, 4, Number.NaN, 3])).toEqual([0, 1, Number.NaN, 0.5]);
    expect(minMax([5, 5])).toEqual([0, 0]);
  });
});
