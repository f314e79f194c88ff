// The per-update memo of softmax / log-softmax: served only inside a scope and only while the tape is off, so
// that the engine's numbers are bit for bit those of each loss computed alone, and nothing outlives the scope.
import { expect, it } from 'vitest';
import { lossAndGrad } from '../compute';
import { type EvaluationResult, evaluateLosses, evaluateLossesAsync } from '../engine/evaluate';
import { GroundTruthContext } from '../engine/gt-context';
import { loadInverseFormNetFromFile } from '../inverseform/load-node';
import { IMPLEMENTED_LOSSES } from '../registry';
import { describeEachBackend } from '../testing/backends';
import { normal, rng } from '../testing/properties';
import { tf } from '../tf';
import { complementProbabilities } from './complement';
import { hostValues, predictionMemoSize, predictionScope, predictionScopeSync } from './prediction-memo';
import { logSoftmax, softmax } from './probabilities';

/**
 * Each engine result equals, bit for bit, the loss's value and gradient computed alone; at most one loss may
 * fail (one that needs weights Node could not load: evaluate.test.ts covers it). Disposes the inputs.
 */
function expectEachAsAlone(
  results: EvaluationResult['results'],
  l: tf.Tensor4D,
  t: tf.Tensor3D,
  ctx: GroundTruthContext,
  requested: number,
): void {
  for (const res of results) {
    if (res.error) continue;
    const alone = lossAndGrad(res.id, l, t, {}, ctx);
    expect([res.id, res.value]).toEqual([res.id, alone.value.dataSync()[0]]);
    expect(res.grad && Array.from(res.grad)).toEqual(Array.from(alone.grad.dataSync()));
    alone.value.dispose();
    alone.grad.dispose();
  }
  expect(results.filter((x) => x.error === null).length).toBeGreaterThan(requested - 2);
  ctx.dispose();
  l.dispose();
  t.dispose();
}

describeEachBackend('prediction memo', () => {
  const x = () => tf.tensor4d(normal(rng(3), 4 * 5 * 2, 2), [1, 4, 5, 2]);

  it('memoises nothing outside a scope', () => {
    const l = x();
    const before = tf.memory().numTensors;
    const a = softmax(l);
    const b = softmax(l);
    expect(a).not.toBe(b);
    a.dispose();
    b.dispose();
    expect(predictionMemoSize()).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
    l.dispose();
  });

  it('serves one tensor per kind inside a scope with the tape off, and disposes them when the scope ends', async () => {
    const l = x();
    const before = tf.memory().numTensors;
    await predictionScope(l, async () => {
      expect(softmax(l)).toBe(softmax(l));
      expect(logSoftmax(l)).toBe(logSoftmax(l));
      // what is derived from a memoised tensor is memoised with it; from another tensor, it is not
      expect(complementProbabilities(softmax(l))).toBe(complementProbabilities(softmax(l)));
      tf.tidy(() => {
        const fresh = tf.add(softmax(l), 0);
        expect(complementProbabilities(fresh)).not.toBe(complementProbabilities(fresh));
      });
      // another tensor with other values is not served from this scope's memo
      const other = tf.add(l, 1) as tf.Tensor4D;
      expect(softmax(other)).not.toBe(softmax(other));
      await new Promise((r) => setTimeout(r, 0)); // still open across awaits
      expect(softmax(l)).toBe(softmax(l));
      expect(predictionMemoSize()).toBe(3);
    });
    expect(predictionMemoSize()).toBe(0);
    // the memo's tensors are gone; only the scope's own stray tensors (the `other` ones above) remain
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 5);
    l.dispose();
  });

  it('under the tape, a memoised softmax is its own op: the gradient goes through it, bit for bit as unscoped', () => {
    const l = x();
    const f = (v: tf.Tensor) => tf.sum(tf.mul(softmax(v as tf.Tensor4D), tf.reshape(tf.range(0, 40), [1, 4, 5, 2])));
    const alone = tf.grad(f)(l);
    const scoped = predictionScopeSync(l, () => {
      softmax(l); // memoised with the tape off
      return tf.grad(f)(l);
    });
    const a = alone.dataSync();
    const s = scoped.dataSync();
    expect(Math.max(...Array.from(a, Math.abs))).toBeGreaterThan(0.01);
    expect(Array.from(s)).toEqual(Array.from(a));
    alone.dispose();
    scoped.dispose();
    l.dispose();
  });

  it('the engine gives every loss bit for bit the value and gradient it has alone (C = 2 and C = 3)', async () => {
    await loadInverseFormNetFromFile().catch(() => {});
    for (const c of [2, 3]) {
      const [h, w] = [12, 10];
      const r = rng(11 + c);
      const labels = new Int32Array(h * w).map(() => Math.floor(r() * c));
      const l = tf.tensor4d(normal(r, h * w * c, 2), [1, h, w, c]);
      const t = tf.tensor3d(labels, [1, h, w], 'int32');
      const ctx = GroundTruthContext.fromLabels(labels, [1, h, w], c);
      const ids = IMPLEMENTED_LOSSES.filter((d) => c === 2 || !d.binaryOnly).map((d) => d.id);
      const out = evaluateLosses(
        l,
        t,
        ids.map((id) => ({ id })),
        ctx,
      );
      expectEachAsAlone(out.results, l, t, ctx, ids.length);
    }
  });

  it('hostValues: one read-back per update inside a scope, the given host logits without any, fresh ones outside', async () => {
    const l = x();
    const given = l.dataSync().slice() as Float32Array;
    expect(Array.from(hostValues(l))).toEqual(Array.from(given)); // outside a scope: a plain read-back
    await predictionScope(
      l,
      async () => {
        expect(hostValues(l)).toBe(given); // the scope's host logits: no read-back
        const p = softmax(l);
        const first = hostValues(p);
        expect(hostValues(p)).toBe(first); // memoised softmax: read back once, shared
        expect(Array.from(first)).toEqual(Array.from(p.dataSync()));
        const other = tf.add(p, 0); // not memoised: a plain read-back, nothing kept for it
        expect(Array.from(hostValues(other))).toEqual(Array.from(first));
        if (tf.getBackend() === 'wasm') expect(hostValues(other)).not.toBe(hostValues(other)); // wasm copies out
        other.dispose();
      },
      given,
    );
    const wrongSize = new Float32Array(3); // a host copy that does not fit the logits is ignored
    predictionScopeSync(l, () => expect(hostValues(l)).not.toBe(wrongSize), wrongSize);
    l.dispose();
  });

  it('with the host logits given, the engine still gives every loss bit for bit its value and gradient alone', async () => {
    await loadInverseFormNetFromFile().catch(() => {});
    const [h, w, c] = [12, 10, 2];
    const r = rng(29);
    const labels = new Int32Array(h * w).map(() => Math.floor(r() * c));
    const host = Float32Array.from(normal(r, h * w * c, 2));
    const l = tf.tensor4d(host, [1, h, w, c]);
    const t = tf.tensor3d(labels, [1, h, w], 'int32');
    const ctx = GroundTruthContext.fromLabels(labels, [1, h, w], c);
    const ids = IMPLEMENTED_LOSSES.map((d) => d.id);
    const out = await predictionScope(
      l,
      () =>
        evaluateLossesAsync(
          l,
          t,
          ids.map((id) => ({ id })),
          ctx,
          { hostLogits: host },
        ),
      host,
    );
    expectEachAsAlone(out.results, l, t, ctx, ids.length);
  });
});
