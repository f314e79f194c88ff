import { describe, expect, it } from 'vitest';
import { axisSpecs, DEFAULT_LANDSCAPE_SETTINGS, staleReason } from './state';

describe('landscape settings', () => {
  it('defaults to a 21-point line towards the GT and a 15×15 grid, both with a point on the origin', () => {
    const line = axisSpecs(DEFAULT_LANDSCAPE_SETTINGS);
    expect(line).toEqual({ axes: [{ direction: 'towards-gt', from: -1, to: 1, points: 21, seed: 1 }] });
    const grid = axisSpecs({ ...DEFAULT_LANDSCAPE_SETTINGS, dims: 2 });
    expect('axes' in grid && grid.axes.map((a) => [a.direction, a.points, a.seed])).toEqual([
      ['towards-gt', 15, 1],
      ['random', 15, 2],
    ]);
  });

  it('explains bad resolutions and ranges instead of requesting them', () => {
    expect(axisSpecs({ ...DEFAULT_LANDSCAPE_SETTINGS, points1d: 40 })).toEqual({
      error: expect.stringMatching(/11 to 31, got 40/),
    });
    expect(axisSpecs({ ...DEFAULT_LANDSCAPE_SETTINGS, points1d: 12.5 })).toHaveProperty('error');
    expect(axisSpecs({ ...DEFAULT_LANDSCAPE_SETTINGS, fromA: 1, toA: 1 })).toEqual({
      error: expect.stringMatching(/axis a.*from < to/),
    });
    expect(axisSpecs({ ...DEFAULT_LANDSCAPE_SETTINGS, toA: Number.NaN })).toHaveProperty('error');
    // Axis b only matters on a grid.
    expect(axisSpecs({ ...DEFAULT_LANDSCAPE_SETTINGS, fromB: 3 })).toHaveProperty('axes');
    expect(axisSpecs({ ...DEFAULT_LANDSCAPE_SETTINGS, dims: 2, fromB: 3 })).toEqual({
      error: expect.stringMatching(/axis b/),
    });
  });

  it('says why a result is stale: another loss, new masks or new parameters', () => {
    const target = new Int32Array(4);
    const logits = new Float32Array(8);
    const params = { gamma: 2 };
    const inputs = { lossId: 'focal' as const, target, logits, params };
    const now = { focusedLoss: 'focal' as const, target, logits, params: { focal: params } };
    expect(staleReason(null, now)).toBeNull();
    expect(staleReason(inputs, now)).toBeNull();
    expect(staleReason(inputs, { ...now, focusedLoss: 'dice' })).toMatch(/another loss/);
    expect(staleReason(inputs, { ...now, logits: new Float32Array(8) })).toMatch(/masks changed/);
    expect(staleReason(inputs, { ...now, target: new Int32Array(4) })).toMatch(/masks changed/);
    expect(staleReason(inputs, { ...now, params: { focal: { gamma: 3 } } })).toMatch(/parameters changed/);
  });
});
