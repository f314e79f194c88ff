// The explorer's numeric ranges: min..max normally, hardMin/hardMax with ?advanced=1, never NaN/±∞, and never
// beyond what resolveParams (the library) accepts.
import { describe, expect, it } from 'vitest';
import { getLoss, isImplemented, LOSSES, type NumberParam, resolveParams } from '../src';
import { acceptedRange, formatRange, isAdvancedMode, isWidened, rangeError } from './param-range';

const gamma = getLoss('focal').params.gamma as NumberParam;
const alpha = getLoss('focal').params.alpha as NumberParam;

describe('advanced parameter ranges', () => {
  it('reads ?advanced=1 from the query string only', () => {
    expect(isAdvancedMode('?advanced=1')).toBe(true);
    expect(isAdvancedMode('?backend=cpu&advanced=true')).toBe(true);
    expect(isAdvancedMode('')).toBe(false);
    expect(isAdvancedMode('?advanced=0')).toBe(false);
    expect(isAdvancedMode('?advanced')).toBe(false);
  });

  it('keeps min..max without the flag', () => {
    expect(acceptedRange(gamma, false)).toEqual({ min: 0, max: 5 });
    expect(rangeError(gamma, 5, false)).toBeNull();
    expect(rangeError(gamma, 8, false)).toMatch(
      /must lie in \[0, 5\], got 8 \(open the page with \?advanced=1 to allow \[0, ∞\)\)/,
    );
    expect(rangeError(alpha, 1.5, false)).toBe('must lie in [0, 1], got 1.5'); // no hint: advanced would not help
  });

  it('widens to the hard bounds with the flag, still refusing negatives, NaN and ±∞', () => {
    expect(isWidened(gamma)).toBe(true);
    expect(acceptedRange(gamma, true)).toEqual({ min: 0, max: Number.POSITIVE_INFINITY });
    expect(formatRange(acceptedRange(gamma, true))).toBe('[0, ∞)');
    expect(rangeError(gamma, 12, true)).toBeNull();
    expect(rangeError(gamma, -0.5, true)).toBe('must lie in [0, ∞), got -0.5');
    expect(rangeError(gamma, Number.NaN, true)).toMatch(/finite/);
    expect(rangeError(gamma, Number.POSITIVE_INFINITY, true)).toMatch(/finite/);
    expect(rangeError(gamma, null, true)).toBeNull();
  });

  it('does not widen a parameter that has only a min..max (alpha is a probability)', () => {
    expect(isWidened(alpha)).toBe(false);
    expect(rangeError(alpha, 1.5, true)).toBe('must lie in [0, 1], got 1.5');
  });

  it('accepts nothing in advanced mode that the library rejects, for every numeric parameter', () => {
    for (const def of LOSSES.filter(isImplemented)) {
      for (const [name, spec] of Object.entries(def.params)) {
        if (spec.kind !== 'number') continue;
        const r = acceptedRange(spec, true);
        const probes = [spec.min, spec.max, r.min, Number.isFinite(r.max) ? r.max : spec.max * 10 + 1];
        for (const v of probes) {
          if (rangeError(spec, v, true) !== null) continue;
          if (spec.integer && !Number.isInteger(v)) continue;
          // resolveParams merges over the defaults; other params may need classes: use the loss's own defaults.
          expect(() => resolveParams(def.id, def.params, { [name]: v }), `${def.id}.${name} = ${v}`).not.toThrow();
        }
        expect(() => resolveParams(def.id, def.params, { [name]: r.min - 1 })).toThrow(/must lie in/);
      }
    }
  });
});
