import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { computeLoss } from '../../compute';
import { parseGoldenFile } from '../../golden/format';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { standardLossProperties } from '../../testing/loss-properties';
import { confidentLogits, descend, finiteDifferenceError, lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';

const shape: [number, number, number, number] = [1, 6, 7, 3];
const labels = Int32Array.from({ length: 42 }, (_, i) => (i % 7 < 3 ? 0 : i < 21 ? 1 : 2));
const id = 'combo';
const golden = parseGoldenFile(readFileSync(new URL('../../golden/data/combo.json', import.meta.url), 'utf8'));

describeEachBackend(id, () => {
  it('is ≈ −(1 − α), its minimum, at a confident correct prediction', () => {
    const v = lossValue(id, confidentLogits(labels, shape), labels, shape);
    expect(v).toBeGreaterThan(-0.5 - 1e-6);
    expect(v).toBeLessThan(-0.5 + 1e-3);
    const w = lossValue(id, confidentLogits(labels, shape), labels, shape, { alpha: 0.3 });
    expect(w).toBeCloseTo(-0.7, 3);
  });
  it('gradient agrees with central finite differences', () => {
    const x = normal(rng(1), 42 * 3, 1.5);
    expect(finiteDifferenceError(id, x, labels, shape)).toBeLessThan(2e-2);
    expect(
      finiteDifferenceError(id, x, labels, shape, { alpha: 0.3, beta: 0.8, includeBackground: true }),
    ).toBeLessThan(2e-2);
  });
  it('50 steps of gradient descent lower it', () => {
    const { before, after } = descend(id, normal(rng(2), 42 * 3, 2), labels, shape, {}, 50, 20);
    expect(after).toBeLessThan(before - 0.1);
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
  it('leaks no tensors', () => {
    const x = tf.tensor4d(normal(rng(3), 42 * 3), shape);
    const t = tf.tensor3d(labels, shape.slice(0, 3) as [number, number, number], 'int32');
    const before = tf.memory().numTensors;
    computeLoss(id, x, t).dispose();
    tf.tidy(() => {
      tf.grad((z: tf.Tensor) => computeLoss(id, z as tf.Tensor4D, t))(x);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, t]);
  });
});

standardBadInputs('combo');

// The shared property suite (issue 10.8): minimum −(1 − α) = −0.5 at the defaults.
standardLossProperties(id, { shape, labels, minimum: -0.5, minimumTolerance: 1e-3, lr: 20, minDecrease: 0.1 });
