import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseGoldenFile } from '../../golden/format';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { standardLossProperties } from '../../testing/loss-properties';
import { confidentLogits, finiteDifferenceError, lossValue, normal, rng } from '../../testing/properties';

const shape: [number, number, number, number] = [1, 6, 7, 3];
const labels = Int32Array.from({ length: 42 }, (_, i) => (i % 7 < 3 ? 0 : i < 21 ? 1 : 2));
const id = 'combo';
const golden = parseGoldenFile(readFileSync(new URL('../../golden/data/combo.json', import.meta.url), 'utf8'));

// The shared property suite (issue 10.8): minimum −(1 − α) = −0.5 at the defaults.
standardLossProperties(id, { shape, labels, minimum: -0.5, minimumTolerance: 1e-3, lr: 20, minDecrease: 0.1 });
standardBadInputs(id);

describeEachBackend(`${id} values`, () => {
  it('its minimum −(1 − α) moves with α', () => {
    const w = lossValue(id, confidentLogits(labels, shape), labels, shape, { alpha: 0.3 });
    expect(w).toBeCloseTo(-0.7, 3);
  });
  it('gradient agrees with central finite differences with α, β changed and the background in', () => {
    const x = normal(rng(1), 42 * 3, 1.5);
    expect(
      finiteDifferenceError(id, x, labels, shape, { alpha: 0.3, beta: 0.8, includeBackground: true }),
    ).toBeLessThan(2e-2);
  });
  it("asgsaeidVerbatim reproduces the official code's literal value (golden altValues)", () => {
    for (const c of golden.cases) {
      const want = c.altValues?.asgsaeidVerbatim as number;
      const got = lossValue(id, Float32Array.from(c.logits), Int32Array.from(c.target), c.shape, {
        ...c.params,
        asgsaeidVerbatim: true,
      });
      expect(Math.abs(got - want), c.id).toBeLessThan(1e-4 * Math.max(Math.abs(want), 1e-3));
    }
  });
  it('the official sign bug rewards false positives: raising a background logit lowers the verbatim loss', () => {
    const x = normal(rng(6), 42 * 3, 1);
    const bumped = Float32Array.from(x);
    bumped[1] = (bumped[1] as number) + 2; // pixel 0 is background; raise its class-1 logit
    const [a, b] = [x, bumped].map((z) => lossValue(id, z, labels, shape, { asgsaeidVerbatim: true, alpha: 1 }));
    expect(b).toBeLessThan(a as number);
    const [c, d] = [x, bumped].map((z) => lossValue(id, z, labels, shape, { alpha: 1 }));
    expect(d).toBeGreaterThan(c as number);
  });
});
