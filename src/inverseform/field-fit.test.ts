// The least-squares head of our InverseForm network (fitAffine) and the agreement of its two convolution
// paths (im2col for training, tf.conv2d for the frozen network in the loss).
import { expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import {
  cellPositions,
  fitAffine,
  IF_FIT_VAR_EPS,
  IF_GRID,
  IF_TILE,
  initWeights,
  inverseNetField,
  inverseNetForward,
} from './network';

const G = IF_GRID;

/** A field δ = t + a·u on every cell, with the given confidences. */
function field(theta: [number, number, number, number], conf: (i: number, j: number) => [number, number]) {
  const u = cellPositions();
  const delta = new Float32Array(G * G * 2);
  const w = new Float32Array(G * G * 2);
  for (let i = 0; i < G; i++) {
    for (let j = 0; j < G; j++) {
      const k = (i * G + j) * 2;
      delta[k] = theta[0] + theta[2] * (u[k] as number);
      delta[k + 1] = theta[1] + theta[3] * (u[k + 1] as number);
      const [wx, wy] = conf(i, j);
      w[k] = wx;
      w[k + 1] = wy;
    }
  }
  return { delta: tf.tensor4d(delta, [1, G, G, 2]), confidence: tf.tensor4d(w, [1, G, G, 2]) };
}

describeEachBackend('InverseForm field fit', () => {
  it('cell centres are symmetric about the tile centre, in half-tile units', () => {
    const u = cellPositions();
    expect(u[0]).toBeCloseTo((2 - IF_TILE / 2) / (IF_TILE / 2), 6);
    expect(u[(G - 1) * 2]).toBeCloseTo(-(u[0] as number), 6);
    expect(u[1]).toBe(u[0]);
  });

  it('recovers an exact affine field (up to the variance epsilon)', () => {
    const theta: [number, number, number, number] = [0.2, -0.35, 0.12, -0.2];
    const f = field(theta, () => [1, 1]);
    const got = Array.from(fitAffine(f).dataSync());
    const u = cellPositions();
    let varU = 0;
    for (let j = 0; j < G; j++) varU += (u[j * 2] as number) ** 2 / G;
    const shrink = varU / (varU + IF_FIT_VAR_EPS);
    expect(got[0]).toBeCloseTo(theta[0], 5);
    expect(got[1]).toBeCloseTo(theta[1], 5);
    expect(got[2]).toBeCloseTo(theta[2] * shrink, 5);
    expect(got[3]).toBeCloseTo(theta[3] * shrink, 5);
    tf.dispose([f.delta, f.confidence]);
  });

  it('evidence in a single column reads the shift there and no scale along x', () => {
    const f = field([0.1, 0, 0.3, 0], (_i, j) => (j === 2 ? [1, 1] : [0, 1]));
    const got = Array.from(fitAffine(f).dataSync());
    const u2 = cellPositions()[2 * 2] as number;
    expect(got[2]).toBeCloseTo(0, 5);
    expect(got[0]).toBeCloseTo(0.1 + 0.3 * u2, 5);
    tf.dispose([f.delta, f.confidence]);
  });

  it('the training (im2col) and frozen (conv2d) paths compute the same network', () => {
    const w = initWeights(3);
    const x = tf.randomUniform([2, IF_TILE, IF_TILE, 2], 0, 1, 'float32', 5) as tf.Tensor4D;
    const a = inverseNetField(w, x, true);
    const b = inverseNetField(w, x, false);
    const d = tf.max(tf.abs(tf.sub(a.delta, b.delta))).dataSync()[0] as number;
    const scale = tf.max(tf.abs(a.delta)).dataSync()[0] as number;
    expect(d).toBeLessThan(1e-4 * Math.max(1, scale));
    const ta = inverseNetForward(w, x, true).dataSync();
    const tb = inverseNetForward(w, x, false).dataSync();
    for (let k = 0; k < ta.length; k++) expect(Math.abs((ta[k] as number) - (tb[k] as number))).toBeLessThan(1e-3);
    tf.dispose([x, a.delta, a.confidence, b.delta, b.confidence, ...Object.values(w)]);
  });
});
