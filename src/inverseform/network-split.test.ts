// inverseNetForwardWithGroundTruth (first layer split by channel and run on 2×2 blocks, ReLU after pooling) against
// the plain frozen network on stacked [pred, gt] tiles: same θ and same input gradient up to float rounding,
// on tiles with many exact ties (flat regions, where max-pool windows tie) and on smooth ones.
import { beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from '../testing/backends';
import { tf } from '../tf';
import { loadInverseFormNetFromFile } from './load-node';
import { inverseFormWeights } from './loader';
import { inverseNetForward, inverseNetForwardWithGroundTruth, inverseNetGroundTruthTerm } from './network';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** [B, 32, 32] tiles: a disc boundary band (exact 0/1, flat elsewhere) and smooth random values. */
function tiles(b: number, seed: number, binary: boolean): Float32Array {
  const g = rng(seed);
  const out = new Float32Array(b * 32 * 32);
  for (let t = 0; t < b; t++) {
    const cx = 8 + 16 * g();
    const cy = 8 + 16 * g();
    const r = 4 + 8 * g();
    for (let y = 0; y < 32; y++)
      for (let x = 0; x < 32; x++) {
        const d = Math.abs(Math.hypot(x - cx, y - cy) - r);
        out[(t * 32 + y) * 32 + x] = binary ? (d < 1 ? 1 : 0) : Math.max(0, 1 - d / 3) * (0.5 + 0.5 * g());
      }
  }
  return out;
}

describeEachBackend('inverseNetForwardWithGroundTruth', () => {
  beforeAll(async () => {
    await loadInverseFormNetFromFile();
  });
  for (const binary of [true, false]) {
    it(`equals the stacked network, value and input gradient (${binary ? 'binary, many ties' : 'smooth'})`, () => {
      const w = inverseFormWeights();
      const b = 6;
      const pred = tf.tensor3d(tiles(b, binary ? 1 : 2, binary), [b, 32, 32]);
      const gt = tf.tensor3d(tiles(b, 3, true), [b, 32, 32]);
      const r = tf.tensor2d(
        Array.from({ length: b * 4 }, (_, i) => Math.sin(i + 1)),
        [b, 4],
      );
      const before = tf.memory().numTensors;
      const gtTerm = inverseNetGroundTruthTerm(w, gt);
      const split = (p: tf.Tensor) => tf.sum(tf.mul(inverseNetForwardWithGroundTruth(w, p as tf.Tensor3D, gtTerm), r));
      const stacked = (p: tf.Tensor) => tf.sum(tf.mul(inverseNetForward(w, tf.stack([p, gt], -1) as tf.Tensor4D), r));
      const a = tf.valueAndGrad(split)(pred);
      const e = tf.valueAndGrad(stacked)(pred);
      const [va, ve] = [a.value.dataSync()[0] as number, e.value.dataSync()[0] as number];
      expect(Math.abs(va - ve)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(ve)));
      const [ga, ge] = [a.grad.dataSync(), e.grad.dataSync()];
      let scale = 0;
      let err = 0;
      for (let i = 0; i < ge.length; i++) {
        scale = Math.max(scale, Math.abs(ge[i] as number));
        err = Math.max(err, Math.abs((ga[i] as number) - (ge[i] as number)));
      }
      expect(scale).toBeGreaterThan(0);
      expect(err).toBeLessThanOrEqual(1e-4 * scale);
      tf.dispose([a.value, a.grad, e.value, e.grad, gtTerm]);
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([pred, gt, r]);
    });
  }
});
