import { describe, expect, it } from 'vitest';
import { lossAndGrad } from '../../compute';
import { boundaryIouIterations, erosionBoundary } from '../../ops/boundaries';
import { describeEachBackend, setNodeBackend } from '../../testing/backends';
import { standardBadInputs } from '../../testing/bad-inputs';
import { expectSameValueAndGrad, standardLossProperties } from '../../testing/loss-properties';
import { confidentLogits, lossValue, normal, rng } from '../../testing/properties';
import { tf } from '../../tf';
import { cblGroundTruth, cblValueAndGrad } from './conditional-boundary-host';

const ID = 'conditional-boundary';
const H = 12;
const W = 12;
const C = 3;
const shape: [number, number, number, number] = [2, H, W, C];

/** Two 12×12 images: a disc of class 1 and a bar of class 2 on background; a checker of 1/2 blocks. */
function makeLabels(): Int32Array {
  const out = new Int32Array(2 * H * W);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let v = 0;
      if ((y - 5) ** 2 + (x - 4) ** 2 <= 9) v = 1;
      if (x >= 8 && y >= 2 && y <= 9) v = 2;
      out[y * W + x] = v;
      out[H * W + y * W + x] = (Math.floor(y / 4) + Math.floor(x / 6)) % 2 === 0 ? 1 : 2;
    }
  }
  return out;
}
const labels = makeLabels();
const ONLY_CTX = { centreClassWeight: 0, centrePullWeight: 0 };
const ONLY_CN = { contextWeight: 0, centreClassWeight: 0 };

/** Closed form of the context term for constant features (SPEC §4.6 propertyResults). */
function constantFeatureContext(): number {
  const it = boundaryIouIterations(H, W, 0.02);
  const means: number[] = [];
  for (let b = 0; b < 2; b++) {
    const img = labels.subarray(b * H * W, (b + 1) * H * W);
    const edge = new Uint8Array(H * W);
    for (const k of new Set(img)) {
      const bd = erosionBoundary(
        Array.from(img, (v) => (v === k ? 1 : 0)),
        H,
        W,
        { iterations: it },
      );
      bd.forEach((v, i) => {
        if (v) edge[i] = 1;
      });
    }
    let sum = 0;
    let cnt = 0;
    for (let y = 2; y < H - 2; y++) {
      for (let x = 2; x < W - 2; x++) {
        const i = y * W + x;
        if (!edge[i] || img[i] === 0) continue;
        let diff = 0;
        for (let dy = -2; dy <= 2; dy++)
          for (let dx = -2; dx <= 2; dx++) if ((dy || dx) && img[(y + dy) * W + x + dx] !== img[i]) diff++;
        sum += diff / 24;
        cnt++;
      }
    }
    if (cnt) means.push(sum / cnt);
  }
  return means.reduce((a, b) => a + b, 0) / means.length;
}

// The pull term's gradient uses a detached target (not the value's derivative): finite differences check the
// other terms, with the cross-entropy on; the pull gradient's direction is checked below. The suite runs on the
// first image alone (the loss is slow per call; the batch is covered by the cases below).
standardLossProperties(ID, {
  shape: [1, H, W, C],
  labels: labels.slice(0, H * W),
  fd: { params: { centrePullWeight: 0, withCrossEntropy: true } },
  fdTolerance: 3e-2,
  minDecrease: 0.1,
});
standardBadInputs(ID);

describeEachBackend(`${ID} values`, () => {
  it('context term is 0 for positive multiples of one-hot features (SPEC propertyResults[0])', () => {
    const r = rng(5);
    const x = new Float32Array(labels.length * C);
    labels.forEach((t, i) => {
      x[i * C + t] = 0.5 + 3 * r();
    });
    expect(lossValue(ID, x, labels, shape, ONLY_CTX)).toBeLessThan(1e-6);
  });
  it('context term with constant features equals the mean fraction of different-class neighbours (propertyResults[1])', () => {
    const x = new Float32Array(labels.length * C);
    for (let i = 0; i < labels.length; i++) x.set([0.3, -0.2, 0.5], i * C);
    const expected = constantFeatureContext();
    expect(expected).toBeGreaterThan(0.05);
    expect(lossValue(ID, x, labels, shape, ONLY_CTX)).toBeCloseTo(expected, 5);
  });
  it('pull term is 0 for features constant inside every class region', () => {
    const x = new Float32Array(labels.length * C);
    const vecs = [
      [2, -1, 0.5],
      [-1, 3, 0],
      [0.2, 0.1, 1.5],
    ];
    labels.forEach((t, i) => {
      x.set(vecs[t] as number[], i * C);
    });
    expect(lossValue(ID, x, labels, shape, ONLY_CN)).toBeLessThan(1e-10);
  });
  it('misclassified pixels are excluded: all wrong → pull and centre terms vanish (K = 0)', () => {
    const x = new Float32Array(labels.length * C);
    labels.forEach((t, i) => {
      x[i * C + ((t + 1) % C)] = 5;
    });
    expect(lossValue(ID, x, labels, shape, { contextWeight: 0 })).toBe(0);
  });
  it('a misclassified neighbour does not move the pull target', () => {
    // image 0: flip one interior background pixel's prediction; the CN value only changes through that pixel
    const base = confidentLogits(labels, shape, 4);
    const r = rng(11);
    for (let i = 0; i < base.length; i++) base[i] = (base[i] as number) + 0.3 * (r() - 0.5);
    const v0 = lossValue(ID, base, labels, shape, ONLY_CN);
    expect(Number.isFinite(v0)).toBe(true);
    // make a whole class-2 bar misclassified: its pixels leave the CN sets and the targets
    const moved = Float32Array.from(base);
    labels.forEach((t, i) => {
      if (i < H * W && t === 2) {
        moved[i * C + 2] = 0;
        moved[i * C] = 4;
      }
    });
    const v1 = lossValue(ID, moved, labels, shape, ONLY_CN);
    expect(Number.isFinite(v1)).toBe(true);
    expect(v1).not.toBe(v0);
  });
  it('single-class targets: the context term is 0 (label 0 never enters E); image borders count as boundary', () => {
    const zero = new Int32Array(labels.length);
    const x = tf.tensor4d(normal(rng(3), labels.length * C), shape);
    const t = tf.tensor3d(zero, [2, H, W], 'int32');
    const { value, grad } = lossAndGrad(ID, x, t, ONLY_CTX);
    expect(value.dataSync()[0]).toBe(0);
    expect(Math.max(...Array.from(grad.dataSync(), Math.abs))).toBe(0);
    tf.dispose([x, t, value, grad]);
    // mask_to_boundary pads with background, so the border band of a whole-image class is boundary: the
    // centre terms act there, and vanish for a confident correct prediction
    const one = new Int32Array(labels.length).fill(1);
    expect(lossValue(ID, normal(rng(4), labels.length * C, 2), one, shape)).toBeGreaterThan(0.01);
    expect(lossValue(ID, confidentLogits(one, shape, 12), one, shape)).toBeLessThan(1e-4);
  });
  it('pull-term gradient uses the detached target: at a perturbed pixel it is a positive multiple of the offset', () => {
    const vecs = [
      [2, -1, 0.5],
      [-1, 3, 0],
      [0.2, 0.1, 1.5],
    ];
    const x = new Float32Array(labels.length * C);
    labels.forEach((t, i) => {
      x.set(vecs[t] as number[], i * C);
    });
    // a boundary pixel of the disc (class 1) in image 0, perturbed but still classified correctly
    const i0 = 5 * W + 1;
    expect(labels[i0]).toBe(1);
    const delta = [0.3, 0.2, -0.4];
    delta.forEach((d, k) => {
      x[i0 * C + k] = (x[i0 * C + k] as number) + d;
    });
    const g = tf.tidy(() => {
      const { grad } = lossAndGrad(ID, tf.tensor4d(x, shape), tf.tensor3d(labels, [2, H, W], 'int32'), ONLY_CN);
      return Array.from(grad.dataSync()).slice(i0 * C, i0 * C + C);
    });
    const ratio = (g[0] as number) / (delta[0] as number);
    expect(ratio).toBeGreaterThan(0);
    g.forEach((v, k) => {
      expect(v).toBeCloseTo(ratio * (delta[k] as number), 6);
    });
  });
});

describe(`${ID}: cpu and wasm agree`, () => {
  it('same value and gradient within 1e-5 relative', async () => {
    const xs = normal(rng(7), labels.length * C, 2);
    const run = () =>
      tf.tidy(() => {
        const { value, grad } = lossAndGrad(ID, tf.tensor4d(xs, shape), tf.tensor3d(labels, [2, H, W], 'int32'), {
          withCrossEntropy: true,
        });
        return { v: value.dataSync()[0] as number, g: Array.from(grad.dataSync()) };
      });
    await setNodeBackend('cpu');
    const a = run();
    await setNodeBackend('wasm');
    const b = run();
    await setNodeBackend('cpu');
    expect(Math.abs(a.v - b.v)).toBeLessThan(1e-5 * Math.max(1, Math.abs(a.v)));
    const gmax = Math.max(...a.g.map(Math.abs));
    expect(Math.max(...a.g.map((g, i) => Math.abs(g - (b.g[i] as number))))).toBeLessThan(1e-5 * Math.max(1, gmax));
  });
});

describe(`${ID}: the C = 2 loops`, () => {
  it('give the general loops’ value and gradient (within float32 rounding), all three terms on', () => {
    const two = labels.map((t) => (t === 0 ? 0 : 1)); // disc + bar vs background; 1/2 checker → one class
    two.fill(0, H * W, H * W + 2 * W); // a background strip on the second image
    const g = cblGroundTruth(two, 2, H, W, 0.02);
    const wts = { contextWeight: 1, centreClassWeight: 0.2, centrePullWeight: 2 };
    for (const seed of [1, 2, 3]) {
      // mostly right with noise: some pixels and neighbours misclassified
      const x = normal(rng(seed), two.length * 2, 1.5);
      two.forEach((t, i) => {
        x[i * 2 + t] = (x[i * 2 + t] as number) + 1;
      });
      const fast = cblValueAndGrad(x, 2, two, g, wts);
      const general = cblValueAndGrad(x, 2, two, g, wts, false);
      expectSameValueAndGrad(fast, general);
    }
  });
});
