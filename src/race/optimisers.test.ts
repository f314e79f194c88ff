import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { applyUpdate, disposeOptimiser, initOptimiser, normaliseGradients } from './optimisers';
import { ADAM, MOMENTUM } from './settings';

const P0 = [1, -2, 0.5];
const G = [
  [0.5, -1, 2],
  [0.25, 0.5, -3],
];

function run(kind: 'sgd' | 'momentum' | 'adam', rate: number): number[][] {
  let params: tf.Tensor[] = [tf.tensor1d(P0)];
  let state = initOptimiser(kind, params);
  const out: number[][] = [];
  for (const g of G) {
    const grad = tf.tensor1d(g);
    const next = applyUpdate(kind, params, [grad], state, rate);
    grad.dispose();
    params = next.params;
    state = next.state;
    out.push(Array.from(params[0]?.dataSync() ?? []));
  }
  tf.dispose(params);
  disposeOptimiser(state);
  return out;
}

describeEachBackend('race optimisers', () => {
  it('SGD: p ← p − ηg', () => {
    const before = tf.memory().numTensors;
    const r = run('sgd', 0.1);
    const p1 = P0.map((p, i) => p - 0.1 * (G[0]?.[i] as number));
    const p2 = p1.map((p, i) => p - 0.1 * (G[1]?.[i] as number));
    for (let i = 0; i < 3; i++) {
      expect(r[0]?.[i]).toBeCloseTo(p1[i] as number, 6);
      expect(r[1]?.[i]).toBeCloseTo(p2[i] as number, 6);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('momentum: v ← μv + g, p ← p − ηv', () => {
    const before = tf.memory().numTensors;
    const r = run('momentum', 0.1);
    const v1 = G[0] as number[];
    const p1 = P0.map((p, i) => p - 0.1 * (v1[i] as number));
    const v2 = v1.map((v, i) => MOMENTUM * v + (G[1]?.[i] as number));
    const p2 = p1.map((p, i) => p - 0.1 * (v2[i] as number));
    for (let i = 0; i < 3; i++) {
      expect(r[0]?.[i]).toBeCloseTo(p1[i] as number, 6);
      expect(r[1]?.[i]).toBeCloseTo(p2[i] as number, 6);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('Adam: bias-corrected moments, p ← p − η m̂/(√v̂ + ε)', () => {
    const before = tf.memory().numTensors;
    const r = run('adam', 0.01);
    const { beta1, beta2, epsilon } = ADAM;
    let m = [0, 0, 0];
    let v = [0, 0, 0];
    let p = [...P0];
    G.forEach((g, k) => {
      const t = k + 1;
      m = m.map((x, i) => beta1 * x + (1 - beta1) * (g[i] as number));
      v = v.map((x, i) => beta2 * x + (1 - beta2) * (g[i] as number) ** 2);
      p = p.map(
        (x, i) =>
          x -
          (0.01 * ((m[i] as number) / (1 - beta1 ** t))) / (Math.sqrt((v[i] as number) / (1 - beta2 ** t)) + epsilon),
      );
      for (let i = 0; i < 3; i++) expect(r[k]?.[i]).toBeCloseTo(p[i] as number, 5);
    });
    // The first Adam step moves every coordinate by η (sign of g): m̂/√v̂ = g/|g|.
    expect(Math.abs((r[0]?.[0] as number) - (P0[0] as number))).toBeCloseTo(0.01, 5);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('normaliseGradients divides by the RMS over all tensors', () => {
    const a = tf.tensor1d([3, 4]);
    const b = tf.tensor1d([0, 0]);
    const [na, nb] = normaliseGradients([a, b]);
    const rms = Math.sqrt(25 / 4);
    expect(Array.from(na?.dataSync() ?? [])).toEqual([expect.closeTo(3 / rms, 5), expect.closeTo(4 / rms, 5)]);
    expect(Array.from(nb?.dataSync() ?? [])).toEqual([0, 0]);
    tf.dispose([a, b, na as tf.Tensor, nb as tf.Tensor]);
  });
});
