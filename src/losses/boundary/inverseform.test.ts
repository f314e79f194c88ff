import { beforeAll, describe, expect, it } from 'vitest';
import { computeLoss, lossAndGrad } from '../../compute';
import { loadInverseFormNetFromFile } from '../../inverseform/load-node';
import { InverseFormNotLoadedError, inverseFormWeights, unloadInverseFormNet } from '../../inverseform/loader';
import { describeEachBackend, setNodeBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { confidentLogits, descend, finiteDifferenceError, lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';

const ID = 'inverseform';
const S = 64; // 2×2 tiles at native scale
const C = 3;
const shape: [number, number, number, number] = [1, S, S, C];

/** A disc (class 1), a rotated square (class 2) and a thin bar (class 1), transformed about the centre. */
function scene(shiftX: number, shiftY = 0, scale = 1): Int32Array {
  const out = new Int32Array(S * S);
  const c = S / 2;
  for (let i = 0; i < S; i++) {
    for (let j = 0; j < S; j++) {
      const x = c + (j + 0.5 - c - shiftX) / scale;
      const y = c + (i + 0.5 - c - shiftY) / scale;
      let v = 0;
      if ((x - 22) ** 2 + (y - 24) ** 2 <= 100) v = 1;
      const u = (x - 42 + (y - 38)) / Math.SQRT2;
      const w = (x - 42 - (y - 38)) / Math.SQRT2;
      if (Math.abs(u) <= 8 && Math.abs(w) <= 8) v = 2;
      if (y >= 50 && y <= 53 && x >= 8 && x <= 30) v = 1;
      out[i * S + j] = v;
    }
  }
  return out;
}

const gt = scene(0);
/** Loss of a confident prediction of `pred` against the fixed ground truth. */
function valueFor(pred: Int32Array, params = {}): number {
  return lossValue(ID, confidentLogits(pred, shape, 8), gt, shape, params);
}

describe('inverseform without its network', () => {
  it('throws a clear error until the weights are loaded', () => {
    unloadInverseFormNet();
    const x = tf.zeros([1, 8, 8, 2]) as tf.Tensor4D;
    const t = tf.zeros([1, 8, 8], 'int32') as tf.Tensor3D;
    expect(() => computeLoss(ID, x, t)).toThrow(InverseFormNotLoadedError);
    expect(() => computeLoss(ID, x, t)).toThrow(/loadInverseFormNet/);
    tf.dispose([x, t]);
  });
});

describeEachBackend(ID, () => {
  beforeAll(async () => {
    await loadInverseFormNetFromFile();
    inverseFormWeights(); // create this backend's weight tensors before leak checks
  });

  it('is ≈ 0 for identical boundary maps (exactly 0 up to the norm epsilon with θ_I = f(b, b))', () => {
    expect(valueFor(gt)).toBeLessThan(0.1);
    expect(valueFor(gt)).toBeLessThan(valueFor(scene(1)));
    expect(valueFor(gt, { identityReference: 'gt-self' })).toBeLessThan(2e-3);
  });

  it('grows monotonically with a shift of the prediction (1…8 px, both axes, both directions)', () => {
    // measured (wasm): +x 0.017 0.049 0.125 0.215 0.259 0.319 0.374 0.440 0.477 for 0…8 px; beyond 8 px, the
    // edge of the synthetic training range (±8 px per 32-px tile), the regressor is not asked to keep growing
    const shifts = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    const curves = [
      shifts.map((s) => valueFor(scene(s))),
      shifts.map((s) => valueFor(scene(-s))),
      shifts.map((s) => valueFor(scene(0, -s))),
    ];
    for (const v of curves) {
      for (let k = 1; k < shifts.length; k++) expect(v[k]).toBeGreaterThan(v[k - 1] as number);
    }
  }, 240_000);

  it('grows monotonically with a scale change of the prediction', () => {
    const up = [1, 1.04, 1.08, 1.16, 1.24, 1.32].map((s) => valueFor(scene(0, 0, s)));
    const down = [1, 0.96, 0.92, 0.84, 0.76].map((s) => valueFor(scene(0, 0, s)));
    for (let k = 1; k < up.length; k++) expect(up[k]).toBeGreaterThan(up[k - 1] as number);
    for (let k = 1; k < down.length; k++) expect(down[k]).toBeGreaterThan(down[k - 1] as number);
  }, 120_000);

  it('gradient agrees with central finite differences (16×16 image resized to one tile)', () => {
    const small: [number, number, number, number] = [1, 16, 16, 2];
    const labels = Int32Array.from({ length: 256 }, (_, i) =>
      (Math.floor(i / 16) - 8) ** 2 + ((i % 16) - 7) ** 2 <= 20 ? 1 : 0,
    );
    const x = confidentLogits(labels, small, 2);
    const noise = normal(rng(4), x.length, 0.8);
    for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) + (noise[i] as number);
    expect(finiteDifferenceError(ID, x, labels, small, {}, 16, 1e-2)).toBeLessThan(5e-2);
  }, 120_000);

  it('the joint mode is CE + β·BCE + γ·L_IF with BCE ≥ 0', () => {
    const x = normal(rng(6), S * S * C, 2);
    const lif = lossValue(ID, x, gt, shape);
    const ce = lossValue('cross-entropy', x, gt, shape);
    const joint = lossValue(ID, x, gt, shape, { mode: 'joint', beta: 0.3, gamma: 0.3 });
    const noBce = lossValue(ID, x, gt, shape, { mode: 'joint', beta: 0, gamma: 0.3 });
    expect(noBce).toBeCloseTo(ce + 0.3 * lif, 4);
    expect(joint).toBeGreaterThan(noBce);
  }, 60_000);

  it('50 steps of gradient descent lower it', () => {
    const small: [number, number, number, number] = [1, 32, 32, 2];
    const labels = Int32Array.from({ length: 1024 }, (_, i) =>
      (Math.floor(i / 32) - 14) ** 2 + ((i % 32) - 17) ** 2 <= 60 ? 1 : 0,
    );
    const shiftedLabels = Int32Array.from({ length: 1024 }, (_, i) =>
      (Math.floor(i / 32) - 14) ** 2 + ((i % 32) - 22) ** 2 <= 60 ? 1 : 0,
    );
    const x = confidentLogits(shiftedLabels, small, 3);
    const { before, after } = descend(ID, x, labels, small, {}, 50, 20);
    expect(after).toBeLessThan(before * 0.9);
  }, 120_000);

  it('leaks no tensors', () => {
    const x = tf.tensor4d(normal(rng(3), S * S * C), shape);
    const t = tf.tensor3d(gt, [1, S, S], 'int32');
    const before = tf.memory().numTensors;
    computeLoss(ID, x, t, { identityReference: 'gt-self' }).dispose();
    tf.tidy(() => {
      tf.grad((z: tf.Tensor) => computeLoss(ID, z as tf.Tensor4D, t, { mode: 'joint' }))(x);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, t]);
  });
});

describe('inverseform: cpu and wasm agree', () => {
  it('same value and gradient within 1e-4 relative', async () => {
    await loadInverseFormNetFromFile();
    const xs = normal(rng(9), S * S * C, 2);
    const run = () =>
      tf.tidy(() => {
        const { value, grad } = lossAndGrad(ID, tf.tensor4d(xs, shape), tf.tensor3d(gt, [1, S, S], 'int32'));
        return { v: value.dataSync()[0] as number, g: Array.from(grad.dataSync()) };
      });
    await setNodeBackend('cpu');
    const a = run();
    await setNodeBackend('wasm');
    const b = run();
    await setNodeBackend('cpu');
    expect(Math.abs(a.v - b.v)).toBeLessThan(1e-4 * Math.max(1e-3, Math.abs(a.v)));
    const gmax = Math.max(...a.g.map(Math.abs));
    expect(Math.max(...a.g.map((g, i) => Math.abs(g - (b.g[i] as number))))).toBeLessThan(1e-3 * gmax);
  }, 60_000);
});

standardBadInputs('inverseform');
