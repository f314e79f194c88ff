import { beforeAll, describe, expect, it } from 'vitest';
import { computeLoss, lossAndGrad } from '../../compute';
import { labelBoundaryCPU, softBoundaryHost } from '../../inverseform/boundary';
import { loadInverseFormNetFromFile } from '../../inverseform/load-node';
import { InverseFormNotLoadedError, inverseFormWeights, unloadInverseFormNet } from '../../inverseform/loader';
import { inverseNetForward } from '../../inverseform/network';
import { toTiles } from '../../inverseform/tiling';
import { describeEachBackend, setNodeBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { standardLossProperties } from '../../testing/loss-properties';
import { confidentLogits, lossValue, normal, rng } from '../../testing/properties';
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

// The shared suite on one 32×32 tile (2 classes). The network's weights are created per backend before the
// tests, so the leak check counts only the loss's own tensors. θ_I = f(gt, gt) makes the minimum 0 up to the
// norm epsilon; descent starts from a confident prediction shifted by 5 px (random logits have no boundaries
// for the network to compare). The gradient check uses a 16×16 image resized to the tile, near a soft disc.
const tile: [number, number, number, number] = [1, 32, 32, 2];
const disc = (cx: number) =>
  Int32Array.from({ length: 1024 }, (_, i) => ((Math.floor(i / 32) - 14) ** 2 + ((i % 32) - cx) ** 2 <= 60 ? 1 : 0));
const fdShape: [number, number, number, number] = [1, 16, 16, 2];
const fdLabels = Int32Array.from({ length: 256 }, (_, i) =>
  (Math.floor(i / 16) - 8) ** 2 + ((i % 16) - 7) ** 2 <= 20 ? 1 : 0,
);
const fdLogits = confidentLogits(fdLabels, fdShape, 2);
normal(rng(4), fdLogits.length, 0.8).forEach((z, i) => {
  fdLogits[i] = (fdLogits[i] as number) + z;
});
standardLossProperties(ID, {
  shape: tile,
  labels: disc(17),
  params: { identityReference: 'gt-self' },
  margin: 8,
  minimumTolerance: 2e-3,
  descent: { logits: confidentLogits(disc(22), tile, 3), params: {} },
  lr: 20,
  fd: { shape: fdShape, labels: fdLabels, logits: fdLogits, params: {} },
  fdTolerance: 5e-2,
  setup: async () => {
    await loadInverseFormNetFromFile();
    inverseFormWeights();
  },
  timeout: 120_000,
});
standardBadInputs(ID);

describeEachBackend(`${ID} values`, () => {
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

  it('the joint mode is CE + β·BCE + γ·L_IF with BCE ≥ 0', () => {
    const x = normal(rng(6), S * S * C, 2);
    const lif = lossValue(ID, x, gt, shape);
    const ce = lossValue('cross-entropy', x, gt, shape);
    const joint = lossValue(ID, x, gt, shape, { mode: 'joint', beta: 0.3, gamma: 0.3 });
    const noBce = lossValue(ID, x, gt, shape, { mode: 'joint', beta: 0, gamma: 0.3 });
    expect(noBce).toBeCloseTo(ce + 0.3 * lif, 4);
    expect(joint).toBeGreaterThan(noBce);
  }, 60_000);
});

describeEachBackend(`${ID} skips boundary-free tiles`, () => {
  beforeAll(async () => {
    await loadInverseFormNetFromFile();
    inverseFormWeights();
  });

  it('equals the network run on every tile, value and gradient', () => {
    // a disc in the top-left of four 32×32 tiles, predicted 2 px off and with a blur there: the other three
    // tiles have no boundary in either map (confident logits: every 3×3 window is flat) and are skipped
    const n = 64;
    const disc = (cy: number, cx: number) =>
      Int32Array.from({ length: n * n }, (_, i) => ((Math.floor(i / n) - cy) ** 2 + ((i % n) - cx) ** 2 <= 49 ? 1 : 0));
    const labels = disc(14, 13);
    const xs = confidentLogits(disc(15, 15), [1, n, n, 2], 6);
    const g = rng(12);
    for (let i = 0; i < 24 * n; i++) if (i % n < 24) xs[2 * i + 1] = (xs[2 * i + 1] as number) + 2 * g();
    const w = inverseFormWeights();
    const gtTiles = tf.tidy(() => toTiles(tf.tensor3d(labelBoundaryCPU(labels, 1, n, n), [1, n, n]), 2, 2));
    const everyTile = (x: tf.Tensor) => {
      const tiles = toTiles(softBoundaryHost(tf.softmax(x) as tf.Tensor4D), 2, 2);
      const theta = inverseNetForward(w, tf.stack([tiles, gtTiles], -1) as tf.Tensor4D);
      return tf.mean(tf.sqrt(tf.add(tf.sum(tf.square(theta), -1), 1e-8))) as tf.Scalar;
    };
    const x = tf.tensor4d(xs, [1, n, n, 2]);
    const target = tf.tensor3d(labels, [1, n, n], 'int32');
    const a = lossAndGrad(ID, x, target);
    const e = tf.valueAndGrad(everyTile)(x);
    const [va, ve] = [a.value.dataSync()[0] as number, e.value.dataSync()[0] as number];
    expect(Math.abs(va - ve)).toBeLessThanOrEqual(1e-5 * Math.abs(ve));
    const [ga, ge] = [a.grad.dataSync(), e.grad.dataSync()];
    const scale = Math.max(...Array.from(ge, Math.abs));
    expect(scale).toBeGreaterThan(0);
    for (let i = 0; i < ge.length; i++)
      expect(Math.abs((ga[i] as number) - (ge[i] as number))).toBeLessThan(1e-4 * scale);
    // the skipped tiles get no gradient: outside the first tile every logit's gradient is exactly 0
    for (let i = 0; i < n * n; i++)
      if (Math.floor(i / n) >= 34 || i % n >= 34) expect(Math.abs(ga[2 * i] as number)).toBe(0);
    tf.dispose([gtTiles, x, target, a.value, a.grad, e.value, e.grad]);
  }, 60_000);
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
