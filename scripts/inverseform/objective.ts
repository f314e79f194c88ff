// The training objective of our InverseForm network, and its gradient for one chunk of a batch (shared by
// the training script's main thread and its gradient workers, so that every thread computes the same thing).
//
//   loss = mean_b,k |w_k (θ̂_bk − θ_bk)|  (or its square, --theta-loss l2),  w = (2, 2, 2·scaleWeight, 2·scaleWeight)
//        + fieldWeight · mean_b [ Σ_cells m · ‖2(δ̂ − δ)‖² / (2 Σ_cells m + 1) ]
// δ = t + (s − 1)·u is the true displacement at each cell centre u and m the maximum of the ground-truth
// boundary over the cell (the field is only asked to be right where there is boundary to read).
// Both terms are means over samples, so the gradient of a batch is the size-weighted mean of its chunks'.
import { cellPositions, fitAffine, IF_CELL, IF_GRID, IF_TILE, inverseNetField } from '../../src/inverseform/network';
import { tf } from '../../src/tf';

export interface ObjectiveOptions {
  scaleWeight: number;
  fieldWeight: number;
  thetaLoss: 'l1' | 'l2';
}

export interface ChunkGradients {
  loss: number;
  size: number;
  grads: Record<string, Float32Array>;
}

export function chunkGradients(
  weights: Record<string, tf.Variable>,
  xData: Float32Array,
  yData: Float32Array,
  size: number,
  opts: ObjectiveOptions,
): ChunkGradients {
  const out = tf.tidy(() => {
    const x = tf.tensor4d(xData, [size, IF_TILE, IF_TILE, 2]);
    const y = tf.tensor2d(yData, [size, 4]);
    const lossWeights = tf.tensor1d([2, 2, 2 * opts.scaleWeight, 2 * opts.scaleWeight]);
    const u = tf.tensor4d(cellPositions(), [1, IF_GRID, IF_GRID, 2]);
    const yt = tf.reshape(tf.slice(y, [0, 0], [size, 2]), [size, 1, 1, 2]);
    const ys = tf.reshape(tf.slice(y, [0, 2], [size, 2]), [size, 1, 1, 2]);
    const fieldTarget = tf.add(yt, tf.mul(ys, u));
    const gt = tf.slice(x, [0, 0, 0, 1], [size, IF_TILE, IF_TILE, 1]);
    const cellMask = tf.max(tf.reshape(gt, [size, IF_GRID, IF_CELL, IF_GRID, IF_CELL, 1]), [2, 4]);
    const maskNorm = tf.add(tf.mul(tf.sum(cellMask, [1, 2, 3]), 2), 1); // [size]
    const { value, grads } = tf.variableGrads(() => {
      const field = inverseNetField(weights, x, true);
      const r = tf.mul(tf.sub(fitAffine(field), y), lossWeights);
      const thetaLoss = opts.thetaLoss === 'l1' ? tf.mean(tf.abs(r)) : tf.mean(tf.square(r));
      const sq = tf.sum(tf.mul(cellMask, tf.square(tf.mul(tf.sub(field.delta, fieldTarget), 2))), [1, 2, 3]);
      const fieldLoss = tf.mean(tf.div(sq, maskNorm));
      return tf.add(thetaLoss, tf.mul(opts.fieldWeight, fieldLoss)) as tf.Scalar;
    }, Object.values(weights));
    return { value, grads };
  });
  const result: ChunkGradients = { loss: out.value.dataSync()[0] as number, size, grads: {} };
  for (const [name, g] of Object.entries(out.grads)) result.grads[name] = g.dataSync() as Float32Array;
  tf.dispose([out.value, ...Object.values(out.grads)]);
  return result;
}
