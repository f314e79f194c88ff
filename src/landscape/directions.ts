/**
 * The directions a loss landscape is drawn along, each with the words the UI shows for its axis.
 *
 * Every direction is a tensor shaped like the logits; the landscape evaluates L(z + a·d1 + b·d2).
 * - 'towards-gt': d = z* − z with z* = M·(2·onehot(target) − 1), so a = 0 is the current prediction and a = 1 a
 *   confident correct one (margin M on the correct class, −M on the others).
 * - 'confidence': d = z, so z + a·d = (1 + a)·z: a = −1 is ×0 (uniform softmax), a = 1 is ×2 (a temperature
 *   of 1/2).
 * - 'random': a seeded standard-normal tensor rescaled to the Frobenius norm of z. Li et al. (2018,
 *   "Visualizing the Loss Landscape of Neural Nets") normalise per filter; here the logits tensor is the only
 *   "filter", so a = 1 moves by one ‖z‖_F.
 */
import { mulberry32 } from '../ops/random';
import { tf } from '../tf';

export const LANDSCAPE_DIRECTIONS = ['towards-gt', 'confidence', 'random'] as const;
export type LandscapeDirection = (typeof LANDSCAPE_DIRECTIONS)[number];

/** Default margin M of the 'towards-gt' target logits: softmax gives the correct class ≈ 1 − (C−1)e^{−2M}. */
export const DEFAULT_MARGIN = 4;

export interface DirectionInfo {
  /** Short name for menus. */
  name: string;
  /** Axis title: what the coordinate a means, in its unit. */
  axisLabel: string;
  /** The same in a few words, for a chart axis. */
  shortLabel: string;
  /** One sentence: how the direction is built. */
  definition: string;
}

export function directionInfo(kind: LandscapeDirection, margin = DEFAULT_MARGIN, seed = 1): DirectionInfo {
  switch (kind) {
    case 'towards-gt':
      return {
        name: 'towards the ground truth',
        axisLabel: `fraction of the way to the ground-truth logits ±${margin} (0 = current, 1 = confident correct)`,
        shortLabel: `way to the GT logits ±${margin} (0 = now, 1 = correct)`,
        definition: `d = z* − z, with z* = +${margin} on the true class and −${margin} on the others`,
      };
    case 'confidence':
      return {
        name: 'confidence (logit scale)',
        axisLabel: 'logits scaled by 1 + a (−1 = ×0 uniform, 0 = current, 1 = ×2)',
        shortLabel: 'logit scale 1 + a (−1: ×0, 1: ×2)',
        definition: 'd = z, so the point is (1 + a)·z: the same prediction at another temperature',
      };
    case 'random':
      return {
        name: 'random (seeded)',
        axisLabel: `multiples of ‖z‖ along a Gaussian direction (seed ${seed})`,
        shortLabel: `‖z‖ units along a random direction (seed ${seed})`,
        definition: `d = seeded Gaussian noise (seed ${seed}) rescaled to the Frobenius norm of the logits (Li et al. 2018 normalise per filter; here the whole logits tensor is one filter)`,
      };
  }
}

/** Standard-normal draws from mulberry32(seed) (Box–Muller). */
function gaussian(seed: number, n: number): Float32Array {
  const rand = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = Math.max(rand(), 1e-12);
    out[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  }
  return out;
}

/** The direction tensor, shaped like `logits` (the caller disposes it; runs inside tf.tidy is fine). */
export function directionTensor(
  kind: LandscapeDirection,
  logits: tf.Tensor4D,
  oneHot: tf.Tensor4D,
  margin: number,
  seed: number,
): tf.Tensor4D {
  return tf.tidy(() => {
    switch (kind) {
      case 'towards-gt': {
        const perfect = tf.mul(tf.sub(tf.mul(oneHot, 2), 1), margin);
        return tf.sub(perfect, logits) as tf.Tensor4D;
      }
      case 'confidence':
        return tf.clone(logits);
      case 'random': {
        const g = tf.tensor4d(gaussian(seed, logits.size), logits.shape);
        // ‖g‖ > 0 for any non-empty tensor; a zero-logits input gives a zero direction (reported as logitsNorm 0).
        return tf.mul(g, tf.div(tf.norm(logits), tf.norm(g))) as tf.Tensor4D;
      }
    }
  });
}

/** `points` evenly spaced values from `from` to `to` (both included). */
export function linspace(from: number, to: number, points: number): Float64Array {
  const out = new Float64Array(points);
  for (let i = 0; i < points; i++) out[i] = points === 1 ? from : from + ((to - from) * i) / (points - 1);
  // Exact zero where the grid crosses it (the origin marker and the "current prediction" value rely on it).
  for (let i = 0; i < points; i++)
    if (Math.abs(out[i] as number) < 1e-12 * Math.max(1, Math.abs(to - from))) out[i] = 0;
  return out;
}
