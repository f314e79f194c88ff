// Issue 14 §1.4: NaN/±Infinity logits are refused with the same message on every backend, once per call or
// update, by computeLoss, lossAndGrad and the multi-loss engine (which keeps one read-back per valid update).
import { describe, expect, it, vi } from 'vitest';
import { computeLoss, lossAndGrad } from './compute';
import { evaluateLosses, evaluateLossesAsync } from './engine/evaluate';
import { GroundTruthContext } from './engine/gt-context';
import { allFinite, nonFiniteLogitsMessage } from './finite-logits';
import { IMPLEMENTED_LOSSES } from './registry';
import { describeEachBackend } from './testing/backends';
import { normal, rng } from './testing/properties';
import { tf } from './tf';

const shape: [number, number, number, number] = [1, 6, 8, 2];
const [, H, W, C] = shape;
const labels = Int32Array.from({ length: H * W }, (_, i) => (i % W >= 3 && i % W < 6 ? 1 : 0));

/** Finite logits with 3 NaN and 1 +Infinity, the first at n=0, y=4, x=7, class 1. */
function badLogits(): Float32Array {
  const x = normal(rng(3), H * W * C, 2);
  const at = (y: number, xx: number, c: number) => (y * W + xx) * C + c;
  x[at(4, 7, 1)] = Number.NaN;
  x[at(5, 0, 0)] = Number.NaN;
  x[at(5, 1, 1)] = Number.NaN;
  x[at(5, 3, 0)] = Number.POSITIVE_INFINITY;
  return x;
}
const MESSAGE = 'logits contain 3 NaN and 1 +Infinity values (first at n=0, y=4, x=7, class 1)';

describe('nonFiniteLogitsMessage', () => {
  it('counts NaN, +Infinity and -Infinity and names the first position', () => {
    expect(nonFiniteLogitsMessage(badLogits(), shape)).toBe(MESSAGE);
    const x = new Float32Array(2 * 3 * 4 * 2);
    expect(nonFiniteLogitsMessage(x, [2, 3, 4, 2])).toBeNull();
    x[(((1 * 3 + 2) * 4 + 1) * 2 + 0) as number] = Number.NEGATIVE_INFINITY;
    expect(nonFiniteLogitsMessage(x, [2, 3, 4, 2])).toBe(
      'logits contain 1 -Infinity value (first at n=1, y=2, x=1, class 0)',
    );
    x[0] = Number.POSITIVE_INFINITY;
    x[1] = Number.NaN;
    expect(nonFiniteLogitsMessage(x, [2, 3, 4, 2])).toBe(
      'logits contain 1 NaN, 1 +Infinity and 1 -Infinity values (first at n=0, y=0, x=0, class 0)',
    );
  });
});

describeEachBackend('non-finite logits', () => {
  it('computeLoss under a gradient tape that then throws (a bad parameter) leaves no tensor behind', () => {
    const x = tf.tensor4d(normal(rng(6), H * W * C, 1), shape);
    const t = tf.tensor3d(labels, [1, H, W], 'int32');
    const before = tf.memory().numTensors;
    expect(() =>
      tf.tidy(() => tf.grad((z: tf.Tensor) => computeLoss('focal', z as tf.Tensor4D, t, { gamma: -1 }))(x)),
    ).toThrow(/gamma/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, t]);
  });

  it('allFinite: one scalar read-back says whether any value is NaN or ±Infinity', () => {
    const fine = normal(rng(5), H * W * C, 1e30); // large but finite: x − x is still exactly 0
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null]) {
      for (const at of [0, 37, H * W * C - 1]) {
        const data = fine.slice();
        if (bad !== null) data[at] = bad;
        const x = tf.tensor4d(data, shape);
        const before = tf.memory().numTensors;
        const spy = vi.spyOn(tf.Tensor.prototype, 'dataSync');
        expect(allFinite(x)).toBe(bad === null);
        expect(spy).toHaveBeenCalledTimes(1); // the scalar flag, not the logits
        expect(spy.mock.contexts[0]).not.toBe(x);
        spy.mockRestore();
        expect(tf.memory().numTensors).toBe(before);
        x.dispose();
      }
    }
  });

  it('every implemented loss refuses them in computeLoss and lossAndGrad, naming the loss', () => {
    const x = tf.tensor4d(badLogits(), shape);
    const t = tf.tensor3d(labels, [1, H, W], 'int32');
    const before = tf.memory().numTensors;
    for (const def of IMPLEMENTED_LOSSES) {
      expect(() => computeLoss(def.id, x, t)).toThrow(`${def.id}: ${MESSAGE}`);
      expect(() => lossAndGrad(def.id, x, t)).toThrow(`${def.id}: ${MESSAGE}`);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, t]);
  });

  it('the engine refuses them once per update: host copy (no read-back) or device flag (same read-back)', async () => {
    const data = badLogits();
    const x = tf.tensor4d(data, shape);
    const t = tf.tensor3d(labels, [1, H, W], 'int32');
    const ctx = GroundTruthContext.fromLabels(labels, [1, H, W], C);
    const requests = [{ id: 'cross-entropy' as const }, { id: 'unified-focal' as const }, { id: 'dice' as const }];
    const fine = normal(rng(4), H * W * C, 2);
    const y = tf.tensor4d(fine, shape);
    evaluateLosses(y, t, requests, ctx); // fills the context's cached constants (not a leak)
    const before = tf.memory().numTensors;
    const spy = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    const host = evaluateLosses(x, t, requests, ctx, { hostLogits: data });
    expect(spy).not.toHaveBeenCalled();
    expect(host.reads).toBe(0);
    spy.mockRestore();
    const device = evaluateLosses(x, t, requests, ctx);
    const deviceAsync = await evaluateLossesAsync(x, t, requests, ctx);
    for (const out of [host, device, deviceAsync]) {
      expect(out.inputError).toBe(MESSAGE);
      expect(out.results.map((r) => r.error)).toEqual([MESSAGE, MESSAGE, MESSAGE]);
      expect(out.results.every((r) => r.value === null && r.grad === null)).toBe(true);
    }
    expect(tf.memory().numTensors).toBe(before);
    // Finite logits: the flag rides in the single read-back.
    const spy2 = vi.spyOn(tf.Tensor.prototype, 'dataSync');
    const ok = evaluateLosses(y, t, requests, ctx, { hostLogits: fine });
    expect(spy2).toHaveBeenCalledTimes(1);
    spy2.mockRestore();
    expect(ok.reads).toBe(1);
    expect(ok.inputError).toBeNull();
    expect(ok.results.every((r) => r.error === null && Number.isFinite(r.value))).toBe(true);
    tf.dispose([x, y, t]);
    ctx.dispose();
  });
});

describeEachBackend('generalised-wasserstein-dice with underflowing probabilities', () => {
  // Every correct logit leads by `lead`: the wrong-class probability is e^−lead, so E = Σ W_i = (pixels)·e^−lead
  // and L = E / (E + 2·TP + ε) ≈ e^−lead (TP ≈ number of foreground pixels, all W ≈ 0).
  for (const lead of [60, 88, 100, 200]) {
    it(`lead ${lead}: finite value ≈ e^−lead and a finite gradient`, () => {
      const x = new Float32Array(H * W * C);
      labels.forEach((t, i) => {
        x[i * C + t] = lead;
      });
      const { value, grad } = lossAndGrad(
        'generalised-wasserstein-dice',
        tf.tensor4d(x, shape),
        tf.tensor3d(labels, [1, H, W], 'int32'),
      );
      const v = value.dataSync()[0] as number;
      const g = grad.dataSync();
      tf.dispose([value, grad]);
      expect(g.every((e) => Number.isFinite(e))).toBe(true);
      expect(Number.isFinite(v)).toBe(true);
      const fg = labels.reduce((a, b) => a + b, 0);
      const want = (H * W * Math.exp(-lead)) / (2 * fg);
      if (want > 1e-37) expect(Math.abs(v - want) / want).toBeLessThan(1e-3);
      else expect(v).toBeLessThan(1e-37);
      // Raising a wrong-class logit raises the loss: gradient ≥ 0 there, ≤ 0 on the correct class.
      labels.forEach((t, i) => {
        expect(g[i * C + t] as number).toBeLessThanOrEqual(0);
        expect(g[i * C + (1 - t)] as number).toBeGreaterThanOrEqual(0);
      });
    });
  }
});
