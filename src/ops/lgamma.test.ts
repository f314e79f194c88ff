import { describe, expect, it } from 'vitest';
import { lgamma } from './lgamma';

// Reference values: Python 3 math.lgamma (float64), printed with repr.
const REFERENCE: [number, number][] = [
  [1e-8, 18.42068073818021],
  [1e-5, 11.512919692895824],
  [0.001, 6.907178885383854],
  [0.1, 2.2527126517342055],
  [0.5, 0.5723649429247001], // exact: log √π
  [0.9, 0.0663762397347431],
  [1.2, -0.08537409000331608],
  [1.5, -0.12078223763524543],
  [2.5, 0.2846828704729196],
  [3.0, Math.LN2], // exact: log 2
  [7.3, 7.147892523022248],
  [10.0, 12.801827480081467],
  [14.9, 24.924132002217277],
  [15.0, 25.191221182738683],
  [15.1, 25.458999750992668],
  [33.3, 82.60372358165495],
  [100.0, 359.1342053695754],
  [1000.5, 5908.674175848678],
  [12345.678, 103959.91990554606],
  [131072.5, 1413416.102194219],
  [131073.859, 1413432.1159805767],
  [1e7, 151180949.3694739],
];

describe('lgamma', () => {
  it('matches reference values to 1e-13 relative', () => {
    for (const [x, want] of REFERENCE) {
      const got = lgamma(x);
      expect(Math.abs(got - want) / Math.abs(want), `lgamma(${x})`).toBeLessThan(1e-13);
    }
  });
  it('is ≈ 0 at its zeros x = 1 and x = 2 (absolute error)', () => {
    expect(Math.abs(lgamma(1))).toBeLessThan(1e-14);
    expect(Math.abs(lgamma(2))).toBeLessThan(1e-14);
    expect(Math.abs(lgamma(1.9999) - -4.227520877231328e-5)).toBeLessThan(1e-14);
  });
  it('satisfies log Γ(x + 1) = log Γ(x) + log x across the shift boundary', () => {
    for (const x of [0.3, 3.7, 13.5, 14.2, 14.999, 20, 4096.25]) {
      const lhs = lgamma(x + 1);
      const rhs = lgamma(x) + Math.log(x);
      expect(Math.abs(lhs - rhs) / Math.max(1, Math.abs(lhs))).toBeLessThan(1e-14);
    }
  });
  it('equals log((n−1)!) at integers', () => {
    let logFact = 0;
    for (let n = 2; n <= 60; n++) {
      logFact += Math.log(n - 1);
      expect(Math.abs(lgamma(n) - logFact) / Math.max(1, logFact)).toBeLessThan(1e-14);
    }
  });
  it('returns NaN outside x > 0', () => {
    expect(lgamma(0)).toBeNaN();
    expect(lgamma(-1.5)).toBeNaN();
    expect(lgamma(Number.NaN)).toBeNaN();
  });
});
