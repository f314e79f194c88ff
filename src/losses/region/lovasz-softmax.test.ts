import { expect, it } from 'vitest';
import { applyOrder, descendingOrder } from '../../ops/sort';
import { describeEachBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { standardLossProperties } from '../../testing/loss-properties';
import { lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';

const shape: [number, number, number, number] = [1, 6, 7, 3];
const labels = Int32Array.from({ length: 42 }, (_, i) => (i % 7 < 3 ? 0 : i < 21 ? 1 : 2));
const id = 'lovasz-softmax';

// Piecewise smooth (the order is constant between ties): the gradient is checked on a tiny case whose errors are
// well apart, so no ±h step reorders them; all 12 logits are probed.
const tinyShape: [number, number, number, number] = [1, 2, 3, 2];
const tiny = Int32Array.from([0, 1, 1, 0, 1, 0]);
const tinyFd = { shape: tinyShape, labels: tiny, logits: normal(rng(11), 12, 2), probes: 12, step: 3e-3 };
standardLossProperties(id, { shape, labels, lr: 20, minDecrease: 0.1, fd: tinyFd });
standardLossProperties(id, {
  shape,
  labels,
  params: { classes: 'all', perImage: true },
  lr: 20,
  minDecrease: 0.1,
  fd: tinyFd,
});
standardBadInputs(id);

describeEachBackend(`${id} values`, () => {
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
});
