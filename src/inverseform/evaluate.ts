// Held-out evaluation of an InverseForm network on the seeded synthetic generator (used by the training
// script for the model card and by the test that re-measures the card's numbers).
import { tf } from '../tf';
import { IF_SHIFT_UNIT_PX, IF_TILE, type IFWeights, inverseNetForward } from './network';
import { makeBatch, mulberry32 } from './synthetic';

export const HELDOUT_SEED = 777_001;
export const HELDOUT_SIZE = 512;

export interface HeldOutError {
  /** Mean absolute error of t_x, t_y in tile pixels (32×32 tile). */
  txPx: number;
  tyPx: number;
  /** Mean absolute error of s_x, s_y (ratio). */
  sx: number;
  sy: number;
  samples: number;
  /** The same errors for a regressor that always answers "identity" (θ = 0), for comparison. */
  identityBaseline: { txPx: number; tyPx: number; sxRatio: number; syRatio: number };
  /** Mean ‖θ̂‖₂ on the identity pairs of the held-out set (what the loss gives for a perfect match). */
  identityMeanNorm: number;
}

export function heldOutError(weights: IFWeights, seed = HELDOUT_SEED, size = HELDOUT_SIZE): HeldOutError {
  const rng = mulberry32(seed);
  const sums = [0, 0, 0, 0];
  const base = [0, 0, 0, 0];
  let idSum = 0;
  let idCount = 0;
  const chunk = 64;
  for (let done = 0; done < size; done += chunk) {
    const b = makeBatch(rng, Math.min(chunk, size - done));
    const pred = tf.tidy(() => inverseNetForward(weights, tf.tensor4d(b.x, [b.size, IF_TILE, IF_TILE, 2])).dataSync());
    for (let i = 0; i < b.size; i++) {
      let isId = true;
      for (let k = 0; k < 4; k++) {
        sums[k] = (sums[k] as number) + Math.abs((pred[i * 4 + k] as number) - (b.y[i * 4 + k] as number));
        base[k] = (base[k] as number) + Math.abs(b.y[i * 4 + k] as number);
        if (b.y[i * 4 + k] !== 0) isId = false;
      }
      if (isId) {
        let n2 = 0;
        for (let k = 0; k < 4; k++) n2 += (pred[i * 4 + k] as number) ** 2;
        idSum += Math.sqrt(n2);
        idCount++;
      }
    }
  }
  return {
    txPx: ((sums[0] as number) / size) * IF_SHIFT_UNIT_PX,
    tyPx: ((sums[1] as number) / size) * IF_SHIFT_UNIT_PX,
    sx: (sums[2] as number) / size,
    sy: (sums[3] as number) / size,
    samples: size,
    identityBaseline: {
      txPx: ((base[0] as number) / size) * IF_SHIFT_UNIT_PX,
      tyPx: ((base[1] as number) / size) * IF_SHIFT_UNIT_PX,
      sxRatio: (base[2] as number) / size,
      syRatio: (base[3] as number) / size,
    },
    identityMeanNorm: idCount ? idSum / idCount : 0,
  };
}
