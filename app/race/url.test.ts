import { describe, expect, it } from 'vitest';
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
