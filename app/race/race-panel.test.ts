import { describe, expect, it } from 'vitest';
import { logitsFromSnapshot } from './client';
import { raceSettings } from './state';
import { parseRaceParams } from './url';

describe('race URL parameters', () => {
  it('reads losses, mode and steps', () => {
    const u = parseRaceParams('?race=cross-entropy,dice&raceMode=network&raceSteps=200');
    expect(u).toEqual({
      open: true,
      notice: null,
      settings: { losses: ['cross-entropy', 'dice'], mode: 'network', steps: 200 },
    });
  });

  it('nothing to do without race parameters', () => {
    expect(parseRaceParams('?backend=wasm').open).toBe(false);
  });

  it('names bad ids, modes and step counts and keeps the rest', () => {
    const u = parseRaceParams('?race=dice,nope,focal&raceMode=fast&raceSteps=5000');
    expect(u.open).toBe(true);
    expect(u.settings).toEqual({ losses: ['dice', 'focal'] });
    expect(u.notice).toMatch(/unknown loss id 'nope'/);
    expect(u.notice).toMatch(/raceMode 'fast'/);
    expect(u.notice).toMatch(/raceSteps '5000'/);
  });
});

describe('race settings from the panel', () => {
  it('maps the shared and per-loss rates', () => {
    const base = {
      losses: ['cross-entropy', 'dice'] as ('cross-entropy' | 'dice')[],
      mode: 'logits' as const,
      optimiser: 'sgd' as const,
      rateKind: 'shared' as const,
      rate: 0.3,
      rates: { dice: 2 },
      steps: 10,
    };
    expect(raceSettings(base).lr).toEqual({ kind: 'shared', rate: 0.3 });
    expect(raceSettings({ ...base, rateKind: 'per-loss' }).lr).toEqual({ kind: 'per-loss', rates: [0.3, 2] });
    expect(raceSettings(base).losses).toEqual([{ id: 'cross-entropy' }, { id: 'dice' }]);
  });
});

describe('adopting a snapshot', () => {
  it('logits are log p of the 8-bit probabilities, floored at 1e-4', () => {
    const l = logitsFromSnapshot(Uint8Array.from([255, 0, 51]));
    expect(l[0]).toBeCloseTo(0, 6);
    expect(l[1]).toBeCloseTo(Math.log(1e-4), 5);
    expect(l[2]).toBeCloseTo(Math.log(0.2), 5);
  });
});
