/**
 * fitAffine (network.ts) on the host: θ [B, 4] from the field's displacement and confidences [B, G, G, 2], with a
 * closed-form gradient. The same maths in float64 (so equal up to float32 rounding); one read-back of each input
 * and of dθ instead of ~180 tiny kernels (≈ 1.5 ms of kernels plus their per-op overhead at 64 tiles on wasm).
 * For the frozen network in the loss, which reads back anyway; training keeps fitAffine.
 *
 * Per tile and axis, with confidences w, S = Σw + 1e-6 and weighted means m(·) = Σ w·(·) / S:
 *   var = m(u²) − m(u)², cov = m(u·δ) − m(u)·m(δ), a = cov / (max(var, 0) + ε), t = m(δ) − a·m(u).
 */
import { tf } from '../tf';
import { cellPositions, type DisplacementField, IF_FIT_VAR_EPS } from './network';

const WEIGHT_EPS = 1e-6;
/** Per tile and axis: S, m(u), m(δ), m(u²), m(u·δ), var, cov, max(var, 0) + ε. */
type Stats = [number, number, number, number, number, number, number, number];

export function fitAffineHost(field: DisplacementField): tf.Tensor2D {
  const { delta, confidence } = field;
  const [b, g, g2, axes] = delta.shape;
  if (axes !== 2 || g2 !== g) throw new Error(`fitAffineHost: expected [B, G, G, 2], got [${delta.shape}]`);
  const cells = g * g;
  const u = cellPositions();
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const d = (args[0] as tf.Tensor).dataSync();
    const w = (args[1] as tf.Tensor).dataSync();
    // per (tile, axis): the weighted sum S and the means of u, δ, u², u·δ, then var, cov, a
    const stats = new Float64Array(b * 2 * 8);
    const theta = new Float32Array(b * 4);
    for (let t = 0; t < b; t++)
      for (let k = 0; k < 2; k++) {
        let sw = WEIGHT_EPS;
        let su = 0;
        let sd = 0;
        let suu = 0;
        let sud = 0;
        for (let c = 0; c < cells; c++) {
          const i = (t * cells + c) * 2 + k;
          const wi = w[i] as number;
          const ui = u[c * 2 + k] as number;
          const di = d[i] as number;
          sw += wi;
          su += wi * ui;
          sd += wi * di;
          suu += wi * ui * ui;
          sud += wi * ui * di;
        }
        const [mu, md, m2, mud] = [su / sw, sd / sw, suu / sw, sud / sw];
        const variance = m2 - mu * mu;
        const cov = mud - mu * md;
        const den = Math.max(variance, 0) + IF_FIT_VAR_EPS;
        const a = cov / den;
        theta[t * 4 + k] = md - a * mu;
        theta[t * 4 + 2 + k] = a;
        const o = (t * 2 + k) * 8;
        stats[o] = sw;
        stats[o + 1] = mu;
        stats[o + 2] = md;
        stats[o + 3] = m2;
        stats[o + 4] = mud;
        stats[o + 5] = variance;
        stats[o + 6] = cov;
        stats[o + 7] = den;
      }
    return {
      value: tf.tensor2d(theta, [b, 4]),
      gradFunc: (dy: tf.Tensor) => {
        const gTheta = dy.dataSync();
        const dDelta = new Float32Array(d.length);
        const dConfidence = new Float32Array(d.length);
        for (let t = 0; t < b; t++)
          for (let k = 0; k < 2; k++) {
            const o = (t * 2 + k) * 8;
            const [sw, mu, md, m2, mud, variance, cov, den] = Array.from(stats.subarray(o, o + 8)) as Stats;
            const a = cov / den;
            const gt = gTheta[t * 4 + k] as number;
            const ga = gTheta[t * 4 + 2 + k] as number;
            // back through t = m(δ) − a·m(u), a = cov / den, den = relu(var) + ε, cov, var
            const gA = ga - gt * mu;
            const gCov = gA / den;
            const gVar = variance > 0 ? (-gA * cov) / (den * den) : 0;
            const gMu = -gt * a - gCov * md - 2 * mu * gVar;
            const gMd = gt - gCov * mu;
            const [gM2, gMud] = [gVar, gCov];
            // the means are sums over S: ∂/∂(Σ w·x) = g / S, ∂/∂S = −Σ g·m / S
            const gS = -(gMu * mu + gMd * md + gM2 * m2 + gMud * mud) / sw;
            for (let c = 0; c < cells; c++) {
              const i = (t * cells + c) * 2 + k;
              const ui = u[c * 2 + k] as number;
              const di = d[i] as number;
              dDelta[i] = ((w[i] as number) * (gMd + gMud * ui)) / sw;
              dConfidence[i] = gS + (gMu * ui + gMd * di + gM2 * ui * ui + gMud * ui * di) / sw;
            }
          }
        return [tf.tensor4d(dDelta, delta.shape), tf.tensor4d(dConfidence, delta.shape)];
      },
    };
  });
  return f(delta, confidence) as tf.Tensor2D;
}
