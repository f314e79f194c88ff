import { expect, it } from 'vitest';
import { computeLoss } from '../../compute';
import { applyOrder, descendingOrder } from '../../ops/sort';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { bandLabels, standardLossProperties } from '../../testing/loss-properties';
import { confidentLogits, descend, finiteDifferenceError, lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';

const shape: [number, number, number, number] = [1, 6, 7, 3];
const labels = Int32Array.from({ length: 42 }, (_, i) => (i % 7 < 3 ? 0 : i < 21 ? 1 : 2));
const id = 'lovasz-softmax';

describeEachBackend(id, () => {
  it('is ≈ 0 (its minimum) at a confident correct prediction', () => {
    const v = lossValue(id, confidentLogits(labels, shape), labels, shape);
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThan(1e-4);
  });
  it('gradient agrees with central finite differences', () => {
    // Piecewise smooth (the order is constant between ties): a tiny case whose errors are well apart, so no
    // ±h step reorders them; all 12 logits are probed.
    const tinyShape: [number, number, number, number] = [1, 2, 3, 2];
    const tiny = Int32Array.from([0, 1, 1, 0, 1, 0]);
    const x = normal(rng(11), 12, 2);
    expect(finiteDifferenceError(id, x, tiny, tinyShape, {}, 12, 3e-3)).toBeLessThan(2e-2);
    expect(finiteDifferenceError(id, x, tiny, tinyShape, { classes: 'all', perImage: true }, 12, 3e-3)).toBeLessThan(
      2e-2,
    );
  });
  it('50 steps of gradient descent lower it', () => {
    const { before, after } = descend(id, normal(rng(2), 42 * 3, 2), labels, shape, {}, 50, 20);
    expect(after).toBeLessThan(before - 0.1);
  });
  it("'all' adds max_i p_ic for an absent class", () => {
    const two = Int32Array.from(labels, (v) => (v === 2 ? 1 : v)); // class 2 absent
    const x = normal(rng(4), 42 * 3, 1);
    const present = lossValue(id, x, two, shape);
    const all = lossValue(id, x, two, shape, { classes: 'all' });
    const maxP2 = tf.tidy(() => tf.max(tf.slice(tf.softmax(tf.tensor2d(x, [42, 3])), [0, 2], [42, 1])).dataSync()[0]);
    expect(all).toBeCloseTo((2 * present + (maxP2 as number)) / 3, 5);
  });
  it('equals the explicit sorted form Σ_k e_(k) Δ_k (applyOrder path)', () => {
    const x = normal(rng(5), 42 * 3, 1.5);
    const ours = lossValue(id, x, labels, shape);
    const explicit = tf.tidy(() => {
      const p = tf.softmax(tf.tensor2d(x, [42, 3]));
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
      const e = tf.transpose(tf.abs(tf.sub(y, p))) as tf.Tensor2D; // [C, P]
      const sorted = applyOrder(e, descendingOrder(e)).arraySync();
      const gt = labels;
      const order = descendingOrder(e).order;
      let total = 0;
      for (let c = 0; c < 3; c++) {
        const G = gt.filter((v) => v === c).length;
        let fg = 0;
        let bg = 0;
        let prev = 0;
        for (let k = 0; k < 42; k++) {
          if (gt[order[c * 42 + k] as number] === c) fg++;
          else bg++;
          const j = 1 - (G - fg) / (G + bg);
          total += (sorted[c]?.[k] as number) * (j - prev);
          prev = j;
        }
      }
      return total / 3;
    });
    expect(ours).toBeCloseTo(explicit, 6);
  });
  it('leaks no tensors', () => {
    const x = tf.tensor4d(normal(rng(3), 42 * 3), shape);
    const t = tf.tensor3d(labels, shape.slice(0, 3) as [number, number, number], 'int32');
    const before = tf.memory().numTensors;
    computeLoss(id, x, t).dispose();
    tf.tidy(() => {
      tf.grad((z: tf.Tensor) => computeLoss(id, z as tf.Tensor4D, t, { perImage: true }))(x);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, t]);
  });
});

standardBadInputs('lovasz-softmax');

// The shared property suite (issue 10.8), on the standard 2×5×6×3 band image.
standardLossProperties('lovasz-softmax', {
  shape: [2, 5, 6, 3],
  labels: bandLabels(2, 5, 6, 3),
  lr: 20,
  title: 'lovasz-softmax standard properties',
});
